// SPDX-License-Identifier: MIT
/*
 * nooffload: turns off TX and RX checksum offload on the named interfaces, as
 * `ethtool -K DEV tx off rx off` does, for machines without ethtool. On veth,
 * offload leaves partial checksums in frames that a packet socket captures, so
 * the testbed turns it off to make captured frames look as they would on a wire.
 * Usage: nooffload DEV...   (exit 1 on the first failure)
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int nooffload_set(int fd, const char *dev, unsigned cmd)
{
	struct ethtool_value ev = {.cmd = cmd, .data = 0};
	struct ifreq ifr = {0};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
		fprintf(stderr, "nooffload: %s: %s\n", dev, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (argc < 2) {
		fprintf(stderr, "usage: nooffload DEV...\n");
		return 2;
	}
	if (fd < 0) {
		perror("nooffload: socket");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (nooffload_set(fd, argv[i], ETHTOOL_STXCSUM) < 0 ||
		    nooffload_set(fd, argv[i], ETHTOOL_SRXCSUM) < 0)
			return 1;
	close(fd);
	return 0;
}
