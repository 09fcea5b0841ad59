// SPDX-License-Identifier: MIT
/*
 * The registry of capture backends, real ones first, then mem, which replays
 * frames for tests. (Named capture_backends.c, not backends.c, so its object
 * does not share a name with tx/backends.o inside libhayate.a.)
 */
#include "rx.h"

#include <string.h>

static const struct rx_ops *const rx_backends[] = {
	&rx_pcap_ops, /* libpcap, any link type */
	&rx_ring_ops, /* TPACKET_V3 ring */
	&rx_mem_ops,  /* replays frames from memory */
};

const struct rx_ops *rx_backend_find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(rx_backends); i++)
		if (strcmp(rx_backends[i]->name, name) == 0)
			return rx_backends[i];
	return NULL;
}

const struct rx_ops *rx_backend_at(unsigned i)
{
	return i < ARRAY_SIZE(rx_backends) ? rx_backends[i] : NULL;
}
