/* SPDX-License-Identifier: MIT */
/*
 * Setup shared by the send backends that talk to an interface: checking the
 * config and the interface, and opening a bound AF_PACKET (or raw IP) socket,
 * each with the same error sentence whichever backend asks. Private to tx/.
 */
#pragma once

#include <net/if.h>
#include <stdbool.h>

#include "tx.h"

#define PACKET_SOCKET_NOT_ROOT                                                                     \
	"opening a packet socket needs root or CAP_NET_RAW (try sudo, or setcap cap_net_raw+ep "   \
	"bin/hayate)"

/* Checks cfg->batch and cfg->prefill_len. Returns 0 or -EINVAL with err set. */
int packet_socket_check_config(const struct tx_config *cfg, struct errmsg *err);

/* Resolves the interface's name and index, whichever one cfg lacks. Returns 0 or -ENODEV. */
int packet_socket_find_if(const struct tx_config *cfg, char name[IF_NAMESIZE], int *ifindex,
			  struct errmsg *err);

/* Checks, through any socket fd, that interface name exists and is up. Returns 0 or -errno. */
int packet_socket_check_up(int fd, const char *name, struct errmsg *err);

/*
 * Opens a non-blocking socket bound to the interface, which must be up: an
 * AF_PACKET socket of protocol 0 (no receive hook, so it never queues a copy
 * of incoming traffic), or with is_rawip an IPPROTO_RAW socket bound to the
 * device. The send buffer is made deep. Returns the fd, or -errno with err set.
 */
int packet_socket_open(const struct tx_config *cfg, bool is_rawip, struct errmsg *err);
