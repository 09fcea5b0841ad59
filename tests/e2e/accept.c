// SPDX-License-Identifier: MIT
/*
 * accept: open ports for connect scans. Listens on 0.0.0.0 on each port given
 * and accepts and closes every connection at once, so that repeated full
 * handshakes (hayate -sT, nmap -sT) never fill the accept queue, which a
 * listener that never accepts (listen.c) would after its backlog. Prints
 * "ready" once every socket listens; exits 0 on SIGTERM or SIGINT, 1 if a port
 * cannot be bound. Usage: accept PORT...
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACCEPT_BACKLOG	 4096
#define ACCEPT_PORTS_MAX 64

static volatile sig_atomic_t accept_stop;

static void accept_on_signal(int sig)
{
	(void)sig;
	accept_stop = 1;
}

static int accept_listen(const char *arg)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
	char *end;
	long port = strtol(arg, &end, 10);
	int fd, one = 1;

	if (*arg == '\0' || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "accept: bad port '%s'\n", arg);
		return -1;
	}
	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, ACCEPT_BACKLOG) < 0) {
		fprintf(stderr, "accept: port %ld: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[ACCEPT_PORTS_MAX];
	struct sigaction sa = {.sa_handler = accept_on_signal};
	int n = argc - 1;

	if (n < 1 || n > ACCEPT_PORTS_MAX) {
		fprintf(stderr, "usage: accept PORT... (1 to %d ports)\n", ACCEPT_PORTS_MAX);
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (int i = 0; i < n; i++) {
		pfd[i] = (struct pollfd){.fd = accept_listen(argv[i + 1]), .events = POLLIN};
		if (pfd[i].fd < 0)
			return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!accept_stop) {
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			int c;

			while ((c = accept(pfd[i].fd, NULL, NULL)) >= 0)
				close(c);
		}
	}
	return 0;
}
