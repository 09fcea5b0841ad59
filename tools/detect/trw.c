// SPDX-License-Identifier: MIT
/*
 * The walk multiplies instead of adding logarithms: the ratio starts at 1 and
 * is reset to 1 at every verdict, so it stays between eta0 * min(factor) and
 * eta1 * max(factor) and a float holds it with room to spare. With the
 * paper's defaults (theta0 0.8, theta1 0.2, alpha 0.01, beta 0.99) a failure
 * multiplies by 4 and a success by 1/4, eta1 is 99 and eta0 1/99: four
 * straight failures (4^4 = 256) flag a scanner, four straight successes
 * clear a source.
 */
#include "trw.h"

#include <errno.h>

int trw_init(struct trw *w, double theta0, double theta1, double alpha, double beta,
	     struct errmsg *err)
{
	if (!(theta0 > 0 && theta0 < 1))
		return errmsg_set(err, -EINVAL, "--trw-theta0 must be between 0 and 1");
	if (!(theta1 > 0 && theta1 < theta0))
		return errmsg_set(err, -EINVAL, "--trw-theta1 must be between 0 and --trw-theta0");
	if (!(alpha > 0 && alpha < 1))
		return errmsg_set(err, -EINVAL, "--trw-alpha must be between 0 and 1");
	if (!(beta > alpha && beta < 1))
		return errmsg_set(err, -EINVAL, "--trw-beta must be between --trw-alpha and 1");
	w->on_success = (float)(theta1 / theta0);
	w->on_failure = (float)((1 - theta1) / (1 - theta0));
	w->upper = (float)(beta / alpha);
	w->lower = (float)((1 - beta) / (1 - alpha));
	return 0;
}

enum trw_verdict trw_step(const struct trw *w, float *ratio, bool success)
{
	*ratio *= success ? w->on_success : w->on_failure;
	if (*ratio >= w->upper) {
		*ratio = 1;
		return TRW_SCANNER;
	}
	if (*ratio <= w->lower) {
		*ratio = 1;
		return TRW_BENIGN;
	}
	return TRW_PENDING;
}
