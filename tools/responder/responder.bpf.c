// SPDX-License-Identifier: MIT
/*
 * The stateless responder: an XDP program that answers TCP SYNs for a whole
 * address range from the driver, so that a scanner can be measured without a
 * TCP stack in the way. A SYN (no ACK, RST or FIN) to an address in the range
 * is turned around in place: SYN-ACK for an open port, RST+ACK for a closed
 * one, and XDP_DROP for a filtered one. Every other frame (ARP, ICMP, the
 * scanner's own RSTs, IP options, fragments) goes on to the kernel.
 *
 * The reply is always 54 bytes, Ethernet + IPv4 + TCP without options: the
 * SYN's own options and padding are cut off with bpf_xdp_adjust_tail. Both
 * checksums are computed from scratch over the rewritten headers. The
 * SYN-ACK's sequence number is a keyed hash of the 4-tuple, so it needs no
 * state either; its ack is the SYN's sequence number plus one.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "responder.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

#define REPLY_BYTES (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct tcphdr))

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct responder_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct responder_stats);
} stats SEC(".maps");

/* Folds a 32-bit one's complement sum to 16 bits and complements it. */
static __always_inline __u16 responder_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* Sums n 16-bit words as they lie in memory (the byte order cancels out). */
static __always_inline __u32 responder_csum_words(const __u16 *p, int n)
{
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

static __always_inline __u32 responder_isn(__u32 key, __u32 saddr, __u32 daddr, __u32 ports)
{
	__u32 h = key ^ saddr;

	h = (h ^ (h >> 16)) * 0x7feb352d;
	h = (h ^ daddr ^ (h >> 15)) * 0x846ca68b;
	h = (h ^ ports ^ (h >> 16)) * 0x7feb352d;
	return h ^ (h >> 15);
}

SEC("xdp")
int responder_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);
	struct responder_stats *st;
	struct responder_config *cfg;
	__u32 zero = 0, seq_in, saddr, daddr, sum, data_bytes;
	__u16 sport, dport, ip_bytes;
	__u8 flags, state, mac[ETH_ALEN];
	__u64 now_ns;

	st = bpf_map_lookup_elem(&stats, &zero);
	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!st || !cfg)
		return XDP_PASS;
	if ((void *)(tcp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->version != 4 ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_TCP || (ip->frag_off & bpf_htons(0x3fff)))
		goto pass;
	flags = ((__u8 *)tcp)[13];
	if ((flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN)
		goto pass;
	if ((bpf_ntohl(ip->daddr) & cfg->mask_h) != cfg->net_h)
		goto pass;

	now_ns = bpf_ktime_get_ns();
	if (!st->first_ns)
		st->first_ns = now_ns;
	st->last_ns = now_ns;
	st->syn++;
	dport = bpf_ntohs(tcp->dest);
	state = cfg->port_state[dport & 0xffff];
	if (state == RESPONDER_FILTERED) {
		st->drop++;
		return XDP_DROP;
	}

	/* Turn the frame around: addresses, then ports. */
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	saddr = ip->saddr;
	daddr = ip->daddr;
	ip_bytes = bpf_ntohs(ip->tot_len);
	ip->saddr = daddr;
	ip->daddr = saddr;
	ip->tos = 0;
	ip->tot_len = bpf_htons(sizeof(struct iphdr) + sizeof(struct tcphdr));
	ip->id = 0;
	ip->frag_off = bpf_htons(0x4000); /* DF, as Linux sends its SYN-ACKs and RSTs */
	ip->ttl = 64;
	ip->check = 0;
	ip->check = responder_csum_fold(responder_csum_words((__u16 *)ip, 10));

	sport = tcp->source;
	tcp->source = tcp->dest;
	tcp->dest = sport;
	seq_in = bpf_ntohl(tcp->seq);
	/* The SYN's payload, if any, is acknowledged by the RST (RFC 9293 3.10.7.1). */
	data_bytes = ip_bytes - sizeof(struct iphdr) - tcp->doff * 4;
	if (data_bytes > 1500)
		data_bytes = 0;
	if (state == RESPONDER_OPEN) {
		tcp->seq = bpf_htonl(
			responder_isn(cfg->key, saddr, daddr, ((__u32)sport << 16) | tcp->source));
		tcp->ack_seq = bpf_htonl(seq_in + 1);
		((__u8 *)tcp)[13] = TCP_SYN | TCP_ACK;
		tcp->window = bpf_htons(64240);
		st->synack++;
	} else {
		tcp->seq = 0;
		tcp->ack_seq = bpf_htonl(seq_in + 1 + data_bytes);
		((__u8 *)tcp)[13] = TCP_RST | TCP_ACK;
		tcp->window = 0;
		st->rst++;
	}
	((__u8 *)tcp)[12] = 5 << 4; /* doff 5: no options, reserved bits clear */
	tcp->check = 0;
	tcp->urg_ptr = 0;
	sum = (saddr & 0xffff) + (saddr >> 16) + (daddr & 0xffff) + (daddr >> 16) +
	      bpf_htons(IPPROTO_TCP) + bpf_htons(sizeof(struct tcphdr));
	sum += responder_csum_words((__u16 *)tcp, 10);
	tcp->check = responder_csum_fold(sum);

	if (end - data > (long)REPLY_BYTES &&
	    bpf_xdp_adjust_tail(ctx, (int)(REPLY_BYTES - (end - data))) != 0)
		return XDP_ABORTED;
	return XDP_TX;
pass:
	st->pass++;
	return XDP_PASS;
}

/* Attached to the peer veth: on veth, XDP_TX frames reach the peer only
 * through its XDP receive path, which exists only while it has a program. */
SEC("xdp")
int responder_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
