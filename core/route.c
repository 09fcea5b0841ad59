// SPDX-License-Identifier: MIT
/*
 * Setup-time network discovery. The kernel already knows how it would send to
 * any address, so rather than parse /proc/net/route and second-guess policy
 * routing, we ask it: one RTM_GETROUTE request gives the out interface, the
 * preferred source and the gateway exactly as `ip route get` shows them. The
 * interface's MAC, MTU and flags come from the classic SIOCGIF* ioctls.
 *
 * For the next hop's MAC we read the neighbour table first. If the kernel has
 * no usable entry (nothing has talked to that host lately), we ARP ourselves
 * on an AF_PACKET socket, resending every ARP_RESEND_MS, until the timeout.
 * Time is counted in timerfd ticks, so this file never reads a clock.
 */
#include "route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "addr.h"
#include "arp.h"
#include "compiler.h"

#define NL_BUF_BYTES  32768 /* the kernel never sends a netlink datagram larger */
#define NL_TIMEOUT_MS 2000
#define ARP_TICK_MS   50
#define ARP_RESEND_MS 250

/* Neighbour states whose link-layer address can be used as is. */
#define NUD_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

struct nl_request {
	struct nlmsghdr nh;
	union {
		struct rtmsg rt;
		struct ndmsg nd;
	};
	uint8_t attrs[64];
};

static void nl_put_u32(struct nlmsghdr *nh, unsigned short type, uint32_t value)
{
	struct rtattr *rta = (struct rtattr *)((uint8_t *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(sizeof(value));
	memcpy(RTA_DATA(rta), &value, sizeof(value));
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static int nl_open(struct errmsg *err)
{
	struct timeval tv = {.tv_sec = NL_TIMEOUT_MS / 1000};
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return errmsg_set(err, -errno, "cannot open a netlink socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		int code = -errno;

		close(fd);
		return errmsg_set(err, code, "cannot set up a netlink socket: %s", strerror(-code));
	}
	return fd;
}

/*
 * Sends req and reads answers into buf until one that is final: a lone reply,
 * NLMSG_DONE or an error. Calls fn for each data message. Returns 0, the
 * kernel's -errno from an NLMSG_ERROR, or -errno of a socket failure.
 */
static int nl_talk(int fd, struct nlmsghdr *req, uint8_t *buf,
		   void (*fn)(const struct nlmsghdr *nh, void *ctx), void *ctx)
{
	bool is_dump = req->nlmsg_flags & NLM_F_DUMP;

	req->nlmsg_seq = 1;
	if (send(fd, req, req->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, NL_BUF_BYTES, 0);

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				return e->error;
			}
			fn(nh, ctx);
			if (!is_dump)
				return 0;
		}
	}
}

struct route_answer {
	int oif;
	uint32_t prefsrc, gateway; /* host order, 0 if absent */
};

static void route_parse(const struct nlmsghdr *nh, void *ctx)
{
	struct route_answer *ans = ctx;
	const struct rtmsg *rt = NLMSG_DATA(nh);
	int len = (int)RTM_PAYLOAD(nh);
	uint32_t be;

	if (nh->nlmsg_type != RTM_NEWROUTE || rt->rtm_family != AF_INET)
		return;
	for (const struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (RTA_PAYLOAD(a) < 4)
			continue;
		memcpy(&be, RTA_DATA(a), 4);
		if (a->rta_type == RTA_OIF)
			ans->oif = (int)be; /* an int in host order, not an address */
		else if (a->rta_type == RTA_PREFSRC)
			ans->prefsrc = ntohl(be);
		else if (a->rta_type == RTA_GATEWAY)
			ans->gateway = ntohl(be);
	}
}

/* RTM_GETROUTE for dst (host order), through oif if it is not 0. */
static int route_ask_kernel(uint32_t dst, int oif, struct route_answer *ans, struct errmsg *err)
{
	alignas(struct nlmsghdr) uint8_t buf[NL_BUF_BYTES];
	struct nl_request req = {0};
	char dst_str[ADDR_STR_MAX];
	int fd, ret;

	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rt));
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.rt.rtm_family = AF_INET;
	req.rt.rtm_dst_len = 32;
	nl_put_u32(&req.nh, RTA_DST, htonl(dst));
	if (oif)
		nl_put_u32(&req.nh, RTA_OIF, (uint32_t)oif);

	fd = nl_open(err);
	if (fd < 0)
		return fd;
	*ans = (struct route_answer){0};
	ret = nl_talk(fd, &req.nh, buf, route_parse, ans);
	close(fd);
	addr_format(dst, dst_str);
	if (ret == -ENETUNREACH || ret == -EHOSTUNREACH)
		return errmsg_set(err, -ENETUNREACH, "no route to %s", dst_str);
	if (ret < 0)
		return errmsg_set(err, ret, "no route to %s: %s", dst_str, strerror(-ret));
	if (!ans->oif)
		return errmsg_set(err, -ENETUNREACH, "no route to %s", dst_str);
	return 0;
}

/* Fills ifname, is_loopback, src_mac and mtu of out for out->ifindex, and checks it is up. */
static int route_read_interface(struct route_info *out, struct errmsg *err)
{
	struct ifreq ifr = {0};
	int fd, ret = 0;

	if (!if_indextoname((unsigned)out->ifindex, out->ifname))
		return errmsg_set(err, -ENODEV, "interface %d does not exist", out->ifindex);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errmsg_set(err, -errno, "cannot open a socket: %s", strerror(errno));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", out->ifname);

	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		ret = errmsg_set(err, -errno, "interface '%s': %s", out->ifname, strerror(errno));
		goto out;
	}
	out->is_loopback = ifr.ifr_flags & IFF_LOOPBACK;
	if (!(ifr.ifr_flags & IFF_UP)) {
		ret = errmsg_set(err, -ENETDOWN, "interface '%s' is down", out->ifname);
		goto out;
	}
	if (!(ifr.ifr_flags & IFF_RUNNING)) {
		ret = errmsg_set(err, -ENETDOWN, "interface '%s' is down (no carrier)",
				 out->ifname);
		goto out;
	}

	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		ret = errmsg_set(err, -errno, "interface '%s': %s", out->ifname, strerror(errno));
		goto out;
	}
	out->mtu = (unsigned)ifr.ifr_mtu;

	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		ret = errmsg_set(err, -errno, "interface '%s': %s", out->ifname, strerror(errno));
		goto out;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER &&
	    ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK) {
		ret = errmsg_set(err, -EPROTONOSUPPORT, "interface '%s' is not Ethernet",
				 out->ifname);
		goto out;
	}
	memcpy(out->src_mac, ifr.ifr_hwaddr.sa_data, 6);
out:
	close(fd);
	return ret;
}

/* The interface's first IPv4 address (host order) into *addr; -EADDRNOTAVAIL if it has none. */
static int route_interface_addr(const char *ifname, uint32_t *addr)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0)
		ret = -errno;
	else
		*addr = ntohl(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr);
	close(fd);
	return ret;
}

int route_lookup(uint32_t dst_ip, const char *ifname, struct route_info *out, struct errmsg *err)
{
	struct route_answer ans;
	uint32_t if_addr = 0;
	int oif = 0, ret;

	*out = (struct route_info){0};
	if (ifname) {
		oif = (int)if_nametoindex(ifname);
		if (!oif)
			return errmsg_set(err, -ENODEV, "interface '%s' does not exist", ifname);
		/* Report a down interface as such, before the kernel calls it unreachable. */
		out->ifindex = oif;
		ret = route_read_interface(out, err);
		if (ret < 0)
			return ret;
	}
	ret = route_ask_kernel(dst_ip, oif, &ans, err);
	if (ret < 0)
		return ret;

	out->ifindex = ans.oif;
	out->gateway = ans.gateway;
	ret = route_read_interface(out, err);
	if (ret < 0)
		return ret;

	/*
	 * An interface without IPv4 still gets a source from the kernel, borrowed
	 * from another interface; replies to it would not come back here. The
	 * caller may go on with --source-ip: every other field is filled.
	 */
	if (route_interface_addr(out->ifname, &if_addr) < 0)
		return errmsg_set(err, -EADDRNOTAVAIL,
				  "interface '%s' has no IPv4 address (use --source-ip)",
				  out->ifname);
	out->src_ip = ans.prefsrc ? ans.prefsrc : if_addr;
	return 0;
}

struct neigh_query {
	int ifindex;
	uint32_t addr; /* host order */
	uint8_t *mac;
	bool is_found;
};

static void neigh_parse(const struct nlmsghdr *nh, void *ctx)
{
	struct neigh_query *q = ctx;
	const struct ndmsg *nd = NLMSG_DATA(nh);
	int len = (int)(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*nd)));
	const uint8_t *lladdr = NULL;
	uint32_t be = 0;
	bool has_dst = false;

	if (nh->nlmsg_type != RTM_NEWNEIGH || nd->ndm_family != AF_INET ||
	    nd->ndm_ifindex != q->ifindex || !(nd->ndm_state & NUD_USABLE) || q->is_found)
		return;
	for (const struct rtattr *a =
		     (const struct rtattr *)((const uint8_t *)nd + NLMSG_ALIGN(sizeof(*nd)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) {
			memcpy(&be, RTA_DATA(a), 4);
			has_dst = true;
		} else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			lladdr = RTA_DATA(a);
		}
	}
	if (has_dst && lladdr && ntohl(be) == q->addr) {
		memcpy(q->mac, lladdr, 6);
		q->is_found = true;
	}
}

/* Looks addr up in the kernel's neighbour table for ifindex. Returns 1 found, 0 not, or -errno. */
static int neigh_find(int ifindex, uint32_t addr, uint8_t mac[6], struct errmsg *err)
{
	alignas(struct nlmsghdr) uint8_t buf[NL_BUF_BYTES];
	struct neigh_query q = {.ifindex = ifindex, .addr = addr, .mac = mac};
	struct nl_request req = {0};
	int fd, ret;

	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.nd));
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nd.ndm_family = AF_INET;
	req.nd.ndm_ifindex = ifindex;

	fd = nl_open(err);
	if (fd < 0)
		return fd;
	ret = nl_talk(fd, &req.nh, buf, neigh_parse, &q);
	close(fd);
	if (ret < 0)
		return errmsg_set(err, ret, "cannot read the neighbour table: %s", strerror(-ret));
	return q.is_found;
}

/* Sends ARP who-has for hop until the answer or timeout_ms. Returns 0, or -errno with err set. */
static int arp_resolve(const struct route_info *ri, uint32_t hop, int timeout_ms, uint8_t mac[6],
		       struct errmsg *err)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ri->ifindex,
	};
	struct itimerspec tick = {
		.it_interval = {.tv_nsec = ARP_TICK_MS * 1000000L},
		.it_value = {.tv_nsec = ARP_TICK_MS * 1000000L},
	};
	uint64_t ticks = 0,
		 max_ticks = ((uint64_t)(timeout_ms > 0 ? timeout_ms : 0) + ARP_TICK_MS - 1) /
			     ARP_TICK_MS;
	uint8_t request[ARP_FRAME_BYTES], frame[256];
	char hop_str[ADDR_STR_MAX];
	int fd, tfd = -1, ret;

	addr_format(hop, hop_str);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0) {
		ret = -errno;
		return errmsg_set(err, ret, "cannot open a packet socket to ARP for %s: %s%s",
				  hop_str, strerror(-ret),
				  ret == -EPERM ? " (run as root or grant CAP_NET_RAW)" : "");
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		ret = errmsg_set(err, -errno, "cannot bind a packet socket to '%s': %s", ri->ifname,
				 strerror(errno));
		goto out;
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (tfd < 0 || timerfd_settime(tfd, 0, &tick, NULL) < 0) {
		ret = errmsg_set(err, -errno, "cannot create a timer: %s", strerror(errno));
		goto out;
	}
	arp_build_request(request, ri->src_mac, ri->src_ip, hop);

	for (uint64_t next_send = 0; ticks <= max_ticks;) {
		struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN},
					{.fd = tfd, .events = POLLIN}};

		if (ticks >= next_send) {
			/* A lost send is just a lost try: the next resend or the timeout covers it.
			 */
			if (send(fd, request, sizeof(request), 0) < 0 && errno != ENOBUFS &&
			    errno != EAGAIN) {
				ret = errmsg_set(err, -errno, "cannot send ARP on '%s': %s",
						 ri->ifname, strerror(errno));
				goto out;
			}
			next_send = ticks + ARP_RESEND_MS / ARP_TICK_MS;
		}
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			ret = errmsg_set(err, -errno, "poll: %s", strerror(errno));
			goto out;
		}
		if (pfd[0].revents & POLLIN) {
			ssize_t n = recv(fd, frame, sizeof(frame), MSG_DONTWAIT);

			if (n > 0 && arp_parse_reply(frame, (unsigned)n, hop, mac)) {
				ret = 0;
				goto out;
			}
		}
		if (pfd[1].revents & POLLIN) {
			uint64_t expired;

			if (read(tfd, &expired, sizeof(expired)) == sizeof(expired))
				ticks += expired;
		}
	}
	ret = errmsg_set(err, -EHOSTUNREACH,
			 "no ARP reply from %s on %s within %d ms (use --router-mac)", hop_str,
			 ri->ifname, timeout_ms);
out:
	if (tfd >= 0)
		close(tfd);
	close(fd);
	return ret;
}

int route_next_hop_mac(const struct route_info *ri, uint32_t dst_ip, int timeout_ms, uint8_t mac[6],
		       struct errmsg *err)
{
	uint32_t hop = ri->gateway ? ri->gateway : dst_ip;
	int ret;

	memset(mac, 0, 6);
	if (ri->is_loopback)
		return 0;
	ret = neigh_find(ri->ifindex, hop, mac, err);
	if (ret < 0)
		return ret;
	if (ret == 1)
		return 0;
	return arp_resolve(ri, hop, timeout_ms, mac, err);
}
