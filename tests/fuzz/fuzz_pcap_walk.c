// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for hayate-detect's mapped pcap reading
 * (tools/detect/pcap_walk.c): any bytes as a whole file. Every record handed
 * out must lie inside the input and within the snap length, and the walk
 * must end; AddressSanitizer checks each record's bytes as they are summed.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "../../tools/detect/pcap_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

	if (pcap_walk_init(&w, data, size, snaplen))
		return 0;
	while ((rc = pcap_walk_next(&w, &rec, &err)) == 1) {
		assert(rec.data >= data + PCAP_WALK_FILE_HDR + PCAP_WALK_RECORD_HDR);
		assert(rec.data + rec.caplen <= data + size);
		assert(rec.caplen <= snaplen && rec.caplen <= PCAP_WALK_MAX_CAPLEN);
		for (uint32_t i = 0; i < rec.caplen; i++)
			sum += rec.data[i];
		assert(++records <= size / PCAP_WALK_RECORD_HDR);
	}
	assert(rc == 0 || (rc < 0 && strlen(err.text) > 0));
	assert(pcap_walk_next(&w, &rec, &err) == 0);
	return 0;
}
