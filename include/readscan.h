/* SPDX-License-Identifier: MIT */
/*
 * --readscan: binary result files (-oB) back into any format. Files of one
 * scan (the same scan id, from the seed, the targets and the ports) merge
 * into one report: the shards of a scan run on several machines, or a scan
 * and its resumed part. A result seen twice is reported once, and a probe
 * one part saw answered is not also reported as unanswered by another.
 * Files of different scans are refused unless merge_anyway. Damaged files
 * are read up to their damage, with a warning.
 */
#pragma once

#include <stdio.h>
#include "errmsg.h"
#include "scan.h"

/*
 * Reads cfg->readscan_files and writes them to cfg's outputs (text on stdout
 * when none) with cfg->show if given, else the states the scans reported.
 * Warnings go to warn. Returns 0, -EINVAL (unreadable file, different scans)
 * or another -errno, with err set.
 */
int readscan_run(const struct scan_config *cfg, FILE *warn, struct errmsg *err);
