// SPDX-License-Identifier: MIT
/*
 * pcap_inject: the portable fallback, one call per frame, for systems where
 * none of the Linux-specific backends opens. Frames live in a slot pool
 * (tx/slot_pool.h): when pcap_inject fails part way with a full queue, the
 * frames not yet sent lead the next reserve, in order and untouched.
 *
 * A pcap handle is also a capture handle. This one captures nothing: its
 * kernel filter rejects every frame ("less 1"), so none is ever copied up.
 */
#include "tx.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "packet_socket.h"
#include "slot_pool.h"

#define SNAPLEN_BYTES 64
#define BUFFER_BYTES  (1u << 20)

struct pcap_tx {
	pcap_t *handle;
	struct slot_pool pool;
	struct tx_stats stats;
};

/* Maps pcap_activate's failure to the errno and the sentence that names the fix. */
static int pcap_tx_error(pcap_t *p, int status, const char *name, struct errmsg *err)
{
	switch (status) {
	case PCAP_ERROR_PERM_DENIED:
		return errmsg_set(err, -EPERM, PACKET_SOCKET_NOT_ROOT);
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", name);
	case PCAP_ERROR_IFACE_NOT_UP:
		return errmsg_set(err, -ENETDOWN, "interface '%s' is down", name);
	default:
		return errmsg_set(err, -EIO, "cannot send on '%s': %s", name,
				  status == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(status));
	}
}

/* Opens, activates and silences the handle. Returns 0 or -errno with err set. */
static int pcap_tx_handle(struct pcap_tx *p, const char *name, struct errmsg *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program nothing;
	int rc;

	p->handle = pcap_create(name, errbuf);
	if (!p->handle)
		return errmsg_set(err, -EIO, "cannot send on '%s': %s", name, errbuf);
	pcap_set_snaplen(p->handle, SNAPLEN_BYTES);
	pcap_set_buffer_size(p->handle, BUFFER_BYTES);
	rc = pcap_activate(p->handle);
	if (rc < 0)
		return pcap_tx_error(p->handle, rc, name, err);
	rc = packet_socket_check_up(pcap_get_selectable_fd(p->handle), name, err);
	if (rc < 0)
		return rc;
	if (pcap_compile(p->handle, &nothing, "less 1", 1, PCAP_NETMASK_UNKNOWN) < 0)
		return errmsg_set(err, -EIO, "cannot compile a filter: %s", pcap_geterr(p->handle));
	rc = pcap_setfilter(p->handle, &nothing);
	pcap_freecode(&nothing);
	if (rc < 0)
		return errmsg_set(err, -EIO, "cannot set a filter: %s", pcap_geterr(p->handle));
	if (pcap_setnonblock(p->handle, 1, errbuf) < 0)
		return errmsg_set(err, -EIO, "cannot send on '%s': %s", name, errbuf);
	return 0;
}

static int pcap_tx_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	char name[IF_NAMESIZE];
	struct pcap_tx *p;
	int ifindex, rc;

	rc = packet_socket_find_if(cfg, name, &ifindex, err);
	if (rc < 0)
		return rc;
	p = calloc(1, sizeof(*p));
	if (!p)
		return errmsg_set(err, -ENOMEM, "out of memory");
	rc = slot_pool_init(&p->pool, cfg, err);
	if (rc < 0)
		goto out;
	rc = pcap_tx_handle(p, name, err);
	if (rc < 0)
		goto out;
	tx->priv = p;
	return 0;
out:
	if (p->handle)
		pcap_close(p->handle);
	slot_pool_free(&p->pool);
	free(p);
	return rc;
}

static unsigned pcap_tx_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct pcap_tx *p = tx->priv;

	return slot_pool_reserve(&p->pool, slots, want);
}

static int pcap_tx_submit(struct tx *tx, unsigned count)
{
	struct pcap_tx *p = tx->priv;
	unsigned accepted = 0;
	int rc = 0;

	for (; accepted < count; accepted++) {
		errno = 0;
		if (pcap_inject(p->handle, slot_pool_frame(&p->pool, accepted),
				slot_pool_len(&p->pool, accepted)) < 0) {
			/* libpcap leaves send()'s errno; there is no other way to get it. */
			rc = errno ? -errno : -EIO;
			break;
		}
	}
	return slot_pool_settle(&p->pool, &p->stats, count, accepted, rc);
}

static int pcap_tx_flush(struct tx *tx UNUSED, int timeout_ms UNUSED)
{
	/* pcap_inject returns once the frame is queued; there is nothing to wait for. */
	return 0;
}

static void pcap_tx_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct pcap_tx *p = tx->priv;

	*out = p->stats;
}

static void pcap_tx_close(struct tx *tx)
{
	struct pcap_tx *p = tx->priv;

	if (!p)
		return;
	pcap_close(p->handle);
	slot_pool_free(&p->pool);
	free(p);
	tx->priv = NULL;
}

const struct tx_ops tx_pcap_ops = {
	.name = "pcap",
	.flags = TX_KEEPS_CONTENTS | TX_NEEDS_RAW,
	.open = pcap_tx_open,
	.reserve = pcap_tx_reserve,
	.submit = pcap_tx_submit,
	.flush = pcap_tx_flush,
	.stats = pcap_tx_stats,
	.close = pcap_tx_close,
};
