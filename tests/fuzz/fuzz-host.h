/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz-host.h - the small simulated host the fuzz targets share: a flat
 * host memory at PCI address 0 filled from the fuzz input, environment
 * ops over it, and data buffers whose allocations are counted so that a
 * leak or a size mismatch aborts the run.
 */
#ifndef NEPF_FUZZ_HOST_H
#define NEPF_FUZZ_HOST_H

#include "ctrl.h"

#define FUZZ_HOST_MEM		(256 * 1024)
/* More host accesses than this for one input means a runaway walk. */
#define FUZZ_MAX_ACCESSES	100000
/* alloc_buf fails above this, as a kernel allocation may. */
#define FUZZ_MAX_BUF		(8 << 20)

struct fuzz_host {
	u8 mem[FUZZ_HOST_MEM];
	unsigned long accesses;
	long bufs;		/* data buffers allocated and not freed */
	/* What env->defer runs: the core's nepf_cmd_finish or a stand-in. */
	void (*finish)(struct nepf_cmd *cmd);
};

extern struct fuzz_host fuzz_host;
extern const struct nepf_env_ops fuzz_env_ops;

/* Reset the host: memory from @data (the rest zeroed), counters cleared. */
void fuzz_host_reset(const u8 *data, size_t size);
/* Stop the fuzzer with a message: an invariant of ours is broken. */
void fuzz_fail(const char *what) __attribute__((noreturn));

/* Little-endian readers of the fuzz input. */
static inline u32 fuzz_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

#endif /* NEPF_FUZZ_HOST_H */
