// SPDX-License-Identifier: MIT
/*
 * rawsend: the ceiling of a send loop on this machine, for bench/compare.sh.
 * It prebuilds a pool of 60-byte TCP SYNs (Ethernet + IPv4 + TCP, no options,
 * 6 bytes of padding) to the addresses of --dst and the ports of -p, then
 * sends them round and round from one thread for --seconds, and prints what
 * the kernel accepted per second. Nothing is computed per packet: what a
 * scanner does beyond this loop is its own cost.
 *
 *   sendmmsg  AF_PACKET socket, one sendmmsg(2) of --batch frames per call
 *   txring    PACKET_TX_RING (TPACKET_V2): copy into the ring, one send(2) per batch
 *
 * --bypass sets PACKET_QDISC_BYPASS on either. Frames the kernel accepts may
 * still be dropped further on (a full veth ring); count them at the receiver.
 * Only 198.18.0.0/15 (RFC 2544, benchmarking) is accepted as --dst.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_BYTES  60
#define POOL_FRAMES  4096
#define BATCH_MAX    1024
#define PORTS_MAX    64
#define BENCH_NET_H  0xc6120000u /* 198.18.0.0/15 */
#define BENCH_MASK_H 0xfffe0000u

struct rawsend_opts {
	const char *dev;
	uint32_t src_h, dst_net_h, dst_mask_h;
	uint8_t dst_mac[6];
	uint16_t ports[PORTS_MAX];
	unsigned n_ports, batch;
	double seconds;
	bool is_ring, is_bypass, has_mac, has_src;
};

static uint8_t pool[POOL_FRAMES][FRAME_BYTES];

static double rawsend_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t rawsend_sum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	return sum;
}

static uint16_t rawsend_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void rawsend_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void rawsend_put32(uint8_t *p, uint32_t v)
{
	rawsend_put16(p, (uint16_t)(v >> 16));
	rawsend_put16(p + 2, (uint16_t)v);
}

/* Fills the pool: frame k goes to host k of --dst (mod its size) and port k mod n_ports. */
static void rawsend_build(const struct rawsend_opts *o, const uint8_t src_mac[6])
{
	uint32_t n_hosts = ~o->dst_mask_h + 1;

	for (uint32_t k = 0; k < POOL_FRAMES; k++) {
		uint8_t *f = pool[k], *ip = f + 14, *tcp = ip + 20;
		uint32_t dst_h = o->dst_net_h + (uint32_t)((k * 2654435761ull) % n_hosts), sum;

		memcpy(f, o->dst_mac, 6);
		memcpy(f + 6, src_mac, 6);
		rawsend_put16(f + 12, ETH_P_IP);
		ip[0] = 0x45;
		rawsend_put16(ip + 2, 40);
		rawsend_put16(ip + 4, (uint16_t)k);
		ip[8] = 64;
		ip[9] = IPPROTO_TCP;
		rawsend_put32(ip + 12, o->src_h);
		rawsend_put32(ip + 16, dst_h);
		rawsend_put16(ip + 10, rawsend_fold(rawsend_sum(ip, 20, 0)));
		rawsend_put16(tcp, (uint16_t)(61000 + k % 256));
		rawsend_put16(tcp + 2, o->ports[k % o->n_ports]);
		rawsend_put32(tcp + 4, k * 2654435761u);
		tcp[12] = 5 << 4;
		tcp[13] = 0x02; /* SYN */
		rawsend_put16(tcp + 14, 1024);
		sum = rawsend_sum(ip + 12, 8, IPPROTO_TCP + 20);
		rawsend_put16(tcp + 16, rawsend_fold(rawsend_sum(tcp, 20, sum)));
	}
}

static int rawsend_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int rawsend_parse_net(const char *s, uint32_t *net_h, uint32_t *mask_h)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct in_addr in;
	int bits = slash ? atoi(slash + 1) : 32;
	size_t len = slash ? (size_t)(slash - s) : strlen(s);

	if (len >= sizeof(addr) || bits < 15 || bits > 32)
		return -1;
	memcpy(addr, s, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		return -1;
	*mask_h = ~0u << (32 - bits);
	*net_h = ntohl(in.s_addr) & *mask_h;
	return (*net_h & BENCH_MASK_H) == BENCH_NET_H ? 0 : -1;
}

static void rawsend_usage(FILE *f)
{
	fprintf(f, "Usage: rawsend -i IFACE --src-ip ADDR --dst-mac MAC [--dst 198.18.0.0/16]\n"
		   "               [-p 80,443] [--seconds 3] [--batch 64] [--ring] [--bypass]\n");
}

static int rawsend_parse(int argc, char **argv, struct rawsend_opts *o)
{
	static const struct option longopts[] = {
		{"src-ip", required_argument, NULL, 's'},
		{"dst-mac", required_argument, NULL, 'm'},
		{"dst", required_argument, NULL, 'd'},
		{"seconds", required_argument, NULL, 't'},
		{"batch", required_argument, NULL, 'b'},
		{"ring", no_argument, NULL, 'r'},
		{"bypass", no_argument, NULL, 'B'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct in_addr in;
	char *tok, *save;
	int c;

	o->dst_net_h = 0xc6120000u;
	o->dst_mask_h = 0xffff0000u;
	o->ports[0] = 80;
	o->n_ports = 1;
	o->batch = 64;
	o->seconds = 3;
	while ((c = getopt_long(argc, argv, "i:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->dev = optarg;
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				return -1;
			o->src_h = ntohl(in.s_addr);
			o->has_src = true;
			break;
		case 'm':
			if (rawsend_parse_mac(optarg, o->dst_mac) < 0)
				return -1;
			o->has_mac = true;
			break;
		case 'd':
			if (rawsend_parse_net(optarg, &o->dst_net_h, &o->dst_mask_h) < 0) {
				fprintf(stderr, "rawsend: --dst must lie in 198.18.0.0/15\n");
				return -1;
			}
			break;
		case 'p':
			o->n_ports = 0;
			for (tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				int port = atoi(tok);

				if (port < 1 || port > 65535 || o->n_ports == PORTS_MAX)
					return -1;
				o->ports[o->n_ports++] = (uint16_t)port;
			}
			if (!o->n_ports)
				return -1;
			break;
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'b':
			o->batch = (unsigned)atoi(optarg);
			break;
		case 'r':
			o->is_ring = true;
			break;
		case 'B':
			o->is_bypass = true;
			break;
		case 'h':
			rawsend_usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (!o->dev || !o->has_src || !o->has_mac || o->batch < 1 || o->batch > BATCH_MAX ||
	    o->seconds <= 0 || optind != argc)
		return -1;
	return 0;
}

/* The AF_PACKET socket bound to the interface; its MAC goes to src_mac. */
static int rawsend_socket(const struct rawsend_opts *o, uint8_t src_mac[6])
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	struct ifreq ifr = {0};
	int fd = socket(AF_PACKET, SOCK_RAW, 0), one = 1, sndbuf = 64 << 20;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o->dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(src_mac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_ifindex = (int)if_nametoindex(o->dev);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (o->is_bypass && setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
		return -1;
	return fd;
}

/* Sends with sendmmsg until the deadline; returns frames accepted, *errors counts failed calls. */
static uint64_t rawsend_mmsg(int fd, const struct rawsend_opts *o, double deadline,
			     uint64_t *errors)
{
	static struct iovec iov[POOL_FRAMES];
	static struct mmsghdr msgs[POOL_FRAMES];
	uint64_t sent = 0;
	unsigned next = 0;

	for (unsigned k = 0; k < POOL_FRAMES; k++) {
		iov[k] = (struct iovec){.iov_base = pool[k], .iov_len = FRAME_BYTES};
		msgs[k].msg_hdr = (struct msghdr){.msg_iov = &iov[k], .msg_iovlen = 1};
	}
	while (rawsend_now() < deadline) {
		unsigned n = POOL_FRAMES - next < o->batch ? POOL_FRAMES - next : o->batch;
		int r = sendmmsg(fd, &msgs[next], n, 0);

		if (r <= 0) {
			if (r < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				break;
			(*errors)++;
			continue;
		}
		sent += (unsigned)r;
		next = (next + (unsigned)r) % POOL_FRAMES;
	}
	return sent;
}

/* Sends through PACKET_TX_RING until the deadline; returns frames handed to the kernel. */
static uint64_t rawsend_ring(int fd, const struct rawsend_opts *o, double deadline,
			     uint64_t *errors)
{
	struct tpacket_req req = {
		.tp_block_size = 1 << 16, .tp_block_nr = 16, .tp_frame_size = 128};
	const unsigned hdr_bytes = TPACKET_ALIGN(sizeof(struct tpacket2_hdr));
	int version = TPACKET_V2;
	unsigned n_frames, slot = 0, k = 0;
	uint64_t sent = 0;
	uint8_t *ring;

	req.tp_frame_nr = req.tp_block_size / req.tp_frame_size * req.tp_block_nr;
	n_frames = req.tp_frame_nr;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
		return 0;
	ring = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED)
		return 0;
	while (rawsend_now() < deadline) {
		unsigned queued = 0;

		while (queued < o->batch) {
			struct tpacket2_hdr *h = (void *)(ring + (size_t)slot * req.tp_frame_size);

			if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_AVAILABLE)
				break;
			memcpy((uint8_t *)h + hdr_bytes, pool[k], FRAME_BYTES);
			h->tp_len = FRAME_BYTES;
			__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
			slot = (slot + 1) % n_frames;
			k = (k + 1) % POOL_FRAMES;
			queued++;
		}
		if (send(fd, NULL, 0, 0) < 0 && errno != ENOBUFS && errno != EAGAIN)
			(*errors)++;
		sent += queued;
	}
	return sent;
}

int main(int argc, char **argv)
{
	struct rawsend_opts o = {0};
	uint64_t sent, errors = 0;
	uint8_t src_mac[6];
	double start, elapsed;
	int fd;

	if (rawsend_parse(argc, argv, &o) < 0) {
		rawsend_usage(stderr);
		return 2;
	}
	fd = rawsend_socket(&o, src_mac);
	if (fd < 0) {
		fprintf(stderr, "rawsend: %s: %s\n", o.dev, strerror(errno));
		return 1;
	}
	rawsend_build(&o, src_mac);
	start = rawsend_now();
	sent = o.is_ring ? rawsend_ring(fd, &o, start + o.seconds, &errors)
			 : rawsend_mmsg(fd, &o, start + o.seconds, &errors);
	elapsed = rawsend_now() - start;
	if (!sent) {
		fprintf(stderr, "rawsend: nothing sent: %s\n", strerror(errno));
		return 1;
	}
	printf("rawsend: %s batch=%u%s: %llu frames in %.3f s = %.0f pps (%llu failed calls)\n",
	       o.is_ring ? "txring" : "sendmmsg", o.batch, o.is_bypass ? " bypass" : "",
	       (unsigned long long)sent, elapsed, (double)sent / elapsed,
	       (unsigned long long)errors);
	close(fd);
	return 0;
}
