// SPDX-License-Identifier: GPL-2.0
/*
 * backend-null.c - a namespace without storage, for benchmarks and tests:
 * reads return zeroes, writes are dropped, everything completes inline.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/sizes.h>
#include "backend.h"

/* Capacity when the configuration leaves size at 0. */
#define NEPF_NULL_DEFAULT_SIZE	SZ_1G

static int nepf_null_open(struct nepf_ns *ns)
{
	u32 bs = ns->cfg.block_size ? ns->cfg.block_size : 512;
	u64 size = ns->cfg.size ? ns->cfg.size : NEPF_NULL_DEFAULT_SIZE;

	if (bs != 512 && bs != 4096) {
		pr_err("nsid %u: null backend: block_size must be 512 or 4096\n",
		       ns->nsid);
		return -EINVAL;
	}
	ns->lba_shift = ilog2(bs);
	ns->lba_shift_min = 9;
	ns->size = size;
	ns->nr_blocks = size >> ns->lba_shift;
	ns->can_discard = true;
	ns->can_write_zeroes = true;
	ns->volatile_cache = false;
	return 0;
}

static void nepf_null_close(struct nepf_ns *ns)
{
}

static void nepf_null_submit(struct nepf_io *io)
{
	enum nepf_io_result res = nepf_io_check(io);

	if (res == NEPF_IO_OK && io->op == NEPF_IO_READ)
		memset(io->buf, 0, io->len);
	nepf_io_done(io, res);
}

const struct nepf_backend_ops nepf_backend_null = {
	.name = "null",
	.open = nepf_null_open,
	.close = nepf_null_close,
	.submit = nepf_null_submit,
};
