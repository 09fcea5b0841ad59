// SPDX-License-Identifier: MIT
/*
 * TPACKET_V3 receive ring: the kernel writes matching frames into blocks of a
 * ring mapped into our memory, and hands a block over when it is full or
 * RETIRE_MS old. dispatch() walks every frame of each block it owns, then
 * gives the block back, so there is no system call per frame, nor per batch
 * while replies keep coming: poll() is only called when no block is ready.
 *
 * The kernel filters first. The filter expression is compiled by libpcap for
 * an Ethernet link (pcap_open_dead), exactly as the pcap backend compiles it,
 * and attached with SO_ATTACH_FILTER before the socket is bound, so not one
 * unfiltered frame is queued. The filter's return value also caps each
 * frame's length at the snap length. PACKET_IGNORE_OUTGOING keeps our own
 * probes out of the ring.
 *
 * Nothing is dropped unseen: the ring is large (buffer_bytes, 64 MiB by
 * default: some 400,000 SYN-ACKs), and every frame the kernel could not place
 * is counted (PACKET_STATISTICS tp_drops), as is every time the ring was
 * full (tp_freeze_q_cnt). The kernel resets those counters when read, so they
 * are summed here.
 */
#include "rx.h"

#include <errno.h>
#include <linux/filter.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define SNAPLEN_DEFAULT	    256
#define BUFFER_DEFAULT	    (64u << 20)
#define BLOCK_BYTES	    (256u << 10) /* some 2,000 replies a block */
#define BLOCKS_MIN	    8
#define FRAME_BYTES	    2048 /* a V3 ring's nominal frame; frames are packed */
#define RETIRE_MS	    8	 /* a block with frames is handed over within this */
#define BLOCKS_PER_DISPATCH 8	 /* so one call stays bounded */
#define LINK_TYPE_ETHERNET  1	 /* DLT_EN10MB */
#define NOT_ROOT_MSG                                                                               \
	"opening a packet socket needs root or CAP_NET_RAW (try sudo, or setcap cap_net_raw+ep "   \
	"bin/hayate)"

struct capture_ring {
	int fd;
	uint8_t *ring;
	size_t ring_bytes;
	unsigned blocks;
	unsigned cur; /* the next block to look at */
	uint64_t frames_seen;
	uint64_t drops, freezes; /* summed from PACKET_STATISTICS */
};

/* Checks that name is an Ethernet-like interface that is up. Returns 0 or -errno. */
static int capture_ring_check_if(int fd, const char *name, struct errmsg *err)
{
	struct ifreq ifr = {0};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return errmsg_set(err, -errno, "interface '%s' does not exist", name);
	if (!(ifr.ifr_flags & IFF_UP))
		return errmsg_set(err, -ENETDOWN, "interface '%s' is down", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return errmsg_set(err, -errno, "interface '%s': %s", name, strerror(errno));
	/* Loopback frames carry an all-zero Ethernet header, so they parse as Ethernet. */
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER && ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK)
		return errmsg_set(err, -EOPNOTSUPP,
				  "the ring capture reads Ethernet only, and '%s' is not "
				  "(try --capture-backend pcap)",
				  name);
	return 0;
}

/* Compiles filter for Ethernet, as libpcap does for the pcap backend. Needs no privilege. */
static int capture_ring_compile(const char *filter, unsigned snaplen, struct bpf_program *prog,
				struct errmsg *err)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	int rc = 0;

	if (!dead)
		return errmsg_set(err, -ENOMEM, "out of memory");
	if (pcap_compile(dead, prog, filter ? filter : "", 1, PCAP_NETMASK_UNKNOWN) < 0)
		rc = errmsg_set(err, -EINVAL, "bad capture filter \"%s\": %s", filter,
				pcap_geterr(dead));
	pcap_close(dead);
	return rc;
}

static int capture_ring_attach(int fd, const struct bpf_program *prog, struct errmsg *err)
{
	/* struct bpf_insn and struct sock_filter are the same classic BPF layout. */
	struct sock_fprog fprog = {.len = (unsigned short)prog->bf_len,
				   .filter = (struct sock_filter *)prog->bf_insns};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) < 0)
		return errmsg_set(err, -errno, "cannot set capture filter: %s", strerror(errno));
	return 0;
}

/* Sets up the TPACKET_V3 ring of about buffer_bytes and maps it. */
static int capture_ring_map(struct capture_ring *c, unsigned buffer_bytes, struct errmsg *err)
{
	struct tpacket_req3 req = {.tp_block_size = BLOCK_BYTES,
				   .tp_frame_size = FRAME_BYTES,
				   .tp_retire_blk_tov = RETIRE_MS};
	int version = TPACKET_V3, one = 1;
	void *ring;

	c->blocks = buffer_bytes / BLOCK_BYTES;
	if (c->blocks < BLOCKS_MIN)
		c->blocks = BLOCKS_MIN;
	req.tp_block_nr = c->blocks;
	req.tp_frame_nr = c->blocks * (BLOCK_BYTES / FRAME_BYTES);
	if (setsockopt(c->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0)
		return errmsg_set(err, -errno, "PACKET_VERSION: %s", strerror(errno));
	/* Our own probes are outgoing: the kernel need not even queue them. */
	setsockopt(c->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(c->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return errmsg_set(err, -errno, "cannot make a %u MiB capture ring: %s",
				  (unsigned)((size_t)c->blocks * BLOCK_BYTES >> 20),
				  strerror(errno));
	c->ring_bytes = (size_t)c->blocks * BLOCK_BYTES;
	ring = mmap(NULL, c->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, c->fd,
		    0);
	if (ring == MAP_FAILED)
		return errmsg_set(err, -errno, "mapping the capture ring: %s", strerror(errno));
	c->ring = ring;
	return 0;
}

/* Opens the socket: filter and ring first, bind last, so only filtered frames are queued. */
static int capture_ring_setup(struct capture_ring *c, const struct rx_config *cfg,
			      const struct bpf_program *prog, struct errmsg *err)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = (int)if_nametoindex(cfg->ifname)};
	int rc;

	c->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		rc = -errno;
		if (rc == -EPERM || rc == -EACCES)
			return errmsg_set(err, -EPERM, NOT_ROOT_MSG);
		return errmsg_set(err, rc, "opening a packet socket: %s", strerror(-rc));
	}
	rc = capture_ring_check_if(c->fd, cfg->ifname, err);
	if (rc < 0)
		return rc;
	rc = capture_ring_attach(c->fd, prog, err);
	if (rc < 0)
		return rc;
	rc = capture_ring_map(c, cfg->buffer_bytes ? cfg->buffer_bytes : BUFFER_DEFAULT, err);
	if (rc < 0)
		return rc;
	if (bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return errmsg_set(err, -errno, "binding to '%s': %s", cfg->ifname, strerror(errno));
	return 0;
}

static void capture_ring_free(struct capture_ring *c)
{
	if (c->ring)
		munmap(c->ring, c->ring_bytes);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static int capture_ring_open(struct rx *rx, const struct rx_config *cfg, struct errmsg *err)
{
	unsigned snaplen = cfg->snaplen_bytes ? cfg->snaplen_bytes : SNAPLEN_DEFAULT;
	struct bpf_program prog;
	struct capture_ring *c;
	int rc;

	if (!cfg->ifname)
		return errmsg_set(err, -EINVAL, "the ring capture needs an interface");
	/* Checked here too, so the answer does not depend on whether we are root. */
	if (!if_nametoindex(cfg->ifname))
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", cfg->ifname);
	rc = capture_ring_compile(cfg->filter, snaplen, &prog, err);
	if (rc < 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c) {
		pcap_freecode(&prog);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	c->fd = -1;
	rc = capture_ring_setup(c, cfg, &prog, err);
	pcap_freecode(&prog);
	if (rc < 0) {
		capture_ring_free(c);
		return rc;
	}
	rx->link_type = LINK_TYPE_ETHERNET;
	rx->priv = c;
	return 0;
}

static struct tpacket_block_desc *capture_ring_block(const struct capture_ring *c, unsigned i)
{
	return (struct tpacket_block_desc *)(c->ring + (size_t)i * BLOCK_BYTES);
}

/* Delivers every frame of one block we own, then hands the block back. */
static int capture_ring_block_walk(struct tpacket_block_desc *bd, rx_frame_fn fn, void *ctx)
{
	uint32_t count = bd->hdr.bh1.num_pkts;
	const uint8_t *p = (const uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
	int delivered = 0;

	for (uint32_t i = 0; i < count; i++) {
		const struct tpacket3_hdr *h = (const struct tpacket3_hdr *)p;
		const struct sockaddr_ll *sll =
			(const struct sockaddr_ll *)(p + TPACKET_ALIGN(sizeof(*h)));

		/* Kernels before 4.20 have no PACKET_IGNORE_OUTGOING. */
		if (sll->sll_pkttype != PACKET_OUTGOING) {
			fn(ctx, p + h->tp_mac, h->tp_snaplen,
			   (uint64_t)h->tp_sec * 1000000000u + h->tp_nsec);
			delivered++;
		}
		p += h->tp_next_offset;
	}
	__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	return delivered;
}

/* Walks the ready blocks from cur on, at most BLOCKS_PER_DISPATCH; returns frames delivered. */
static int capture_ring_walk(struct capture_ring *c, rx_frame_fn fn, void *ctx, unsigned *blocks)
{
	int delivered = 0;

	for (*blocks = 0; *blocks < BLOCKS_PER_DISPATCH; (*blocks)++) {
		struct tpacket_block_desc *bd = capture_ring_block(c, c->cur);

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			break;
		delivered += capture_ring_block_walk(bd, fn, ctx);
		c->cur = (c->cur + 1) % c->blocks;
	}
	return delivered;
}

static int capture_ring_dispatch(struct rx *rx, rx_frame_fn fn, void *ctx, int timeout_ms)
{
	struct capture_ring *c = rx->priv;
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN | POLLERR};
	unsigned blocks;
	int n;

	n = capture_ring_walk(c, fn, ctx, &blocks);
	if (!blocks && timeout_ms != 0) {
		/* Nothing ready: sleep in the kernel until a block is, or the timeout. */
		if (poll(&pfd, 1, timeout_ms) < 0)
			return errno == EINTR ? 0 : -errno;
		n = capture_ring_walk(c, fn, ctx, &blocks);
	}
	c->frames_seen += (unsigned)n;
	return n;
}

static void capture_ring_stats(const struct rx *rx, struct rx_stats *out)
{
	struct capture_ring *c = rx->priv;
	struct tpacket_stats_v3 st = {0};
	socklen_t len = sizeof(st);

	if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
		c->drops += st.tp_drops;
		c->freezes += st.tp_freeze_q_cnt;
	}
	out->frames_seen = c->frames_seen;
	out->kernel_drops = c->drops;
	out->iface_drops = 0;
	out->ring_full = c->freezes;
}

static void capture_ring_close(struct rx *rx)
{
	struct capture_ring *c = rx->priv;

	if (!c)
		return;
	capture_ring_free(c);
	rx->priv = NULL;
}

const struct rx_ops rx_ring_ops = {
	.name = "ring",
	.open = capture_ring_open,
	.dispatch = capture_ring_dispatch,
	.stats = capture_ring_stats,
	.close = capture_ring_close,
};
