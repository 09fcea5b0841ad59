// SPDX-License-Identifier: MIT
#include "reader.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <time.h>

#include "packet.h"

#define LIVE_SNAPLEN_BYTES 256 /* every header we read fits; payloads are not needed */
#define LIVE_TIMEOUT_MS	   100
#define LIVE_BUFFER_BYTES  (64 << 20)
#define LIVE_FILTER	   "tcp or icmp"
#define FILE_BUFFER_BYTES  (1 << 20)
#define DLT_IPV4_NUM	   228 /* raw IPv4, where libpcap's headers lack DLT_IPV4 */
#define DLT_SLL2_NUM	   276
#define READER_BATCH	   4096 /* frames per pcap_dispatch() */

/* Maps libpcap's link type to the parser's; -EINVAL if the parser cannot read it. */
static int reader_link(struct reader *r, struct errmsg *err)
{
	int dlt = pcap_datalink(r->pcap);

	/* "any" captures in SLL2 since libpcap 1.10; the parser reads SLL, which it can switch to.
	 */
	if (dlt == DLT_SLL2_NUM && pcap_set_datalink(r->pcap, DLT_LINUX_SLL) == 0)
		dlt = DLT_LINUX_SLL;
	switch (dlt) {
	case DLT_EN10MB:
		r->link = LINK_ETHERNET;
		return 0;
	case DLT_RAW:
	case DLT_IPV4_NUM:
		r->link = LINK_RAW;
		return 0;
	case DLT_LINUX_SLL:
		r->link = LINK_LINUX_SLL;
		return 0;
	}
	return errmsg_set(err, -EINVAL,
			  "link type %s is not supported (Ethernet, raw IP or Linux cooked only)",
			  pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
}

/*
 * Compiles filter (NULL: none) for the capture: libpcap runs it, or on a
 * mapped file the walk does (reader_map.c).
 */
static int reader_filter(struct reader *r, const char *filter, struct errmsg *err)
{
	struct bpf_program prog;
	int rc = 0;

	if (!filter)
		return 0;
	if (pcap_compile(r->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN))
		return errmsg_set(err, -EINVAL, "--filter '%s': %s", filter, pcap_geterr(r->pcap));
	if (r->map.base) {
		r->map.filter = prog;
		r->map.has_filter = true;
		return 0;
	}
	if (pcap_setfilter(r->pcap, &prog))
		rc = errmsg_set(err, -EINVAL, "--filter '%s': %s", filter, pcap_geterr(r->pcap));
	pcap_freecode(&prog);
	return rc;
}

/*
 * libpcap reads a file with two fread() calls per frame. The stream is ours,
 * opened with a large buffer and without stdio's per-call locking (only this
 * thread reads it), which about halves what reading costs per frame.
 */
static FILE *reader_fopen(const char *path)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;

	if (!fp)
		return NULL;
	setvbuf(fp, NULL, _IOFBF, FILE_BUFFER_BYTES);
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	return fp;
}

int reader_open_file(struct reader *r, const char *path, const char *filter, struct errmsg *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *fp;
	int rc;

	memset(r, 0, sizeof(*r));
	fp = reader_fopen(path);
	if (!fp)
		return errmsg_set(err, -EINVAL, "%s: %s", path, strerror(errno));
	r->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!r->pcap) {
		fclose(fp);
		return errmsg_set(err, -EINVAL, "%s: %s", path, errbuf);
	}
	r->ts_ns_per_unit = 1;
	rc = reader_link(r, err);
	if (!rc) {
		(void)reader_map_open(r, path); /* else libpcap reads it */
		rc = reader_filter(r, filter, err);
	}
	if (rc)
		reader_close(r);
	return rc;
}

/* The message for a pcap_activate() failure, naming the fix where there is one. */
static int reader_activate_error(struct reader *r, const char *iface, int status,
				 struct errmsg *err)
{
	switch (status) {
	case PCAP_ERROR_PERM_DENIED:
		return errmsg_set(err, -EPERM, "%s: capturing needs root or CAP_NET_RAW", iface);
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return errmsg_set(err, -ENODEV, "%s: no such interface", iface);
	case PCAP_ERROR_IFACE_NOT_UP:
		return errmsg_set(err, -ENETDOWN, "%s: interface is down", iface);
	}
	return errmsg_set(err, -EIO, "%s: %s", iface, pcap_geterr(r->pcap));
}

int reader_open_live(struct reader *r, const char *iface, const char *filter, struct errmsg *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	int status, rc;

	memset(r, 0, sizeof(*r));
	r->is_live = true;
	r->pcap = pcap_create(iface, errbuf);
	if (!r->pcap)
		return errmsg_set(err, -EIO, "%s: %s", iface, errbuf);
	pcap_set_snaplen(r->pcap, LIVE_SNAPLEN_BYTES);
	pcap_set_promisc(r->pcap, 1);
	pcap_set_timeout(r->pcap, LIVE_TIMEOUT_MS);
	pcap_set_buffer_size(r->pcap, LIVE_BUFFER_BYTES);
	r->ts_ns_per_unit =
		pcap_set_tstamp_precision(r->pcap, PCAP_TSTAMP_PRECISION_NANO) == 0 ? 1 : 1000;
	status = pcap_activate(r->pcap);
	if (status < 0) {
		rc = reader_activate_error(r, iface, status, err);
		reader_close(r);
		return rc;
	}
	rc = reader_link(r, err);
	if (!rc)
		rc = reader_filter(r, filter ? filter : LIVE_FILTER, err);
	if (!rc && pcap_setnonblock(r->pcap, 1, errbuf) < 0)
		rc = errmsg_set(err, -EIO, "%s: %s", iface, errbuf);
	if (rc)
		reader_close(r);
	return rc;
}

struct reader_run_ctx {
	struct reader *r;
	struct tracker *t;
};

static void reader_callback(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct reader_run_ctx *ctx = (struct reader_run_ctx *)user;
	struct reader *r = ctx->r;

	/* Unsigned seconds, as a pcap file holds them and pcap_walk.h reads them. */
	reader_take(r, ctx->t, data, h->caplen,
		    (uint64_t)(uint32_t)h->ts.tv_sec * 1000000000ull +
			    (uint64_t)h->ts.tv_usec * r->ts_ns_per_unit);
}

/*
 * A live capture with nothing to read for a while: the frames waiting in the
 * look-ahead ring go to the tracker, and the tracker's clock, which frames'
 * timestamps drive, moves to the time of day they are taken in, so that a
 * sweep of a dark network is decided when its SYNs time out, not whenever
 * the next frame comes.
 */
static void reader_idle(struct reader *r, struct tracker *t)
{
	struct timespec now;

	reader_drain(r, t);
	if (clock_gettime(CLOCK_REALTIME, &now) == 0)
		tracker_advance(t, (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec);
}

/*
 * A live capture is read without blocking, and waited for here: libpcap's
 * own timeout does not end a read on a ring that stays empty, and the
 * tracker must hear when nothing comes (reader_idle()).
 */
static void reader_wait(struct reader *r, struct tracker *t)
{
	struct pollfd pfd = {.fd = pcap_get_selectable_fd(r->pcap), .events = POLLIN};

	if (pfd.fd < 0 || poll(&pfd, 1, LIVE_TIMEOUT_MS) == 0)
		reader_idle(r, t);
}

/*
 * pcap_dispatch() rather than pcap_next_ex(): a callback per frame costs less
 * than a return through pcap_next_ex()'s bookkeeping (about 5 ns of the 35 a
 * file's frame takes to read). A batch of READER_BATCH frames keeps *stop
 * looked at often.
 */
int reader_run(struct reader *r, struct tracker *t, const atomic_bool *stop, struct errmsg *err)
{
	struct reader_run_ctx ctx = {r, t};
	int rc = 0;

	if (r->map.base)
		return reader_map_run(r, t, stop, err);
	while (!atomic_load_explicit(stop, memory_order_relaxed)) {
		int got = pcap_dispatch(r->pcap, READER_BATCH, reader_callback, (u_char *)&ctx);

		if (got == 0 && r->is_live) {
			reader_wait(r, t);
			continue; /* and look at *stop again */
		}
		if (got > 0)
			continue;
		if (got == 0 || got == PCAP_ERROR_BREAK)
			break; /* end of file, or reader_break() */
		rc = errmsg_set(err, r->is_live ? -EIO : -EINVAL, "%s", pcap_geterr(r->pcap));
		break;
	}
	reader_drain(r, t);
	return rc;
}

void reader_break(struct reader *r)
{
	if (!r)
		return;
	atomic_store(&r->broken, true);
	if (r->pcap)
		pcap_breakloop(r->pcap);
}

void reader_get_stats(struct reader *r, struct reader_stats *out)
{
	struct pcap_stat ps;

	*out = r->stats;
	if (r->is_live && pcap_stats(r->pcap, &ps) == 0)
		out->drops = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
}

void reader_close(struct reader *r)
{
	reader_map_close(r);
	if (r->pcap)
		pcap_close(r->pcap);
	r->pcap = NULL;
}
