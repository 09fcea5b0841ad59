// SPDX-License-Identifier: MIT
#include "capability.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

bool capability_has_net_raw(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno != EPERM && errno != EACCES;
	close(fd);
	return true;
}
