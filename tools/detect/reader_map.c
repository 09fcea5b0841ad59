// SPDX-License-Identifier: MIT
/*
 * A capture file read through a memory map: libpcap has opened it and
 * judged its header; its records (pcap) or blocks (pcapng) are walked in
 * place (pcap_walk.h says why).
 *
 * The whole file is mapped at once, but the walk keeps only a few windows of
 * it in the page tables: the next window is mapped in ahead of the walk in one
 * call (page faults one at a time cost more than the rest of the reading),
 * and a window well behind it is unmapped, so a file larger than memory
 * reads as well as a small one. Pipes, standard input and pcap versions
 * before 2.4 are left to libpcap.
 *
 * A file cut shorter while it is mapped (a log rotation truncating it, say)
 * faults at the first page past its new end. That SIGBUS ends the walk with
 * an error, not the program: the fault can only come from reading a record
 * (the walk, the parser, the fingerprint), before the tracker has seen the
 * frame, so the tracker's state is whole and the frames before it are kept.
 */
#include "reader.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define MAP_WINDOW_BYTES (32ull << 20)
#define MAP_BATCH	 4096	    /* records between looks at *stop */
#define MAP_IFACES	 8	    /* pcapng interfaces a section describes, to begin with */
#define MAP_IFACES_MAX	 (1u << 20) /* and at most: 32 MiB, where libpcap sets no bound */
/*
 * Each record is touched first by the parser, straight from the page cache:
 * without asking for its bytes some 30 minimum-size records ahead, that miss
 * cost 18 ns a frame (the hardware prefetcher stops at each 4 KiB page). Two
 * lines a record, as records of 64 to 128 bytes would step over one line in
 * a few and leave it to miss: 4 ns more.
 */
#define MAP_PREFETCH_BYTES 2048
#define MAP_LINE_BYTES	   64

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels refuse it and fault page by page */
#endif

/* Where a SIGBUS returns to: set only while a walk runs (a handler has no other way in). */
static sigjmp_buf *reader_map_fault;

static void reader_map_on_sigbus(int sig)
{
	if (reader_map_fault)
		siglongjmp(*reader_map_fault, 1);
	signal(sig, SIG_DFL); /* not ours: fault again, and die of it */
}

static int reader_map_open_ng(struct reader_map *m, const uint8_t *base, uint64_t len, pcap_t *p)
{
	m->ifaces = calloc(MAP_IFACES, sizeof(*m->ifaces));
	if (!m->ifaces)
		return -ENOMEM;
	m->ifroom = MAP_IFACES;
	if (pcapng_walk_init(&m->ng_walk, base, len, (uint32_t)pcap_snapshot(p),
			     (uint32_t)pcap_datalink(p), m->ifaces, m->ifroom)) {
		free(m->ifaces);
		m->ifaces = NULL;
		return -ENOTSUP;
	}
	m->ng = true;
	return 0;
}

int reader_map_open(struct reader *r, const char *path)
{
	struct reader_map *m = &r->map;
	FILE *fp = pcap_file(r->pcap);
	struct stat st;
	void *base;

	if (!strcmp(path, "-") || !fp || fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size < PCAP_WALK_FILE_HDR)
		return -ENOTSUP;
	base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fileno(fp), 0);
	if (base == MAP_FAILED)
		return -ENOTSUP;
	if (pcap_walk_init(&m->walk, base, (uint64_t)st.st_size,
			   (uint32_t)pcap_snapshot(r->pcap)) &&
	    reader_map_open_ng(m, base, (uint64_t)st.st_size, r->pcap)) {
		munmap(base, (size_t)st.st_size);
		return -ENOTSUP;
	}
	m->base = base;
	m->len = (uint64_t)st.st_size;
	m->window = MAP_WINDOW_BYTES;
	signal(SIGBUS, reader_map_on_sigbus);
	return 0;
}

/* --filter on a record, as libpcap would run it on each frame it reads (reader_filter()). */
static bool reader_map_passes(const struct reader_map *m, const struct pcap_record *rec)
{
	struct pcap_pkthdr h = {.caplen = rec->caplen, .len = rec->len};

	return pcap_offline_filter(&m->filter, &h, rec->data) != 0;
}

/* The next frame, from either walk; a pcapng section with more interfaces gets more room. */
static int reader_map_next(struct reader_map *m, struct pcap_record *rec, struct errmsg *err)
{
	int rc;

	if (!m->ng)
		return pcap_walk_next(&m->walk, rec, err);
	while ((rc = pcapng_walk_next(&m->ng_walk, rec, err)) == -ENOSPC) {
		struct pcapng_iface *more;

		if (m->ifroom == MAP_IFACES_MAX)
			return errmsg_set(err, -EINVAL,
					  "a section describes more than %u interfaces",
					  MAP_IFACES_MAX);
		more = reallocarray(m->ifaces, m->ifroom, 2 * sizeof(*more));
		if (!more)
			return errmsg_set(err, -ENOMEM, "out of memory for %u interfaces",
					  2 * m->ifroom);
		m->ifaces = more;
		m->ifroom *= 2;
		pcapng_walk_room(&m->ng_walk, m->ifaces, m->ifroom);
	}
	return rc;
}

/* Maps in the window ahead of the walk and unmaps the one well behind it. */
static void reader_map_keep_up(struct reader_map *m)
{
	uint64_t at = (uint64_t)((m->ng ? m->ng_walk.at : m->walk.at) - m->base);

	if (m->ready < m->len && at + m->window > m->ready) {
		uint64_t n = m->len - m->ready < m->window ? m->len - m->ready : m->window;

		(void)madvise((void *)(m->base + m->ready), n, MADV_POPULATE_READ);
		m->ready += n;
	}
	/* Frames waiting in the look-ahead ring still point into the window behind. */
	if (at > m->released + 2 * m->window) {
		munmap((void *)(m->base + m->released), m->window);
		m->released += m->window;
	}
}

static int reader_map_walk(struct reader *r, struct tracker *t, const atomic_bool *stop,
			   struct errmsg *err)
{
	struct reader_map *m = &r->map;
	struct pcap_record rec = {0}; /* for the compiler: pcap_walk_next() fills it first */
	int rc = 1;

	while (rc == 1 && !atomic_load_explicit(stop, memory_order_relaxed) &&
	       !atomic_load_explicit(&r->broken, memory_order_relaxed)) {
		reader_map_keep_up(m);
		for (int n = 0; n < MAP_BATCH && (rc = reader_map_next(m, &rec, err)) == 1; n++) {
			__builtin_prefetch(rec.data + MAP_PREFETCH_BYTES);
			__builtin_prefetch(rec.data + MAP_PREFETCH_BYTES + MAP_LINE_BYTES);
			if (!m->has_filter || reader_map_passes(m, &rec))
				reader_take(r, t, rec.data, rec.caplen, rec.ts_ns);
		}
	}
	return rc < 0 ? rc : 0;
}

int reader_map_run(struct reader *r, struct tracker *t, const atomic_bool *stop, struct errmsg *err)
{
	sigjmp_buf fault;
	int rc;

	if (sigsetjmp(fault, 1)) {
		reader_map_fault = NULL;
		rc = errmsg_set(err, -EINVAL, "truncated while being read (the file shrank)");
	} else {
		reader_map_fault = &fault;
		rc = reader_map_walk(r, t, stop, err);
		reader_map_fault = NULL;
	}
	reader_drain(r, t);
	return rc;
}

void reader_map_close(struct reader *r)
{
	struct reader_map *m = &r->map;

	if (m->base)
		munmap((void *)(m->base + m->released), m->len - m->released);
	if (m->has_filter)
		pcap_freecode(&m->filter);
	free(m->ifaces);
	memset(m, 0, sizeof(*m));
}
