/* SPDX-License-Identifier: MIT */
/*
 * The one error-reporting type. A function that can fail returns a negative
 * errno and fills a caller-owned struct errmsg with one line naming the
 * problem, so failure paths stay one line long and nothing but main() exits.
 */
#pragma once

#include "compiler.h"

#define ERRMSG_MAX 192

struct errmsg {
	char text[ERRMSG_MAX];
};

/* Formats the message into err (if err is not NULL) and returns code unchanged. */
int errmsg_set(struct errmsg *err, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);
