// SPDX-License-Identifier: MIT
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "capability.h"
#include "route.h"

#define DEDUP_MIN	     4096
#define DEDUP_MAX	     (1u << 20)
#define ARP_WAIT_MS	     1000
#define CAPTURE_BUFFER_BYTES (64u << 20)

int run_detect_net(const struct scan_config *cfg, const struct scan *s, struct scan_net *net,
		   struct errmsg *err)
{
	uint32_t first = targets_at(&s->targets, 0);
	struct route_info ri;
	int rc;

	memset(net, 0, sizeof(*net));
	net->src_port_first = cfg->has_src_ports ? cfg->src_port_first : SCAN_DEFAULT_SPORT_FIRST;
	net->src_port_last = cfg->has_src_ports ? cfg->src_port_last : SCAN_DEFAULT_SPORT_LAST;
	if (cfg->offline) {
		snprintf(net->ifname, sizeof(net->ifname), "offline");
		net->src_ip = cfg->src_ip;
		return 0;
	}
	rc = route_lookup(first, cfg->ifname, &ri, err);
	if (rc == -EADDRNOTAVAIL && cfg->has_src_ip)
		rc = 0; /* the user told us which address to use */
	if (rc)
		return rc;
	memcpy(net->ifname, ri.ifname, sizeof(net->ifname));
	net->ifindex = ri.ifindex;
	net->is_loopback = ri.is_loopback;
	net->src_ip = cfg->has_src_ip ? cfg->src_ip : ri.src_ip;
	memcpy(net->src_mac, ri.src_mac, 6);
	if (cfg->has_router_mac) {
		memcpy(net->dst_mac, cfg->router_mac, 6);
		return 0;
	}
	return route_next_hop_mac(&ri, first, ARP_WAIT_MS, net->dst_mac, err);
}

int run_open_tx(struct run *r, const struct scan_config *cfg, struct tx *tx, unsigned queue,
		struct errmsg *err)
{
	const char *name = cfg->send_backend;
	struct tx_config tc = {.ifname = r->scan.net.ifname,
			       .ifindex = r->scan.net.ifindex,
			       .batch = r->batch,
			       .prefill = r->scan.tpl.frame,
			       .prefill_len = SYN_FRAME_BYTES,
			       .queue = queue};

	/* Frames injected on lo are dropped as martians: there, let the kernel route them. */
	if (!name && r->scan.net.is_loopback)
		name = "rawip";
	if (cfg->offline)
		name = "null";
	if (!name)
		return tx_backend_open_auto(tx, &tc, err);
	tx->ops = tx_backend_find(name);
	return tx->ops->open(tx, &tc, err);
}

int run_open_rx(struct run *r, struct errmsg *err)
{
	const struct scan_net *net = &r->scan.net;
	char filter[256], src[ADDR_STR_MAX];
	struct rx_config rc = {.ifname = net->ifname,
			       .filter = filter,
			       .snaplen_bytes = 256,
			       .buffer_bytes = CAPTURE_BUFFER_BYTES};
	uint64_t cap = r->scan.probes;
	const char *name = r->scan.cfg->capture_backend;
	int ret;

	addr_format(net->src_ip, src);
	snprintf(filter, sizeof(filter),
		 "dst host %s and (((tcp or udp) and dst portrange %u-%u) or icmp)", src,
		 net->src_port_first, net->src_port_last);
	if (dedup_init(&r->dedup, cap < DEDUP_MIN ? DEDUP_MIN : cap > DEDUP_MAX ? DEDUP_MAX : cap))
		return errmsg_set(err, -ENOMEM, "out of memory for the dedup table");
	r->has_rx = true;
	/* The ring reads Ethernet-like links only; libpcap handles the others. */
	r->rx.ops = name ? rx_backend_find(name) : &rx_ring_ops;
	ret = r->rx.ops->open(&r->rx, &rc, err);
	if (ret == -EOPNOTSUPP && !name) {
		r->rx.ops = &rx_pcap_ops;
		ret = r->rx.ops->open(&r->rx, &rc, err);
	}
	return ret;
}

int run_connect_setup(struct run *r, struct scan_config *cfg, struct scan_net *net,
		      struct errmsg *err)
{
	unsigned want = cfg->max_inflight ? cfg->max_inflight : CONNECT_DEFAULT_INFLIGHT;
	bool needs_raw = cfg->ping || r->scan.udp_ports.total; /* the kernel sends no echo */

	if (cfg->connect_scan && needs_raw)
		return errmsg_set(err, -EINVAL,
				  "-sT cannot scan UDP ports or ping (-sU, U:, --ping, -sn): "
				  "those need raw packets");
	if (!cfg->connect_scan && !needs_raw && !cfg->offline && !capability_has_net_raw()) {
		fprintf(stderr,
			"hayate: no CAP_NET_RAW (not root): running a connect scan (-sT)\n");
		cfg->connect_scan = true;
	}
	if (!cfg->connect_scan)
		return 0;
	*net = (struct scan_net){.ifname = "connect"};
	r->connect = (struct connect_shared){.out = &r->out,
					     .out_lock = PTHREAD_MUTEX_INITIALIZER,
					     .timeout_ms = cfg->connect_timeout_ms
								   ?: CONNECT_DEFAULT_TIMEOUT_MS};
	return connect_fit_inflight(want, cfg->max_inflight != 0, &r->connect.max_inflight, err);
}
