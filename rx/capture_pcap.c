// SPDX-License-Identifier: MIT
/*
 * libpcap capture: the portable receive backend. The handle is non-blocking
 * and immediate-mode, so dispatch() waits in poll() on pcap's selectable fd,
 * never inside libpcap, and the receiver's timeout is the only wait there is.
 * Filtering happens in the kernel (BPF), so only candidate replies cross into
 * user space.
 */
#include "rx.h"

#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#define SNAPLEN_DEFAULT 256
#define BUFFER_DEFAULT	(64u << 20)
#define DISPATCH_MAX	1024 /* frames per dispatch, so one call stays bounded */

struct capture_pcap {
	pcap_t *handle;
	int fd;
	uint64_t ns_per_tick; /* 1 if libpcap gives nanosecond stamps, else 1000 */
	uint64_t frames_seen;
};

/* What pcap_dispatch's callback needs: where to send the frames. */
struct capture_pcap_delivery {
	rx_frame_fn fn;
	void *ctx;
	uint64_t ns_per_tick;
};

/* Maps pcap_activate's failure to the errno and the sentence that names the fix. */
static int capture_pcap_error(pcap_t *p, int status, const char *name, struct errmsg *err)
{
	switch (status) {
	case PCAP_ERROR_PERM_DENIED:
		return errmsg_set(err, -EPERM,
				  "opening a packet socket needs root or CAP_NET_RAW (try sudo, or "
				  "setcap cap_net_raw+ep bin/hayate)");
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", name);
	case PCAP_ERROR_IFACE_NOT_UP:
		return errmsg_set(err, -ENETDOWN, "interface '%s' is down", name);
	default:
		return errmsg_set(err, -EIO, "cannot capture on '%s': %s", name,
				  status == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(status));
	}
}

/* Sets the capture options, then activates the handle. */
static int capture_pcap_start(pcap_t *p, const struct rx_config *cfg, const char *name,
			      struct errmsg *err)
{
	int rc;

	pcap_set_snaplen(p, cfg->snaplen_bytes ? (int)cfg->snaplen_bytes : SNAPLEN_DEFAULT);
	pcap_set_promisc(p, 0);
	/* Deliver each frame as it comes rather than when a kernel block fills. */
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, (int)(cfg->buffer_bytes ? cfg->buffer_bytes : BUFFER_DEFAULT));
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(p);
	if (rc < 0)
		return capture_pcap_error(p, rc, name, err);
	/* Our own probes would otherwise come back to us on some interfaces. */
	pcap_setdirection(p, PCAP_D_IN);
	return 0;
}

static int capture_pcap_filter(pcap_t *p, const char *filter, struct errmsg *err)
{
	struct bpf_program prog;
	int rc = 0;

	if (!filter)
		return 0;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return errmsg_set(err, -EINVAL, "bad capture filter \"%s\": %s", filter,
				  pcap_geterr(p));
	if (pcap_setfilter(p, &prog) < 0)
		rc = errmsg_set(err, -EIO, "cannot set capture filter: %s", pcap_geterr(p));
	pcap_freecode(&prog);
	return rc;
}

static int capture_pcap_open(struct rx *rx, const struct rx_config *cfg, struct errmsg *err)
{
	const char *name = cfg->ifname ? cfg->ifname : "any";
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct capture_pcap *c;
	int rc;

	/* Checked here too, so the answer does not depend on whether we are root. */
	if (strcmp(name, "any") != 0 && !if_nametoindex(name))
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", name);
	c = calloc(1, sizeof(*c));
	if (!c)
		return errmsg_set(err, -ENOMEM, "out of memory");
	c->handle = pcap_create(name, errbuf);
	if (!c->handle) {
		rc = errmsg_set(err, -EIO, "cannot capture on '%s': %s", name, errbuf);
		goto out;
	}
	rc = capture_pcap_start(c->handle, cfg, name, err);
	if (rc < 0)
		goto out;
	rc = capture_pcap_filter(c->handle, cfg->filter, err);
	if (rc < 0)
		goto out;
	if (pcap_setnonblock(c->handle, 1, errbuf) < 0) {
		rc = errmsg_set(err, -EIO, "cannot capture on '%s': %s", name, errbuf);
		goto out;
	}
	c->fd = pcap_get_selectable_fd(c->handle);
	c->ns_per_tick =
		pcap_get_tstamp_precision(c->handle) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	rx->link_type = pcap_datalink(c->handle);
	rx->priv = c;
	return 0;
out:
	if (c->handle)
		pcap_close(c->handle);
	free(c);
	return rc;
}

static void capture_pcap_deliver(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	const struct capture_pcap_delivery *d = (const struct capture_pcap_delivery *)user;
	uint64_t ts_ns =
		(uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec * d->ns_per_tick;

	d->fn(d->ctx, bytes, h->caplen, ts_ns);
}

static int capture_pcap_dispatch(struct rx *rx, rx_frame_fn fn, void *ctx, int timeout_ms)
{
	struct capture_pcap *c = rx->priv;
	struct capture_pcap_delivery d = {fn, ctx, c->ns_per_tick};
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	int n;

	n = pcap_dispatch(c->handle, DISPATCH_MAX, capture_pcap_deliver, (u_char *)&d);
	if (n == 0 && timeout_ms != 0) {
		/* Nothing buffered: sleep in the kernel until a frame or the timeout. */
		if (poll(&pfd, 1, timeout_ms) < 0)
			return errno == EINTR ? 0 : -errno;
		n = pcap_dispatch(c->handle, DISPATCH_MAX, capture_pcap_deliver, (u_char *)&d);
	}
	if (n == PCAP_ERROR_BREAK)
		return 0;
	if (n < 0)
		return -EIO;
	c->frames_seen += (unsigned)n;
	return n;
}

static void capture_pcap_stats(const struct rx *rx, struct rx_stats *out)
{
	const struct capture_pcap *c = rx->priv;
	struct pcap_stat ps = {0};

	pcap_stats(c->handle, &ps);
	out->frames_seen = c->frames_seen;
	out->kernel_drops = ps.ps_drop;
	out->iface_drops = ps.ps_ifdrop;
}

static void capture_pcap_close(struct rx *rx)
{
	struct capture_pcap *c = rx->priv;

	if (!c)
		return;
	pcap_close(c->handle);
	free(c);
	rx->priv = NULL;
}

const struct rx_ops rx_pcap_ops = {
	.name = "pcap",
	.open = capture_pcap_open,
	.dispatch = capture_pcap_dispatch,
	.stats = capture_pcap_stats,
	.close = capture_pcap_close,
};
