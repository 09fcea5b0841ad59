/* SPDX-License-Identifier: MIT */
/*
 * Least privilege. hayate needs root (CAP_NET_RAW) only to open its packet
 * sockets and capture; everything after that, the parsing of hostile replies
 * included, runs without it. Once those are open (and the output files),
 * privdrop_apply() switches to an unprivileged user, empties every capability
 * set, sets no_new_privs and installs a seccomp filter that allows only the
 * system calls a running scan makes. It is called once, by main, before any
 * thread starts, so every thread inherits the result.
 */
#pragma once

#include <stdbool.h>
#include "errmsg.h"

/* The user taken when none is named, if it exists. */
#define PRIVDROP_DEFAULT_USER "nobody"

/* What privdrop_apply() did, for a caller that wants to say so. */
struct privdrop_result {
	bool changed_user;     /* switched uid/gid to the user */
	bool has_seccomp;      /* the filter is installed */
	char note[ERRMSG_MAX]; /* why something was left out ("" if nothing was) */
};

/*
 * Drops privileges for the rest of the process's life. user is a name or a
 * numeric uid; NULL means PRIVDROP_DEFAULT_USER if it exists (else the uid is
 * kept, with a note). "root" (or 0) keeps uid 0 but still clears every
 * capability, sets no_new_privs and installs the filter. A user named
 * explicitly while not running as root is an error unless it is the current
 * user. late_file, if not NULL, is a file the scan may write after the drop
 * (the resume state) where the new user may not: it is then written through
 * privdrop_path() and privdrop_finish(). Call before starting threads.
 * Returns 0, or -errno with err naming what failed (the process must then
 * exit: it may be half dropped).
 */
int privdrop_apply(const char *user, const char *late_file, struct privdrop_result *res,
		   struct errmsg *err);

/*
 * Where to write late_file now: a path in a private directory of the new
 * user's while the helper waits to move it into place, else path itself.
 */
const char *privdrop_path(const char *path);

/*
 * Moves what was written at privdrop_path(late_file) to late_file (as root,
 * by the helper privdrop_apply() left behind) and waits for it. Without a
 * helper it does nothing. Returns 0, or -errno with err naming the file.
 */
int privdrop_finish(struct errmsg *err);

/*
 * Installs only the seccomp filter (and no_new_privs, which it needs).
 * Exposed for the tests. Returns 0, -EINVAL where the kernel or architecture
 * has no seccomp filtering, or -errno.
 */
int privdrop_seccomp(void);
