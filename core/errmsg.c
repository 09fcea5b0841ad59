// SPDX-License-Identifier: MIT
#include "errmsg.h"

#include <stdarg.h>
#include <stdio.h>

int errmsg_set(struct errmsg *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return code;
}
