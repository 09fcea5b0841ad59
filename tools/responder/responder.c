// SPDX-License-Identifier: MIT
/*
 * hayate-responder: loads the stateless responder (responder.bpf.c, whose
 * object file is embedded in this binary), writes its configuration, attaches
 * it to one interface with XDP and stays in the foreground until SIGINT or
 * SIGTERM, when it prints its counters and detaches. SIGUSR1 prints the
 * counters and zeroes them, so a benchmark can read each run separately.
 *
 *   hayate-responder --dev veth1 --open 22,80,443 --filtered 8080
 *   hayate-responder --dev veth0 --pass       # the peer of a veth: see below
 *
 * On a veth, frames a program sends back with XDP_TX reach the peer only
 * through the peer's own XDP receive path, which exists only while the peer
 * has a program attached; --pass attaches one that passes everything.
 *
 * Exit status: 0 done, 1 failure, 2 bad usage, 3 XDP is not available here
 * (bpf() refused, or the interface cannot take an XDP program).
 */
#include "responder.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* The BPF object, built first by the Makefile (RESPONDER_BPF_OBJ is its path). */
__asm__(".pushsection .rodata\n"
	".balign 8\n"
	".globl responder_bpf_start\n"
	"responder_bpf_start:\n"
	".incbin \"" RESPONDER_BPF_OBJ "\"\n"
	".globl responder_bpf_end\n"
	"responder_bpf_end:\n"
	".popsection\n");
extern const char responder_bpf_start[], responder_bpf_end[];

#define EXIT_USAGE  2
#define EXIT_NO_XDP 3

struct responder_opts {
	const char *dev;
	const char *range;
	const char *mode; /* auto, native or generic */
	bool is_pass;
	unsigned n_open, n_filtered;
};

static struct responder_config config;

static void responder_usage(FILE *f)
{
	fprintf(f,
		"Usage: hayate-responder --dev IFACE [--range CIDR] [--open PORTS] [--filtered "
		"PORTS]\n"
		"       hayate-responder --dev IFACE --pass\n"
		"Answers TCP SYNs to every address of CIDR (default 198.18.0.0/15) at the driver\n"
		"(XDP): SYN-ACK for the open ports, nothing for the filtered ones, RST+ACK for "
		"the\n"
		"rest. PORTS: 22,80,8000-8100. --pass attaches a program that passes everything,\n"
		"needed on the peer of a veth for XDP_TX frames to arrive there.\n"
		"  --mode auto|native|generic   XDP mode (default auto: native, else generic)\n"
		"Runs until SIGINT/SIGTERM, then prints its counters and detaches; SIGUSR1 prints\n"
		"the counters and zeroes them. Exit: 0 done, 1 failure, 2 usage, 3 no XDP here.\n");
}

/* Marks every port of LIST ("22,80,8000-8100") with state; returns how many, -1 on bad input. */
static int responder_parse_ports(const char *list, __u8 state)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		char *after;
		long lo = strtol(p, &after, 10), hi = lo;

		if (after == p || lo < 1 || lo > 65535)
			return -1;
		if (*after == '-') {
			p = after + 1;
			hi = strtol(p, &after, 10);
			if (after == p || hi < lo || hi > 65535)
				return -1;
		}
		for (long port = lo; port <= hi; port++) {
			if (config.port_state[port] != RESPONDER_CLOSED &&
			    config.port_state[port] != state) {
				fprintf(stderr,
					"hayate-responder: port %ld is both open and filtered\n",
					port);
				return -1;
			}
			n += config.port_state[port] != state;
			config.port_state[port] = state;
		}
		if (*after == ',')
			after++;
		else if (*after)
			return -1;
		p = after;
	}
	return n;
}

static int responder_parse_range(const char *range)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(range, '/');
	struct in_addr in;
	char *after;
	long bits = 32;
	size_t len = slash ? (size_t)(slash - range) : strlen(range);

	if (len >= sizeof(addr))
		return -1;
	memcpy(addr, range, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		return -1;
	if (slash) {
		bits = strtol(slash + 1, &after, 10);
		if (after == slash + 1 || *after || bits < 0 || bits > 32)
			return -1;
	}
	config.mask_h = bits ? ~0u << (32 - bits) : 0;
	config.net_h = ntohl(in.s_addr) & config.mask_h;
	return 0;
}

static int responder_parse(int argc, char **argv, struct responder_opts *o)
{
	static const struct option longopts[] = {
		{"dev", required_argument, NULL, 'i'},	{"range", required_argument, NULL, 'r'},
		{"open", required_argument, NULL, 'o'}, {"filtered", required_argument, NULL, 'f'},
		{"mode", required_argument, NULL, 'm'}, {"pass", no_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0},
	};
	int c, n;

	o->range = "198.18.0.0/15";
	o->mode = "auto";
	while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->dev = optarg;
			break;
		case 'r':
			o->range = optarg;
			break;
		case 'o':
		case 'f':
			n = responder_parse_ports(optarg,
						  c == 'o' ? RESPONDER_OPEN : RESPONDER_FILTERED);
			if (n < 0) {
				fprintf(stderr, "hayate-responder: bad port list '%s'\n", optarg);
				return -1;
			}
			*(c == 'o' ? &o->n_open : &o->n_filtered) += (unsigned)n;
			break;
		case 'm':
			o->mode = optarg;
			break;
		case 'P':
			o->is_pass = true;
			break;
		case 'h':
			responder_usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc || !o->dev) {
		fprintf(stderr, "hayate-responder: %s\n",
			optind != argc ? "unexpected argument" : "--dev IFACE is required");
		return -1;
	}
	if (strcmp(o->mode, "auto") && strcmp(o->mode, "native") && strcmp(o->mode, "generic")) {
		fprintf(stderr, "hayate-responder: --mode: '%s' is not auto, native or generic\n",
			o->mode);
		return -1;
	}
	if (responder_parse_range(o->range) < 0) {
		fprintf(stderr, "hayate-responder: --range: '%s' is not an IPv4 CIDR\n", o->range);
		return -1;
	}
	return 0;
}

/* Prints the counters summed over CPUs; zeroes them if reset. */
static int responder_print_stats(struct bpf_map *map, bool reset)
{
	int n_cpus = libbpf_num_possible_cpus();
	struct responder_stats *per_cpu, sum = {0};
	__u32 zero = 0;
	size_t size;

	if (n_cpus < 1)
		return -1;
	size = (size_t)n_cpus * sizeof(*per_cpu);
	per_cpu = calloc((size_t)n_cpus, sizeof(*per_cpu));
	if (!per_cpu || bpf_map__lookup_elem(map, &zero, sizeof(zero), per_cpu, size, 0)) {
		free(per_cpu);
		return -1;
	}
	for (int i = 0; i < n_cpus; i++) {
		const struct responder_stats *s = &per_cpu[i];

		sum.syn += s->syn;
		sum.synack += s->synack;
		sum.rst += s->rst;
		sum.drop += s->drop;
		sum.pass += s->pass;
		if (s->first_ns && (!sum.first_ns || s->first_ns < sum.first_ns))
			sum.first_ns = s->first_ns;
		if (s->last_ns > sum.last_ns)
			sum.last_ns = s->last_ns;
	}
	printf("stats syn=%llu synack=%llu rst=%llu drop=%llu pass=%llu span_ns=%llu\n",
	       (unsigned long long)sum.syn, (unsigned long long)sum.synack,
	       (unsigned long long)sum.rst, (unsigned long long)sum.drop,
	       (unsigned long long)sum.pass, (unsigned long long)(sum.last_ns - sum.first_ns));
	fflush(stdout);
	if (reset) {
		memset(per_cpu, 0, size);
		bpf_map__update_elem(map, &zero, sizeof(zero), per_cpu, size, BPF_ANY);
	}
	free(per_cpu);
	return 0;
}

/* Attaches prog in the mode asked for; sets *flags to the flags that worked. */
static int responder_attach(const struct responder_opts *o, int ifindex, int prog_fd, __u32 *flags)
{
	const __u32 modes[] = {XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE};
	int err = -EINVAL;

	for (int i = 0; i < 2; i++) {
		if ((i == 0 && !strcmp(o->mode, "generic")) ||
		    (i == 1 && !strcmp(o->mode, "native")))
			continue;
		*flags = XDP_FLAGS_UPDATE_IF_NOEXIST | modes[i];
		err = bpf_xdp_attach(ifindex, prog_fd, *flags, NULL);
		if (!err || err == -EBUSY || err == -EEXIST)
			break;
	}
	return err;
}

int main(int argc, char **argv)
{
	struct responder_opts o = {0};
	struct bpf_program *prog, *unused;
	struct bpf_object *obj;
	struct bpf_map *stats;
	int ifindex, err, sig;
	__u32 zero = 0, flags = 0;
	sigset_t set;

	if (responder_parse(argc, argv, &o) < 0) {
		responder_usage(stderr);
		return EXIT_USAGE;
	}
	ifindex = (int)if_nametoindex(o.dev);
	if (!ifindex) {
		fprintf(stderr, "hayate-responder: interface '%s' does not exist\n", o.dev);
		return 1;
	}
	if (getrandom(&config.key, sizeof(config.key), 0) != sizeof(config.key))
		config.key = (__u32)getpid();

	obj = bpf_object__open_mem(responder_bpf_start,
				   (size_t)(responder_bpf_end - responder_bpf_start), NULL);
	if (!obj) {
		fprintf(stderr, "hayate-responder: cannot open the BPF object: %s\n",
			strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj,
						o.is_pass ? "responder_pass" : "responder_xdp");
	unused = bpf_object__find_program_by_name(obj,
						  o.is_pass ? "responder_xdp" : "responder_pass");
	stats = bpf_object__find_map_by_name(obj, "stats");
	if (!prog || !unused || !stats) {
		fprintf(stderr, "hayate-responder: the BPF object lacks a program or map\n");
		return 1;
	}
	bpf_program__set_autoload(unused, false);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "hayate-responder: cannot load the BPF program: %s\n",
			strerror(-err));
		return err == -EPERM || err == -ENOSYS ? EXIT_NO_XDP : 1;
	}
	err = bpf_map__update_elem(bpf_object__find_map_by_name(obj, "config"), &zero, sizeof(zero),
				   &config, sizeof(config), BPF_ANY);
	if (err) {
		fprintf(stderr, "hayate-responder: cannot write the configuration: %s\n",
			strerror(-err));
		return 1;
	}

	/* Block the signals we wait for before attaching, so none is lost. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);

	err = responder_attach(&o, ifindex, bpf_program__fd(prog), &flags);
	if (err) {
		fprintf(stderr, "hayate-responder: cannot attach XDP to %s: %s\n", o.dev,
			err == -EBUSY || err == -EEXIST ? "it already has an XDP program"
							: strerror(-err));
		return err == -EBUSY || err == -EEXIST ? 1 : EXIT_NO_XDP;
	}
	if (o.is_pass)
		printf("ready dev=%s mode=%s pass\n", o.dev,
		       flags & XDP_FLAGS_DRV_MODE ? "native" : "generic");
	else
		printf("ready dev=%s mode=%s range=%s open=%u filtered=%u\n", o.dev,
		       flags & XDP_FLAGS_DRV_MODE ? "native" : "generic", o.range, o.n_open,
		       o.n_filtered);
	fflush(stdout);

	for (;;) {
		if (sigwait(&set, &sig))
			continue;
		if (sig == SIGUSR1) {
			responder_print_stats(stats, true);
			continue;
		}
		break;
	}
	if (!o.is_pass)
		responder_print_stats(stats, false);
	err = bpf_xdp_detach(ifindex, flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err)
		fprintf(stderr, "hayate-responder: detach from %s: %s\n", o.dev, strerror(-err));
	bpf_object__close(obj);
	return err ? 1 : 0;
}
