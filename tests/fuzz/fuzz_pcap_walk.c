// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for hayate-detect's mapped capture reading
 * (tools/detect/pcap_walk.c and pcapng_walk.c): any bytes as a whole file,
 * walked as pcap and as pcapng. Every frame handed out must lie inside the
 * input and within the snap length, and each walk must end; AddressSanitizer
 * checks each frame's bytes as they are summed.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../tools/detect/pcap_walk.h"
#include "../../tools/detect/pcapng_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t fuzz_sum(const uint8_t *data, size_t size, const struct pcap_record *rec,
			 uint32_t snaplen)
{
	uint32_t sum = 0;

	assert(rec->data >= data && rec->data + rec->caplen <= data + size);
	assert(rec->caplen <= snaplen);
	for (uint32_t i = 0; i < rec->caplen; i++)
		sum += rec->data[i];
	return sum;
}

/* The pcapng walk, with room for 4 interfaces grown to 64 as it asks; more is an end. */
static void fuzz_pcapng(const uint8_t *data, size_t size, uint32_t snaplen)
{
	static struct pcapng_iface ifaces[64];
	volatile uint32_t sum = 0;
	struct pcapng_walk w;
	struct pcap_record rec;
	struct errmsg err;
	uint32_t room = 4;
	int rc;

	if (pcapng_walk_init(&w, data, size, snaplen, 1, ifaces, room))
		return;
	for (;;) {
		rc = pcapng_walk_next(&w, &rec, &err);
		if (rc == -ENOSPC && room < 64) {
			room *= 2;
			pcapng_walk_room(&w, ifaces, room);
			continue;
		}
		if (rc != 1)
			break;
		sum += fuzz_sum(data, size, &rec, snaplen);
	}
	assert(rc == 0 || rc == -ENOSPC || (rc == -EINVAL && strlen(err.text) > 0));
	if (rc != -ENOSPC)
		assert(pcapng_walk_next(&w, &rec, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The snap length libpcap would hand over comes from the header; vary it too. */
	uint32_t snaplen = size > 20 ? (uint32_t)data[20] * 4 + 1 : 65535;
	struct pcap_walk w;
	struct pcap_record rec;
	struct errmsg err;
	volatile uint32_t sum = 0;
	uint64_t records = 0;
	int rc;

	fuzz_pcapng(data, size, snaplen);
	if (pcap_walk_init(&w, data, size, snaplen))
		return 0;
	while ((rc = pcap_walk_next(&w, &rec, &err)) == 1) {
		assert(rec.data >= data + PCAP_WALK_FILE_HDR + PCAP_WALK_RECORD_HDR);
		assert(rec.caplen <= PCAP_WALK_MAX_CAPLEN);
		sum += fuzz_sum(data, size, &rec, snaplen);
		assert(++records <= size / PCAP_WALK_RECORD_HDR);
	}
	assert(rc == 0 || (rc < 0 && strlen(err.text) > 0));
	assert(pcap_walk_next(&w, &rec, &err) == 0);
	return 0;
}
