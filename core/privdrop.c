// SPDX-License-Identifier: MIT
/*
 * The order matters. The user is looked up first, while NSS may still open
 * files. The capability bounding set is emptied while we still have
 * CAP_SETPCAP, then groups, gid and uid are set (all three ids of each, so
 * there is no saved root id to return to), then the effective, permitted and
 * inheritable sets are cleared with capset (a switch from root clears them
 * already; a non-root process with file capabilities needs it), then
 * no_new_privs, then the filter. Each step is checked: a drop that half
 * worked is an error, never a warning.
 *
 * The seccomp filter is an allow list written as classic BPF: a wrong
 * architecture kills, execve kills (a scanner never runs a program, so trying
 * means it was taken over), socket() is allowed only for AF_INET stream and
 * datagram sockets (the connect scan opens them as it goes; packet and raw
 * sockets, which need the privileges we just gave up, are refused), prctl
 * only for the timer slack and thread names, and every other call not on the
 * list fails with EPERM. Failing rather than killing keeps a missed rare path
 * (an error message, a late flush) an error the user sees instead of a dead
 * scan; the calls an attacker wants fail either way. Files stay openable: the
 * dropped user's own permissions decide.
 *
 * The one file written late, the resume state of an interrupted scan, usually
 * goes where only root may write (the directory root ran hayate in). So when
 * there is such a file and the user changes, a helper is forked first, while
 * still root and single-threaded: it closes every other descriptor, ignores
 * the terminal's signals, and waits for the end of a pipe. The scanner writes
 * the file into a private directory owned by the new user (privdrop_path());
 * when the scanner exits or calls privdrop_finish(), the helper copies a
 * regular file of at most PRIVDROP_LATE_MAX bytes owned by that user (opened
 * without following links) to the path fixed before the fork, by a temporary
 * file and rename, and removes the directory. It takes no path and no data
 * from the scanner but that one file.
 */
#include "privdrop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compiler.h"

#if defined(__x86_64__)
#define PRIVDROP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PRIVDROP_ARCH AUDIT_ARCH_AARCH64
#endif

/* LeakSanitizer stops the world with ptrace at exit; a sanitizer build keeps it possible. */
#if defined(__SANITIZE_ADDRESS__)
#define PRIVDROP_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PRIVDROP_SANITIZER 1
#endif
#endif

#define PRIVDROP_CAP_MAX  63	     /* the bounding set is at most 64 bits */
#define PRIVDROP_LATE_MAX (1u << 20) /* the largest late file the helper moves */
#define PRIVDROP_PATH_MAX 4096

/* The late-file helper, when there is one. */
static struct {
	pid_t pid;
	int fd; /* our end of the pipe; the helper acts when it closes */
	char staged[PRIVDROP_PATH_MAX], final[PRIVDROP_PATH_MAX];
} privdrop_late = {.fd = -1};

#ifdef PRIVDROP_ARCH
/* The system calls a running scan makes, on any backend and output. */
/* One line per group of calls reads better than one call per line. */
// clang-format off
static const int privdrop_allowed[] = {
	/* files and descriptors (outputs, the resume file, status lines) */
	__NR_read, __NR_write, __NR_readv, __NR_writev, __NR_pread64, __NR_pwrite64, __NR_lseek,
	__NR_close, __NR_fstat, __NR_newfstatat, __NR_statx, __NR_fsync, __NR_fdatasync,
	__NR_ftruncate, __NR_openat, __NR_renameat, __NR_unlinkat, __NR_fcntl, __NR_ioctl,
	__NR_dup, __NR_dup3,
#ifdef __NR_open
	__NR_open, __NR_stat, __NR_lstat, __NR_rename, __NR_unlink, __NR_dup2,
#endif
#ifdef __NR_renameat2
	__NR_renameat2,
#endif
	/* memory */
	__NR_mmap, __NR_munmap, __NR_mremap, __NR_mprotect, __NR_madvise, __NR_brk,
	/* threads, processes (the late-file helper is waited for), signals, time */
	__NR_futex, __NR_set_robust_list, __NR_get_robust_list, __NR_clone, __NR_exit,
	__NR_exit_group, __NR_gettid, __NR_getpid, __NR_getppid, __NR_tgkill, __NR_tkill,
	__NR_wait4, __NR_waitid, __NR_sched_yield, __NR_sched_getaffinity, __NR_getrlimit,
	__NR_prlimit64, __NR_getrusage, __NR_rt_sigprocmask, __NR_rt_sigaction,
	__NR_rt_sigreturn, __NR_rt_sigtimedwait, __NR_sigaltstack, __NR_restart_syscall,
	__NR_clock_gettime, __NR_clock_getres, __NR_clock_nanosleep, __NR_nanosleep,
	__NR_gettimeofday, __NR_getrandom, __NR_uname, __NR_getuid, __NR_geteuid, __NR_getgid,
	__NR_getegid,
	__NR_sysinfo, /* glibc's qsort() asks for the memory size, and uses it unchecked */
#ifdef __NR_clone3
	__NR_clone3,
#endif
#ifdef __NR_rseq
	__NR_rseq,
#endif
#ifdef __NR_time
	__NR_time,
#endif
	/* waiting for packets and connections */
	__NR_ppoll, __NR_pselect6, __NR_epoll_create1, __NR_epoll_ctl, __NR_epoll_pwait,
#ifdef __NR_poll
	__NR_poll, __NR_select, __NR_epoll_wait,
#endif
#ifdef __NR_epoll_pwait2
	__NR_epoll_pwait2,
#endif
	/* sending and receiving on the sockets opened before the drop */
	__NR_sendto, __NR_sendmsg, __NR_sendmmsg, __NR_recvfrom, __NR_recvmsg, __NR_recvmmsg,
	__NR_getsockopt, __NR_setsockopt, __NR_getsockname, __NR_getpeername, __NR_connect,
	__NR_shutdown,
	/*
	 * io_uring: the rings, made before the drop, each restricted to the requests its
	 * user submits (uring_restrict.h), since this filter never sees them. A thread
	 * starts its ring (io_uring_register) and submits (io_uring_enter); no new ring
	 * can be made (io_uring_setup fails), for it would have no such restriction.
	 */
	__NR_io_uring_enter, __NR_io_uring_register,
};
// clang-format on

#define STMT(c, k)	 ((struct sock_filter)BPF_STMT((c), (k)))
#define JUMP(c, k, t, f) ((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))
#define LOAD_NR		 STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARCH	 STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
/* The low 32 bits of argument n: the values checked here all fit in an int. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#else
#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n) + 4)
#endif
#define LOAD_ARG(n)	    STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(n))
#define JEQ(k, t, f)	    JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define RET(v)		    STMT(BPF_RET | BPF_K, (v))
#define RET_ALLOW	    RET(SECCOMP_RET_ALLOW)
#define RET_DENY	    RET(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define RET_KILL	    RET(SECCOMP_RET_KILL_PROCESS)
#define PRIVDROP_FILTER_MAX (2 * ARRAY_SIZE(privdrop_allowed) + 32)

/* Appends the filter to f; returns its length. */
static unsigned privdrop_filter(struct sock_filter *f)
{
	unsigned n = 0;

	f[n++] = LOAD_ARCH;
	f[n++] = JEQ(PRIVDROP_ARCH, 1, 0);
	f[n++] = RET_KILL;
	f[n++] = LOAD_NR;
#ifdef __x86_64__
	/* The x32 ABI numbers the same calls differently: refuse all of it. */
	f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	f[n++] = RET_DENY;
#endif
	for (unsigned i = 0; i < ARRAY_SIZE(privdrop_allowed); i++) {
		f[n++] = JEQ((unsigned)privdrop_allowed[i], 0, 1);
		f[n++] = RET_ALLOW;
	}
	f[n++] = JEQ(__NR_execve, 2, 0);
	f[n++] = JEQ(__NR_execveat, 1, 0);
	f[n++] = JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
	f[n++] = RET_KILL;
	/* socket(AF_INET, SOCK_STREAM or SOCK_DGRAM, ...), flags such as SOCK_NONBLOCK allowed */
	f[n++] = JEQ(__NR_socket, 0, 8);
	f[n++] = LOAD_ARG(0);
	f[n++] = JEQ(AF_INET, 0, 4);
	f[n++] = LOAD_ARG(1);
	f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);
	f[n++] = JEQ(SOCK_STREAM, 2, 0);
	f[n++] = JEQ(SOCK_DGRAM, 1, 0);
	f[n++] = RET_DENY;
	f[n++] = RET_ALLOW;
	/* prctl: only the timer slack (the sender sets it) and thread names */
	f[n++] = LOAD_NR;
	f[n++] = JEQ(__NR_prctl, 0, 5);
	f[n++] = LOAD_ARG(0);
	f[n++] = JEQ(PR_SET_TIMERSLACK, 2, 0);
	f[n++] = JEQ(PR_SET_NAME, 1, 0);
	f[n++] = JEQ(PR_GET_NAME, 0, 1);
	f[n++] = RET_ALLOW;
	f[n++] = RET_DENY;
	return n;
}

int privdrop_seccomp(void)
{
	static struct sock_filter f[PRIVDROP_FILTER_MAX];
	struct sock_fprog prog = {.len = (unsigned short)privdrop_filter(f), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
		return -errno;
	return 0;
}
#else
int privdrop_seccomp(void)
{
	return -EINVAL;
}
#endif

/* Finds user (a name or a number). Returns 0, or -ENOENT if there is no such user. */
static int privdrop_lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	char *end;
	unsigned long n;

	errno = 0;
	pw = getpwnam(user);
	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
		return 0;
	}
	n = strtoul(user, &end, 10);
	if (!*user || *end || n > 0x7fffffffUL)
		return -ENOENT;
	*uid = (uid_t)n;
	pw = getpwuid(*uid);
	*gid = pw ? pw->pw_gid : (gid_t)n;
	return 0;
}

/* Empties the bounding and ambient sets; needs CAP_SETPCAP, so it runs before the uid switch. */
static int privdrop_bounding(void)
{
	for (int cap = 0; cap <= PRIVDROP_CAP_MAX; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) <= 0)
			continue; /* not in the set, or past the last capability */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return -errno;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	return 0;
}

/* Clears the effective, permitted and inheritable sets and checks they read back empty. */
static int privdrop_caps(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	for (unsigned i = 0; i < ARRAY_SIZE(data); i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return -EPERM;
	return 0;
}

static int privdrop_switch(const char *name, uid_t uid, gid_t gid, struct errmsg *err)
{
	uid_t r, e, s;

	if (setgroups(1, &gid))
		return errmsg_set(err, -errno, "--user %s: cannot set groups: %s", name,
				  strerror(errno));
	if (setresgid(gid, gid, gid))
		return errmsg_set(err, -errno, "--user %s: cannot set gid %u: %s", name,
				  (unsigned)gid, strerror(errno));
	if (setresuid(uid, uid, uid))
		return errmsg_set(err, -errno, "--user %s: cannot set uid %u: %s", name,
				  (unsigned)uid, strerror(errno));
	if (getresuid(&r, &e, &s) || r != uid || e != uid || s != uid || setuid(0) == 0)
		return errmsg_set(err, -EPERM, "--user %s: uid %u did not stick", name,
				  (unsigned)uid);
	return 0;
}

/* Copies the staged file (base, in directory dfd) to final by final.tmp and rename. */
static bool privdrop_publish(int dfd, const char *base, const char *final, uid_t uid)
{
	static char buf[PRIVDROP_LATE_MAX];
	char tmp[PRIVDROP_PATH_MAX + 8];
	struct stat st;
	ssize_t n, got = 0;
	int in, out;
	bool ok;

	in = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT; /* nothing was written: nothing to do */
	ok = fstat(in, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == uid &&
	     st.st_size <= (off_t)PRIVDROP_LATE_MAX;
	while (ok && (n = read(in, buf + got, sizeof(buf) - (size_t)got)) > 0)
		got += n;
	close(in);
	snprintf(tmp, sizeof(tmp), "%s.tmp", final);
	if (!ok)
		return false;
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0)
		return false;
	ok = write(out, buf, (size_t)got) == got;
	ok &= close(out) == 0;
	return ok && rename(tmp, final) == 0;
}

/*
 * The helper's life: wait for the scanner to finish, move the file, clean up.
 * The directory is reached through the descriptor opened when it was made, so
 * renaming it or putting a link in its place changes nothing.
 */
static void privdrop_helper(int fd, int dfd, const char *dir, const char *base, const char *final,
			    uid_t uid)
{
	char c;
	bool ok;

	signal(SIGINT, SIG_IGN); /* Ctrl-C reaches the whole process group */
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* Both above 4 first, so that neither dup2() can close the other. */
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 5);
	dfd = fcntl(dfd, F_DUPFD_CLOEXEC, 5);
	if (fd < 0 || dfd < 0 || dup2(fd, 3) < 0 || dup2(dfd, 4) < 0)
		_exit(1);
	syscall(SYS_close_range, 5, ~0U, 0);
	for (;;) {
		ssize_t n = read(3, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	ok = privdrop_publish(4, base, final, uid);
	unlinkat(4, base, 0);
	rmdir(dir);
	_exit(ok ? 0 : 1);
}

/* Makes the private directory and forks the helper; fills privdrop_late. */
static int privdrop_late_start(const char *final, uid_t uid, gid_t gid, struct errmsg *err)
{
	char dir[] = "/tmp/hayate-late.XXXXXX";
	const char *base = strrchr(final, '/');
	int fds[2], dfd;
	pid_t pid;

	base = base ? base + 1 : final;
	if (strlen(final) >= PRIVDROP_PATH_MAX - 8 || !*base)
		return errmsg_set(err, -ENAMETOOLONG, "'%s' is not a usable file name", final);
	if (!mkdtemp(dir))
		return errmsg_set(err, -errno, "cannot make a directory for %s: %s", final,
				  strerror(errno));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || fchown(dfd, uid, gid) || pipe2(fds, O_CLOEXEC)) {
		int code = errno;

		if (dfd >= 0)
			close(dfd);
		rmdir(dir);
		return errmsg_set(err, -code, "cannot prepare %s for --user: %s", final,
				  strerror(code));
	}
	snprintf(privdrop_late.staged, sizeof(privdrop_late.staged), "%s/%s", dir, base);
	snprintf(privdrop_late.final, sizeof(privdrop_late.final), "%s", final);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return errmsg_set(err, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[1]);
		privdrop_helper(fds[0], dfd, dir, base, final, uid);
	}
	close(fds[0]);
	close(dfd);
	privdrop_late.pid = pid;
	privdrop_late.fd = fds[1];
	return 0;
}

const char *privdrop_path(const char *path)
{
	return privdrop_late.fd >= 0 ? privdrop_late.staged : path;
}

int privdrop_finish(struct errmsg *err)
{
	int status = 0, rc;

	if (privdrop_late.fd < 0)
		return 0;
	close(privdrop_late.fd);
	privdrop_late.fd = -1;
	while ((rc = waitpid(privdrop_late.pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return errmsg_set(err, -EIO, "cannot write %s (as root, from %s)",
				  privdrop_late.final, privdrop_late.staged);
	return 0;
}

int privdrop_apply(const char *user, const char *late_file, struct privdrop_result *res,
		   struct errmsg *err)
{
	const char *name = user ? user : PRIVDROP_DEFAULT_USER;
	bool is_root = geteuid() == 0, has_user;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int rc;

	memset(res, 0, sizeof(*res));
	has_user = privdrop_lookup(name, &uid, &gid) == 0;
	if (!has_user && user)
		return errmsg_set(err, -ENOENT, "--user %s: no such user", user);
	if (!has_user)
		snprintf(
			res->note, sizeof(res->note),
			"no user '%s': keeping uid %u (without capabilities); name one with --user",
			name, (unsigned)geteuid());
	if (has_user && !is_root && uid != geteuid() && user)
		return errmsg_set(err, -EPERM, "--user %s: only root can switch users", user);
	/* Load the time zone now: localtime_r() in the reports may not open it later. */
	tzset();
	if (is_root && (rc = privdrop_bounding()))
		return errmsg_set(err, rc, "cannot empty the capability bounding set: %s",
				  strerror(-rc));
	if (has_user && is_root && uid != 0 && late_file &&
	    (rc = privdrop_late_start(late_file, uid, gid, err)))
		return rc;
	if (has_user && is_root && uid != 0) {
		rc = privdrop_switch(name, uid, gid, err);
		if (rc)
			return rc;
		res->changed_user = true;
	}
	rc = privdrop_caps();
	if (rc)
		return errmsg_set(err, rc, "cannot clear capabilities: %s", strerror(-rc));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return errmsg_set(err, -errno, "cannot set no_new_privs: %s", strerror(errno));
#ifdef PRIVDROP_SANITIZER
	return 0; /* LeakSanitizer needs ptrace at exit: a sanitizer build runs unfiltered */
#else
	rc = privdrop_seccomp();
	if (rc == -EINVAL) {
		if (!res->note[0])
			snprintf(res->note, sizeof(res->note),
				 "this kernel or architecture has no seccomp filter");
		return 0;
	}
	if (rc)
		return errmsg_set(err, rc, "cannot install the seccomp filter: %s", strerror(-rc));
	res->has_seccomp = true;
	return 0;
#endif
}
