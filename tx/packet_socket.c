// SPDX-License-Identifier: MIT
#include "packet_socket.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>

#define SNDBUF_BYTES (64 << 20)

int packet_socket_check_config(const struct tx_config *cfg, struct errmsg *err)
{
	if (cfg->batch < 1 || cfg->batch > TX_BATCH_MAX)
		return errmsg_set(err, -EINVAL, "batch size %u is outside 1-%d", cfg->batch,
				  TX_BATCH_MAX);
	if (cfg->prefill_len > TX_FRAME_MAX)
		return errmsg_set(err, -EINVAL, "template of %u bytes exceeds %d", cfg->prefill_len,
				  TX_FRAME_MAX);
	return 0;
}

int packet_socket_find_if(const struct tx_config *cfg, char name[IF_NAMESIZE], int *ifindex,
			  struct errmsg *err)
{
	if (cfg->ifname) {
		snprintf(name, IF_NAMESIZE, "%s", cfg->ifname);
		*ifindex = cfg->ifindex ? cfg->ifindex : (int)if_nametoindex(cfg->ifname);
	} else if (!cfg->ifindex || !if_indextoname((unsigned)cfg->ifindex, name)) {
		return errmsg_set(err, -ENODEV, "interface #%d does not exist", cfg->ifindex);
	} else {
		*ifindex = cfg->ifindex;
	}
	if (!*ifindex)
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", cfg->ifname);
	return 0;
}

int packet_socket_check_up(int fd, const char *name, struct errmsg *err)
{
	struct ifreq ifr = {0};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return errmsg_set(err, -errno, "interface '%s' does not exist", name);
	if (!(ifr.ifr_flags & IFF_UP))
		return errmsg_set(err, -ENETDOWN, "interface '%s' is down", name);
	return 0;
}

int packet_socket_open(const struct tx_config *cfg, bool is_rawip, struct errmsg *err)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	char name[IF_NAMESIZE];
	int size = SNDBUF_BYTES;
	int fd, rc;

	rc = packet_socket_find_if(cfg, name, &sll.sll_ifindex, err);
	if (rc < 0)
		return rc;
	fd = is_rawip ? socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW)
		      : socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EPERM || rc == -EACCES)
			return errmsg_set(err, rc, PACKET_SOCKET_NOT_ROOT);
		return errmsg_set(err, rc, "opening a raw socket: %s", strerror(-rc));
	}
	rc = packet_socket_check_up(fd, name, err);
	if (rc < 0)
		goto out;
	if (is_rawip ? setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, IF_NAMESIZE) < 0
		     : bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = errmsg_set(err, -errno, "binding to '%s': %s", name, strerror(errno));
		goto out;
	}
	/* A deep queue absorbs bursts; FORCE exceeds wmem_max but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
out:
	close(fd);
	return rc;
}
