/* SPDX-License-Identifier: MIT */
/*
 * Threshold random walk (Jung, Paxson, Berger, Balakrishnan, "Fast Portscan
 * Detection Using Sequential Hypothesis Testing", IEEE S&P 2004). Each first
 * contact a source makes with a host succeeds (the host answers SYN-ACK) or
 * fails (RST, ICMP unreachable, silence). A benign source succeeds with
 * probability theta0, a scanner with theta1 < theta0. The likelihood ratio
 * of "scanner" over "benign" is multiplied by theta1/theta0 on a success and
 * by (1-theta1)/(1-theta0) on a failure; crossing eta1 = beta/alpha decides
 * "scanner", crossing eta0 = (1-beta)/(1-alpha) decides "benign". alpha and
 * beta bound the false and true positive rates. Pure.
 */
#pragma once

#include <stdbool.h>

#include "errmsg.h"

struct trw {
	float on_success, on_failure; /* the ratio's factor per outcome */
	float upper, lower;	      /* eta1, eta0 */
};

enum trw_verdict {
	TRW_PENDING = 0,
	TRW_BENIGN,
	TRW_SCANNER,
};

/*
 * Sets up the walk. Needs 0 < theta1 < theta0 < 1 and 0 < alpha < beta < 1;
 * returns 0, or -EINVAL with err naming the parameter that is out of range.
 */
int trw_init(struct trw *w, double theta0, double theta1, double alpha, double beta,
	     struct errmsg *err);

/*
 * Applies one first-contact outcome to a source's ratio *ratio (1 for a new
 * source) and returns the verdict if a threshold was crossed, after which
 * *ratio starts again at 1 so the source keeps being watched.
 */
enum trw_verdict trw_step(const struct trw *w, float *ratio, bool success);
