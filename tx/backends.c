// SPDX-License-Identifier: MIT
/*
 * The registry of send backends: real ones first, in order of preference,
 * then null and mem, which send nothing and serve benches and tests. An
 * optional backend is added here behind its one HAVE_* guard, and nowhere else.
 */
#include "tx.h"

#include <string.h>

static const struct tx_ops *const tx_backends[] = {
	&tx_afpacket_ops, /* AF_PACKET + sendmmsg */
	&tx_txring_ops,	  /* PACKET_TX_RING */
	&tx_uring_ops,	  /* io_uring SEND */
	&tx_pcap_ops,	  /* pcap_inject, portable */
#if HAVE_XDP
	&tx_xdp_ops, /* AF_XDP, copy mode */
#endif
	&tx_rawip_ops, /* routed by the kernel (loopback) */
	&tx_null_ops,  /* sends nothing */
	&tx_mem_ops,   /* keeps frames for tests */
};

const struct tx_ops *tx_backend_find(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(tx_backends); i++)
		if (strcmp(tx_backends[i]->name, name) == 0)
			return tx_backends[i];
	return NULL;
}

const struct tx_ops *tx_backend_at(unsigned i)
{
	return i < ARRAY_SIZE(tx_backends) ? tx_backends[i] : NULL;
}
