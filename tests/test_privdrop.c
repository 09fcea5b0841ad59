// SPDX-License-Identifier: MIT
/*
 * Tests for core/privdrop.c. Each case drops privileges in a forked child,
 * so the test process itself stays root, and the child reports through its
 * exit status. The child reads its own /proc/self/status (Uid, CapEff,
 * CapPrm, CapBnd, NoNewPrivs, Seccomp) and tries what the filter must refuse:
 * packet and raw sockets, prctl options it does not know, a new io_uring,
 * going back to root, and execve (which kills). Needs root; skipped (77)
 * otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/io_uring.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privdrop.h"

/* A failed check in the child: its line number becomes the exit status. */
#define CHILD_CHECK(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "child: %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
			_exit(__LINE__ % 250 + 1);                                                 \
		}                                                                                  \
	} while (0)

/* The value of field (e.g. "CapEff:") in /proc/self/status, copied into out. */
static void status_field(const char *field, char *out, size_t len)
{
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");

	out[0] = '\0';
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, field, strlen(field)))
			continue;
		snprintf(out, len, "%s",
			 line + strlen(field) + strspn(line + strlen(field), "\t "));
		out[strcspn(out, "\n")] = '\0';
		break;
	}
	fclose(fp);
}

/* Runs fn in a child; returns its wait status. */
static int in_child(void (*fn)(void))
{
	int status = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* Status lines and refused calls after a drop to uid (or with the filter off). */
static void child_check_dropped(const struct privdrop_result *res, uid_t uid)
{
	char v[128], want[64];
	int fd;

	status_field("Uid:", v, sizeof(v));
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", uid, uid, uid, uid);
	CHILD_CHECK(!strcmp(v, want));
	status_field("CapEff:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "0000000000000000"));
	status_field("CapPrm:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "0000000000000000"));
	status_field("CapInh:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "0000000000000000"));
	status_field("CapBnd:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "0000000000000000"));
	status_field("NoNewPrivs:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "1"));
	if (uid != 0) /* setuid() to the uid one has always works */
		CHILD_CHECK(setuid(0) != 0);
	/* A packet socket needs CAP_NET_RAW: refused by the kernel, or first by the filter. */
	CHILD_CHECK(socket(AF_PACKET, SOCK_RAW, 0) < 0);
	CHILD_CHECK(socket(AF_INET, SOCK_RAW, 6) < 0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0); /* the connect scan's */
	CHILD_CHECK(fd >= 0);
	close(fd);
	CHILD_CHECK(prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0) == 0);
	if (!res->has_seccomp)
		return;
	status_field("Seccomp:", v, sizeof(v));
	CHILD_CHECK(!strcmp(v, "2"));
	errno = 0;
	CHILD_CHECK(socket(AF_PACKET, SOCK_RAW, 0) < 0 && errno == EPERM);
	CHILD_CHECK(socket(AF_INET6, SOCK_STREAM, 0) < 0 && errno == EPERM);
	CHILD_CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0 && errno == EPERM);
	CHILD_CHECK(mkdir("/tmp/hayate-privdrop-test", 0700) < 0 && errno == EPERM);
	/* A new io_uring would do what the filter refuses, unseen by it: none can be made. */
	CHILD_CHECK(syscall(__NR_io_uring_setup, 8, &(struct io_uring_params){0}) < 0 &&
		    errno == EPERM);
}

static void child_drop_default(void)
{
	struct privdrop_result res;
	struct errmsg err;
	struct passwd *pw = getpwnam(PRIVDROP_DEFAULT_USER);

	CHILD_CHECK(pw); /* the caller skips when there is no such user */
	CHILD_CHECK(privdrop_apply(NULL, NULL, &res, &err) == 0);
	CHILD_CHECK(res.changed_user);
	child_check_dropped(&res, pw->pw_uid);
}

static void test_default_user(void **state)
{
	(void)state;
	if (!getpwnam(PRIVDROP_DEFAULT_USER))
		skip();
	assert_int_equal(in_child(child_drop_default), 0);
}

static void child_drop_numeric(void)
{
	struct privdrop_result res;
	struct errmsg err;

	CHILD_CHECK(privdrop_apply("4242", NULL, &res, &err) == 0);
	CHILD_CHECK(res.changed_user);
	child_check_dropped(&res, 4242);
}

static void test_numeric_user(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_drop_numeric), 0);
}

static void child_keep_root(void)
{
	struct privdrop_result res;
	struct errmsg err;

	CHILD_CHECK(privdrop_apply("root", NULL, &res, &err) == 0);
	CHILD_CHECK(!res.changed_user);
	child_check_dropped(&res, 0);
}

/* --user root keeps uid 0 but nothing else. */
static void test_root_keeps_uid_only(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_keep_root), 0);
}

static void child_unknown_user(void)
{
	struct privdrop_result res;
	struct errmsg err;

	CHILD_CHECK(privdrop_apply("no-such-user-hayate", NULL, &res, &err) == -ENOENT);
	CHILD_CHECK(strstr(err.text, "no-such-user-hayate"));
	CHILD_CHECK(getuid() == 0); /* nothing was dropped */
}

static void test_unknown_user(void **state)
{
	(void)state;
	assert_int_equal(in_child(child_unknown_user), 0);
}

static void child_execve(void)
{
	struct privdrop_result res;
	struct errmsg err;
	char *argv[] = {"/bin/true", NULL};

	CHILD_CHECK(privdrop_apply(NULL, NULL, &res, &err) == 0);
	if (!res.has_seccomp)
		_exit(0); /* a sanitizer build: no filter to test */
	execv(argv[0], argv);
	_exit(99); /* execve returned: not refused */
}

/* A scanner that tries to run a program has been taken over: the filter kills it. */
static void test_execve_kills(void **state)
{
	int status;

	(void)state;
	status = in_child(child_execve);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		skip();
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static char late_dir[64];

static void child_late_file(void)
{
	struct privdrop_result res;
	struct errmsg err;
	char final[128];
	const char *staged;
	FILE *fp;

	snprintf(final, sizeof(final), "%s/paused.conf", late_dir);
	CHILD_CHECK(privdrop_apply(NULL, final, &res, &err) == 0);
	CHILD_CHECK(res.changed_user);
	staged = privdrop_path(final);
	CHILD_CHECK(strcmp(staged, final) != 0);
	CHILD_CHECK(fopen(final, "w") == NULL); /* the dropped user cannot write there */
	fp = fopen(staged, "w");
	CHILD_CHECK(fp && fputs("seed = 7\n", fp) >= 0 && fclose(fp) == 0);
	CHILD_CHECK(privdrop_finish(&err) == 0);
}

/* A file written after the drop, in a directory only root may write, lands there. */
static void test_late_file(void **state)
{
	char path[128], text[32] = {0};
	struct stat st;
	FILE *fp;

	(void)state;
	if (!getpwnam(PRIVDROP_DEFAULT_USER))
		skip();
	snprintf(late_dir, sizeof(late_dir), "/tmp/hayate-test-late.XXXXXX");
	assert_non_null(mkdtemp(late_dir)); /* mode 0700, owned by root */
	assert_int_equal(in_child(child_late_file), 0);
	snprintf(path, sizeof(path), "%s/paused.conf", late_dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_string_equal(text, "seed = 7\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	unlink(path);
	assert_int_equal(rmdir(late_dir), 0); /* nothing else left behind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_user),	    cmocka_unit_test(test_numeric_user),
		cmocka_unit_test(test_root_keeps_uid_only), cmocka_unit_test(test_unknown_user),
		cmocka_unit_test(test_execve_kills),	    cmocka_unit_test(test_late_file),
	};

	if (geteuid() != 0) {
		printf("needs root (switches users)\n");
		return 77;
	}
	return cmocka_run_group_tests_name("privdrop", tests, NULL, NULL);
}
