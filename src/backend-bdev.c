// SPDX-License-Identifier: GPL-2.0
/*
 * backend-bdev.c - a namespace served by a block device (a disk, a
 * partition, LVM, loop, or a remote NVMe/TCP namespace seen as /dev/nvmeXnY).
 *
 * Reads and writes are asynchronous bios built over the command's data
 * buffer; they complete from the block layer's completion context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "compat.h"
#include "backend.h"
#include "backend-priv.h"

struct nepf_bdev {
	struct nepf_bdev_handle h;
	struct block_device *bdev;
};

/* (blk_status_t is a sparse-restricted type: compared, not switched on.) */
static enum nepf_io_result nepf_bdev_result(enum nepf_io_op op,
					    blk_status_t sts)
{
	if (sts == BLK_STS_OK)
		return NEPF_IO_OK;
	if (sts == BLK_STS_NOTSUPP)
		return NEPF_IO_ERR_NOTSUPP;
	if (sts == BLK_STS_NOSPC)
		return NEPF_IO_ERR_NOSPC;
	if (sts == BLK_STS_RESOURCE || sts == BLK_STS_DEV_RESOURCE ||
	    sts == BLK_STS_AGAIN)
		return NEPF_IO_ERR_INTERNAL;
	/* MEDIUM, IOERR, TARGET, TRANSPORT, PROTECTION... */
	return nepf_io_result_errno(op, -EIO);
}

static int nepf_bdev_ns_open(struct nepf_ns *ns)
{
	struct nepf_bdev *b;
	struct block_device *bdev;
	int ret;

	if (!ns->cfg.path[0]) {
		pr_err("nsid %u: bdev backend needs device_path\n",
		       ns->nsid);
		return -EINVAL;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	/* Exclusive: nobody mounts or partitions it under the host's feet. */
	ret = nepf_bdev_open(ns->cfg.path, !ns->cfg.readonly, ns, &b->h);
	if (ret) {
		kfree(b);
		return ret;
	}
	bdev = nepf_bdev(&b->h);
	b->bdev = bdev;
	ns->priv = b;
	/*
	 * Blocks of the device's logical block size or larger (block_size,
	 * which Format NVM sets): every I/O stays aligned to the device's.
	 */
	ns->lba_shift_min = ilog2(bdev_logical_block_size(bdev));
	ns->lba_shift = max_t(u8, ns->lba_shift_min,
			      ns->cfg.block_size ? ilog2(ns->cfg.block_size) : 0);
	ns->size = (u64)nepf_bdev_nr_sectors(bdev) << SECTOR_SHIFT;
	ns->nr_blocks = ns->size >> ns->lba_shift;
	ns->can_discard = nepf_bdev_max_discard_sectors(bdev) != 0;
	ns->can_write_zeroes = bdev_write_zeroes_sectors(bdev) != 0;
	ns->volatile_cache = nepf_bdev_write_cache(bdev);
	if (bdev_read_only(bdev) && !ns->cfg.readonly) {
		pr_err("nsid %u: %s is read-only: set readonly to 1\n",
		       ns->nsid, ns->cfg.path);
		nepf_bdev_close(&b->h);
		kfree(b);
		ns->priv = NULL;
		return -EROFS;
	}
	return 0;
}

static void nepf_bdev_ns_close(struct nepf_ns *ns)
{
	struct nepf_bdev *b = ns->priv;

	nepf_bdev_close(&b->h);
	kfree(b);
}

/*
 * An I/O of several bios ends with its last bio: io->bios counts the bios
 * in flight, plus one while they are being sent.  Not bio_chain(): that
 * keeps the first bio unsent while the next one is allocated, and bios
 * come from a mempool (fs_bio_set) whose guarantee of progress holds only
 * for a caller with no other bio unsent (block/bio.c, bio_alloc_bioset).
 */
static void nepf_bdev_io_start(struct nepf_io *io)
{
	refcount_set(&io->bios, 1);
	io->bio_result = NEPF_IO_OK;
}

static void nepf_bdev_io_put(struct nepf_io *io)
{
	if (refcount_dec_and_test(&io->bios))
		nepf_io_done(io, READ_ONCE(io->bio_result));
}

static void nepf_bdev_end_io(struct bio *bio)
{
	struct nepf_io *io = bio->bi_private;
	blk_status_t sts = bio->bi_status;

	bio_put(bio);
	if (sts != BLK_STS_OK)
		cmpxchg(&io->bio_result, NEPF_IO_OK,
			nepf_bdev_result(io->op, sts));
	nepf_bdev_io_put(io);
}

/* GFP_NOIO may sleep but never fails (bio mempool): no NULL checks. */
static struct bio *nepf_bdev_bio(struct nepf_io *io, struct block_device *bdev,
				 unsigned int nr_vecs, blk_opf_t opf,
				 sector_t sector)
{
	struct bio *bio = nepf_bio_alloc(bdev, nr_vecs, opf, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio->bi_private = io;
	bio->bi_end_io = nepf_bdev_end_io;
	return bio;
}

static void nepf_bdev_send(struct nepf_io *io, struct bio *bio)
{
	refcount_inc(&io->bios);
	submit_bio(bio);
}

static unsigned int nepf_bdev_vecs(const u8 *p, unsigned int left)
{
	unsigned int nr = DIV_ROUND_UP(offset_in_page(p) + left, PAGE_SIZE);

	return min_t(unsigned int, nr, NEPF_BIO_MAX_VECS);
}

static void nepf_bdev_rw(struct nepf_io *io, struct block_device *bdev)
{
	blk_opf_t opf;
	unsigned int left = io->len;
	u8 *p = io->buf;
	struct bio *bio;
	sector_t next;

	if (io->op == NEPF_IO_READ)
		opf = REQ_OP_READ;
	else
		opf = REQ_OP_WRITE | REQ_SYNC | REQ_IDLE | (io->fua ? REQ_FUA : 0);
	nepf_bdev_io_start(io);
	bio = nepf_bdev_bio(io, bdev, nepf_bdev_vecs(p, left), opf,
			    io->pos >> SECTOR_SHIFT);

	/* The buffer is kmalloc'ed or vmalloc'ed: go page by page. */
	while (left) {
		unsigned int off = offset_in_page(p);
		unsigned int len = min_t(unsigned int, PAGE_SIZE - off, left);
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
							 virt_to_page(p);

		if (bio_add_page(bio, page, len, off) != len) {
			/* full: send it, then allocate the next one */
			next = bio_end_sector(bio);
			nepf_bdev_send(io, bio);
			bio = nepf_bdev_bio(io, bdev, nepf_bdev_vecs(p, left),
					    opf, next);
			continue;
		}
		p += len;
		left -= len;
	}
	nepf_bdev_send(io, bio);
	nepf_bdev_io_put(io);
}

/* Discard and write zeroes: data-less bios, split by the block layer. */
static void nepf_bdev_nodata(struct nepf_io *io, struct block_device *bdev)
{
	struct nepf_range one = { .pos = io->pos, .len = io->len };
	const struct nepf_range *r = &one;
	unsigned int i, nr = 1;
	blk_opf_t opf = REQ_OP_WRITE_ZEROES;
	/* bi_size is 32 bits: stay below it, in whole logical blocks. */
	u64 max = round_down(UINT_MAX, bdev_logical_block_size(bdev));
	struct bio *bio;

	if (io->op == NEPF_IO_DISCARD) {
		opf = REQ_OP_DISCARD;
		r = io->ranges;
		nr = io->nr_ranges;
	}
	nepf_bdev_io_start(io);
	for (i = 0; i < nr; i++) {
		u64 pos = r[i].pos, len = r[i].len;

		while (len) {
			u64 chunk = min(len, max);

			bio = nepf_bdev_bio(io, bdev, 0, opf, pos >> SECTOR_SHIFT);
			bio->bi_iter.bi_size = chunk;
			nepf_bdev_send(io, bio);
			pos += chunk;
			len -= chunk;
		}
	}
	nepf_bdev_io_put(io);
}

static void nepf_bdev_submit(struct nepf_io *io)
{
	struct nepf_ns *ns = io->ns;
	struct nepf_bdev *b = ns->priv;
	enum nepf_io_result res = nepf_io_check(io);

	if (res != NEPF_IO_OK) {
		nepf_io_done(io, res);
		return;
	}
	switch (io->op) {
	case NEPF_IO_READ:
	case NEPF_IO_WRITE:
		if (!io->len) {
			nepf_io_done(io, NEPF_IO_OK);
			return;
		}
		nepf_bdev_rw(io, b->bdev);
		return;
	case NEPF_IO_FLUSH:
		if (!ns->volatile_cache) {
			nepf_io_done(io, NEPF_IO_OK);
			return;
		}
		nepf_bdev_io_start(io);
		nepf_bdev_send(io, nepf_bdev_bio(io, b->bdev, 0, REQ_OP_WRITE |
						 REQ_PREFLUSH | REQ_SYNC, 0));
		nepf_bdev_io_put(io);
		return;
	case NEPF_IO_DISCARD:
	case NEPF_IO_WRITE_ZEROES:
		if (io->op == NEPF_IO_DISCARD ? !ns->can_discard :
						!ns->can_write_zeroes) {
			nepf_io_done(io, NEPF_IO_ERR_NOTSUPP);
			return;
		}
		nepf_bdev_nodata(io, b->bdev);
		return;
	}
	nepf_io_done(io, NEPF_IO_ERR_INTERNAL);
}

static void nepf_bdev_flush_all(struct nepf_ns *ns)
{
	struct nepf_bdev *b = ns->priv;
	int ret;

	if (!ns->volatile_cache)
		return;
	ret = nepf_blkdev_issue_flush(b->bdev);
	if (ret)
		pr_warn("nsid %u: flushing %s failed (%d)\n",
			ns->nsid, ns->cfg.path, ret);
}

const struct nepf_backend_ops nepf_backend_bdev = {
	.name = "bdev",
	.open = nepf_bdev_ns_open,
	.close = nepf_bdev_ns_close,
	.submit = nepf_bdev_submit,
	.flush_all = nepf_bdev_flush_all,
};
