// SPDX-License-Identifier: MIT
/*
 * The registry of send backends: real ones first, in order of preference,
 * then null and mem, which send nothing and serve benches and tests. An
 * optional backend is added here behind its one HAVE_* guard, and nowhere else.
 */
#include "tx.h"

#include <errno.h>
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

/*
 * Fastest first, as measured on the namespace testbed (veth, 2 vCPUs; see
 * README): AF_XDP's copy mode hands each frame to the driver with the least
 * work, the TX ring saves sendmmsg's per-message copy-in, and io_uring adds
 * its per-request cost to the same kernel path as sendmmsg.
 */
static const struct tx_ops *const tx_auto_order[] = {
#if HAVE_XDP
	&tx_xdp_ops,
#endif
	&tx_txring_ops, &tx_afpacket_ops, &tx_uring_ops, &tx_pcap_ops,
};

int tx_backend_open_auto(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	int rc = -EOPNOTSUPP;

	for (unsigned i = 0; i < ARRAY_SIZE(tx_auto_order); i++) {
		tx->ops = tx_auto_order[i];
		rc = tx->ops->open(tx, cfg, err);
		if (rc != -EOPNOTSUPP && rc != -EBUSY)
			return rc;
	}
	return rc;
}

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
