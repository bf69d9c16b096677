// SPDX-License-Identifier: GPL-2.0
/*
 * backend-bdev.c - a namespace served by a block device (a disk, a
 * partition, LVM, loop, or a remote NVMe/TCP namespace seen as /dev/nvmeXnY).
 *
 * Reads and writes are asynchronous bios built over the command's data
 * buffer; they complete from the block layer's completion context.
 */
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include "backend.h"
#include "backend-priv.h"

/* TODO(compat.h): block device open/close, bio_alloc(), queue flags. */
struct nepf_bdev {
	struct block_device *bdev;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	struct bdev_handle *handle;
#endif
	bool write;
};

static int nepf_compat_bdev_open(struct nepf_bdev *b, const char *path,
				 void *holder)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	blk_mode_t mode = BLK_OPEN_READ | (b->write ? BLK_OPEN_WRITE : 0);
#else
	fmode_t mode = FMODE_READ | FMODE_EXCL | (b->write ? FMODE_WRITE : 0);
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	b->file = bdev_file_open_by_path(path, mode, holder, NULL);
	if (IS_ERR(b->file))
		return PTR_ERR(b->file);
	b->bdev = file_bdev(b->file);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	b->handle = bdev_open_by_path(path, mode, holder, NULL);
	if (IS_ERR(b->handle))
		return PTR_ERR(b->handle);
	b->bdev = b->handle->bdev;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	b->bdev = blkdev_get_by_path(path, mode, holder, NULL);
	if (IS_ERR(b->bdev))
		return PTR_ERR(b->bdev);
#else
	b->bdev = blkdev_get_by_path(path, mode, holder);
	if (IS_ERR(b->bdev))
		return PTR_ERR(b->bdev);
#endif
	return 0;
}

static void nepf_compat_bdev_close(struct nepf_bdev *b, void *holder)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	fput(b->file);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	bdev_release(b->handle);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	blkdev_put(b->bdev, holder);
#else
	blkdev_put(b->bdev, FMODE_READ | FMODE_EXCL | (b->write ? FMODE_WRITE : 0));
#endif
}

static struct bio *nepf_compat_bio_alloc(struct block_device *bdev,
					 unsigned int nr_vecs, unsigned int opf)
{
	struct bio *bio;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 18, 0)
	bio = bio_alloc(bdev, nr_vecs, opf, GFP_NOIO);
#else
	bio = bio_alloc(GFP_NOIO, nr_vecs);
	bio_set_dev(bio, bdev);
	bio->bi_opf = opf;
#endif
	return bio;
}

#ifdef BIO_MAX_VECS
#define NEPF_BIO_MAX_VECS	BIO_MAX_VECS
#else
#define NEPF_BIO_MAX_VECS	BIO_MAX_PAGES
#endif

static bool nepf_compat_bdev_can_discard(struct block_device *bdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	return bdev_max_discard_sectors(bdev) != 0;
#else
	return blk_queue_discard(bdev_get_queue(bdev));
#endif
}

static bool nepf_compat_bdev_write_cache(struct block_device *bdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return bdev_write_cache(bdev);
#else
	return test_bit(QUEUE_FLAG_WC, &bdev_get_queue(bdev)->queue_flags);
#endif
}

static sector_t nepf_compat_bdev_nr_sectors(struct block_device *bdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
	return bdev_nr_sectors(bdev);
#else
	return i_size_read(bdev->bd_inode) >> SECTOR_SHIFT;
#endif
}

static int nepf_compat_blkdev_issue_flush(struct block_device *bdev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
	return blkdev_issue_flush(bdev);
#else
	return blkdev_issue_flush(bdev, GFP_KERNEL);
#endif
}

/* end of TODO(compat.h) */

static enum nepf_io_result nepf_bdev_result(enum nepf_io_op op,
					    blk_status_t sts)
{
	switch (sts) {
	case BLK_STS_OK:
		return NEPF_IO_OK;
	case BLK_STS_NOTSUPP:
		return NEPF_IO_ERR_NOTSUPP;
	case BLK_STS_NOSPC:
		return NEPF_IO_ERR_NOSPC;
	case BLK_STS_RESOURCE:
	case BLK_STS_DEV_RESOURCE:
	case BLK_STS_AGAIN:
		return NEPF_IO_ERR_INTERNAL;
	default:
		/* MEDIUM, IOERR, TARGET, TRANSPORT, PROTECTION... */
		return nepf_io_result_errno(op, -EIO);
	}
}

static int nepf_bdev_open(struct nepf_ns *ns)
{
	struct nepf_bdev *b;
	struct block_device *bdev;
	int ret;

	if (!ns->cfg.path[0]) {
		pr_err("nvme_epf: nsid %u: bdev backend needs device_path\n",
		       ns->nsid);
		return -EINVAL;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->write = !ns->cfg.readonly;
	/* Exclusive: nobody mounts or partitions it under the host's feet. */
	ret = nepf_compat_bdev_open(b, ns->cfg.path, ns);
	if (ret) {
		kfree(b);
		return ret;
	}
	bdev = b->bdev;
	ns->priv = b;
	ns->lba_shift = ilog2(bdev_logical_block_size(bdev));
	ns->nr_blocks = nepf_compat_bdev_nr_sectors(bdev) >> (ns->lba_shift - SECTOR_SHIFT);
	ns->can_discard = nepf_compat_bdev_can_discard(bdev);
	ns->can_write_zeroes = bdev_write_zeroes_sectors(bdev) != 0;
	ns->volatile_cache = nepf_compat_bdev_write_cache(bdev);
	if (bdev_read_only(bdev) && !ns->cfg.readonly) {
		pr_err("nvme_epf: nsid %u: %s is read-only: set readonly to 1\n",
		       ns->nsid, ns->cfg.path);
		nepf_compat_bdev_close(b, ns);
		kfree(b);
		ns->priv = NULL;
		return -EROFS;
	}
	return 0;
}

static void nepf_bdev_close(struct nepf_ns *ns)
{
	struct nepf_bdev *b = ns->priv;

	nepf_compat_bdev_close(b, ns);
	kfree(b);
}

static void nepf_bdev_end_io(struct bio *bio)
{
	struct nepf_io *io = bio->bi_private;
	blk_status_t sts = bio->bi_status;

	bio_put(bio);
	nepf_io_done(io, nepf_bdev_result(io->op, sts));
}

/*
 * Chains @bio behind @prev so that @prev's completion (the first bio, the
 * one that completes the I/O) waits for all of them, and sends @prev.
 */
static struct bio *nepf_bdev_next_bio(struct block_device *bdev,
				      struct bio *prev, unsigned int nr_vecs)
{
	struct bio *bio = nepf_compat_bio_alloc(bdev, nr_vecs, prev->bi_opf);

	bio->bi_iter.bi_sector = bio_end_sector(prev);
	bio_chain(bio, prev);
	submit_bio(prev);
	return bio;
}

static void nepf_bdev_rw(struct nepf_io *io, struct block_device *bdev)
{
	unsigned int opf, nr_pages, left = io->len;
	u8 *p = io->buf;
	struct bio *bio;

	if (io->op == NEPF_IO_READ)
		opf = REQ_OP_READ;
	else
		opf = REQ_OP_WRITE | REQ_SYNC | REQ_IDLE | (io->fua ? REQ_FUA : 0);
	nr_pages = DIV_ROUND_UP(offset_in_page(p) + left, PAGE_SIZE);
	bio = nepf_compat_bio_alloc(bdev, min_t(unsigned int, nr_pages,
						NEPF_BIO_MAX_VECS), opf);
	bio->bi_iter.bi_sector = io->pos >> SECTOR_SHIFT;
	bio->bi_private = io;
	bio->bi_end_io = nepf_bdev_end_io;

	/* The buffer is kmalloc'ed or vmalloc'ed: go page by page. */
	while (left) {
		unsigned int off = offset_in_page(p);
		unsigned int len = min_t(unsigned int, PAGE_SIZE - off, left);
		struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) :
							 virt_to_page(p);

		if (bio_add_page(bio, page, len, off) != len) {
			nr_pages = DIV_ROUND_UP(off + left, PAGE_SIZE);
			nr_pages = min_t(unsigned int, nr_pages, NEPF_BIO_MAX_VECS);
			bio = nepf_bdev_next_bio(bdev, bio, nr_pages);
			continue;
		}
		p += len;
		left -= len;
	}
	submit_bio(bio);
}

/* Discard and write zeroes: data-less bios, split by the block layer. */
static void nepf_bdev_nodata(struct nepf_io *io, struct block_device *bdev)
{
	struct nepf_range one = { .pos = io->pos, .len = io->len };
	const struct nepf_range *r = &one;
	unsigned int i, nr = 1, opf = REQ_OP_WRITE_ZEROES;
	/* bi_size is 32 bits: stay below it, in whole logical blocks. */
	u64 max = round_down(UINT_MAX, bdev_logical_block_size(bdev));
	struct bio *bio = NULL;

	if (io->op == NEPF_IO_DISCARD) {
		opf = REQ_OP_DISCARD;
		r = io->ranges;
		nr = io->nr_ranges;
	}
	for (i = 0; i < nr; i++) {
		u64 pos = r[i].pos, len = r[i].len;

		while (len) {
			u64 chunk = min(len, max);

			if (!bio) {
				bio = nepf_compat_bio_alloc(bdev, 0, opf);
				bio->bi_private = io;
				bio->bi_end_io = nepf_bdev_end_io;
			} else {
				bio = nepf_bdev_next_bio(bdev, bio, 0);
			}
			bio->bi_iter.bi_sector = pos >> SECTOR_SHIFT;
			bio->bi_iter.bi_size = chunk;
			pos += chunk;
			len -= chunk;
		}
	}
	if (bio)
		submit_bio(bio);
	else
		nepf_io_done(io, NEPF_IO_OK);
}

static void nepf_bdev_submit(struct nepf_io *io)
{
	struct nepf_ns *ns = io->ns;
	struct nepf_bdev *b = ns->priv;
	enum nepf_io_result res = nepf_io_check(io);
	struct bio *bio;

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
		bio = nepf_compat_bio_alloc(b->bdev, 0,
					    REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC);
		bio->bi_private = io;
		bio->bi_end_io = nepf_bdev_end_io;
		submit_bio(bio);
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
	ret = nepf_compat_blkdev_issue_flush(b->bdev);
	if (ret)
		pr_warn("nvme_epf: nsid %u: flushing %s failed (%d)\n",
			ns->nsid, ns->cfg.path, ret);
}

const struct nepf_backend_ops nepf_backend_bdev = {
	.name = "bdev",
	.open = nepf_bdev_open,
	.close = nepf_bdev_close,
	.submit = nepf_bdev_submit,
	.flush_all = nepf_bdev_flush_all,
};
