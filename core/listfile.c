// SPDX-License-Identifier: MIT
/*
 * The file is read with read(2) into one buffer of LISTFILE_LINE_MAX + 1
 * bytes: complete lines are handled in place, the partial last line is moved
 * to the front, and a buffer that fills without a newline is a line too long.
 * Memory is therefore bounded whatever the file holds, and every line is seen
 * whole. Specs are cut out of the line by writing NULs over separators.
 */
#include "listfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LISTFILE_BUF_BYTES  (LISTFILE_LINE_MAX + 1)
#define LISTFILE_PATH_SHOWN 60

struct listfile {
	const char *name; /* the path as messages show it */
	int fd;
	unsigned long line;
	int (*fn)(void *ctx, const char *spec, struct errmsg *err);
	void *ctx;
	struct errmsg *err;
};

/* Long paths keep their tail, where the file name is. */
static const char *listfile_shown(const char *path, const char **ellipsis)
{
	size_t len = strlen(path);

	*ellipsis = len > LISTFILE_PATH_SHOWN ? "..." : "";
	return len > LISTFILE_PATH_SHOWN ? path + len - LISTFILE_PATH_SHOWN : path;
}

/* Prefixes the message fn left in err with "file:line: ". */
static int listfile_prefix(struct listfile *lf, int rc)
{
	struct errmsg inner;
	const char *dots, *name = listfile_shown(lf->name, &dots);

	if (!lf->err)
		return rc;
	inner = *lf->err;
	if (!inner.text[0])
		errmsg_set(&inner, rc, "%s", strerror(rc < 0 ? -rc : rc));
	return errmsg_set(lf->err, rc, "%s%s:%lu: %s", dots, name, lf->line, inner.text);
}

static bool listfile_is_sep(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == ',';
}

/*
 * Refuses bytes that no target list holds: NUL and other control bytes
 * anywhere (a binary file), and non-ASCII outside comments. UTF-8 is fine in
 * a comment, where people write names and notes.
 */
static int listfile_check_text(struct listfile *lf, const char *line, size_t len, size_t comment)
{
	static const char binary[] = "this looks like a binary file, not a target list";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		bool is_control =
			(c < 0x20 && c != '\t' && c != '\r' && c != '\v' && c != '\f') || c == 0x7f;

		if (c == '\0')
			errmsg_set(lf->err, -EINVAL, "NUL byte at column %zu: %s", i + 1, binary);
		else if (is_control)
			errmsg_set(lf->err, -EINVAL, "control byte 0x%02x at column %zu: %s", c,
				   i + 1, binary);
		else if (c >= 0x80 && i < comment)
			errmsg_set(lf->err, -EINVAL,
				   "non-ASCII byte 0x%02x at column %zu: only comments may hold "
				   "non-ASCII text",
				   c, i + 1);
		else
			continue;
		return listfile_prefix(lf, -EINVAL);
	}
	return 0;
}

/* Handles one line of len bytes; line[len] is writable, so the last spec can end in a NUL. */
static int listfile_line(struct listfile *lf, char *line, size_t len)
{
	char *hash = memchr(line, '#', len);
	size_t end = hash ? (size_t)(hash - line) : len, i = 0;
	int rc;

	/* A UTF-8 byte order mark, which some editors write, is not part of the text. */
	if (lf->line == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		line += 3, len -= 3, end -= 3;
	rc = listfile_check_text(lf, line, len, end);
	if (rc)
		return rc;
	while (i < end) {
		size_t start;

		while (i < end && listfile_is_sep((unsigned char)line[i]))
			i++;
		start = i;
		while (i < end && !listfile_is_sep((unsigned char)line[i]))
			i++;
		if (i == start)
			break;
		line[i++] = '\0';
		if (lf->err)
			lf->err->text[0] = '\0';
		rc = lf->fn(lf->ctx, line + start, lf->err);
		if (rc)
			return listfile_prefix(lf, rc);
	}
	return 0;
}

static int listfile_open(struct listfile *lf, const char *path)
{
	const char *dots, *name = listfile_shown(path, &dots);
	struct stat st;

	if (!strcmp(path, "-")) {
		lf->name = "<stdin>";
		lf->fd = STDIN_FILENO;
		return 0;
	}
	lf->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (lf->fd < 0) {
		int code = errno;

		return errmsg_set(lf->err, -code, "cannot open %s%s: %s", dots, name,
				  strerror(code));
	}
	if (fstat(lf->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(lf->fd);
		return errmsg_set(lf->err, -EISDIR, "cannot read %s%s: it is a directory", dots,
				  name);
	}
	return 0;
}

/* Hands every complete line in buf[0..*have) to listfile_line() and keeps the rest. */
static int listfile_drain(struct listfile *lf, char *buf, size_t *have, bool at_eof)
{
	size_t start = 0;
	char *nl;
	int rc;

	while ((nl = memchr(buf + start, '\n', *have - start))) {
		lf->line++;
		rc = listfile_line(lf, buf + start, (size_t)(nl - (buf + start)));
		if (rc)
			return rc;
		start = (size_t)(nl - buf) + 1;
	}
	memmove(buf, buf + start, *have - start);
	*have -= start;
	if (at_eof && *have) {
		lf->line++;
		return listfile_line(lf, buf, *have);
	}
	if (*have == LISTFILE_BUF_BYTES) {
		lf->line++;
		errmsg_set(lf->err, -EINVAL, "line is longer than %d bytes; put one spec per line",
			   LISTFILE_LINE_MAX);
		return listfile_prefix(lf, -EINVAL);
	}
	return 0;
}

int listfile_read(const char *path, int (*fn)(void *ctx, const char *spec, struct errmsg *err),
		  void *ctx, struct errmsg *err)
{
	struct listfile lf = {.name = path, .fn = fn, .ctx = ctx, .err = err};
	const char *dots, *name;
	size_t have = 0;
	bool at_eof = false;
	char *buf;
	int rc = listfile_open(&lf, path);

	if (rc)
		return rc;
	name = listfile_shown(lf.name, &dots);
	/*
	 * A complete line ends in a newline that becomes its NUL; a last line without
	 * one is shorter than the buffer (or it failed as too long), so buf[have] is free.
	 */
	buf = malloc(LISTFILE_BUF_BYTES);
	if (!buf) {
		rc = errmsg_set(err, -ENOMEM, "out of memory reading %s%s", dots, name);
		goto out;
	}
	while (!rc && !at_eof) {
		ssize_t n = read(lf.fd, buf + have, LISTFILE_BUF_BYTES - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int code = errno;

			rc = errmsg_set(err, -code, "cannot read %s%s: %s", dots, name,
					strerror(code));
			break;
		}
		at_eof = n == 0;
		have += (size_t)n;
		rc = listfile_drain(&lf, buf, &have, at_eof);
	}
out:
	free(buf);
	if (lf.fd != STDIN_FILENO)
		close(lf.fd);
	return rc;
}
