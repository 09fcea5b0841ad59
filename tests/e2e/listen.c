// SPDX-License-Identifier: MIT
/*
 * listen: the e2e testbed's open ports. Listens on 0.0.0.0 on each port given
 * as an argument with a deep backlog and never accepts, so the kernel answers
 * every SYN with a SYN-ACK (or a syncookie one when the queue is full) and the
 * scanner's RST tears it down. Prints "ready" once every socket listens; exits
 * 0 on SIGTERM or SIGINT, 1 if a port cannot be bound.
 * Usage: listen PORT...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 4096

static int listen_on(const char *arg)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
	char *end;
	long port = strtol(arg, &end, 10);
	int fd, one = 1;

	if (*arg == '\0' || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "listen: bad port '%s'\n", arg);
		return -1;
	}
	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		fprintf(stderr, "listen: port %ld: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	sigset_t set;
	int sig;

	if (argc < 2) {
		fprintf(stderr, "usage: listen PORT...\n");
		return 2;
	}
	/* Block the signals first, so one that arrives early is not lost or fatal. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 1; i < argc; i++)
		if (listen_on(argv[i]) < 0)
			return 1;
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	return 0;
}
