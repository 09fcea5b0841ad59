// SPDX-License-Identifier: MIT
#include "table_mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CACHE_LINE_BYTES 64
#define HUGE_PAGE_BYTES	 (2u << 20)

void *table_mem_alloc(size_t bytes)
{
	/* Aligned to a huge page, a table's first and last pages can be huge too. */
	size_t align = bytes >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : CACHE_LINE_BYTES;
	void *p = aligned_alloc(align, (bytes + align - 1) / align * align);

	if (!p)
		return NULL;
	if (align == HUGE_PAGE_BYTES)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
	memset(p, 0, bytes);
	return p;
}
