// SPDX-License-Identifier: GPL-2.0
/*
 * backend-file.c - a namespace served by a regular file.
 *
 * Direct I/O (the default) is asynchronous: a kiocb whose completion
 * callback ends the I/O.  Buffered I/O, flush, discard and write zeroes
 * sleep, so they run on the backend workqueue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/vmalloc.h>
#include "compat.h"
#include "backend.h"
#include "backend-priv.h"

struct nepf_file {
	struct file *file;
	bool direct;
};

struct nepf_file_req {
	struct kiocb iocb;
	struct nepf_io *io;
	struct work_struct work;
	unsigned int nr_bvec;
	struct bio_vec bvec[];
};

static int nepf_file_open(struct nepf_ns *ns)
{
	int flags = O_LARGEFILE | (ns->cfg.readonly ? O_RDONLY : O_RDWR);
	u32 bs = ns->cfg.block_size ? ns->cfg.block_size : 512, min_bs = 512;
	struct nepf_file *f;
	struct inode *inode;
	loff_t size;
	int ret;

	if (!ns->cfg.path[0]) {
		pr_err("nsid %u: file backend needs device_path\n",
		       ns->nsid);
		return -EINVAL;
	}
	if (bs != 512 && bs != 4096) {
		pr_err("nsid %u: block_size must be 512 or 4096\n",
		       ns->nsid);
		return -EINVAL;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->direct = !ns->cfg.buffered_io;
	f->file = filp_open(ns->cfg.path, flags | (f->direct ? O_DIRECT : 0), 0);
	if (IS_ERR(f->file) && f->direct && PTR_ERR(f->file) == -EINVAL) {
		/* Some filesystems cannot do O_DIRECT at all. */
		pr_info("nsid %u: %s: no direct I/O here, using buffered I/O\n",
			ns->nsid, ns->cfg.path);
		f->direct = false;
		f->file = filp_open(ns->cfg.path, flags, 0);
	}
	if (IS_ERR(f->file)) {
		ret = PTR_ERR(f->file);
		goto out_free;
	}
	inode = file_inode(f->file);
	if (!S_ISREG(inode->i_mode)) {
		pr_err("nsid %u: %s is not a regular file (use the bdev backend for devices)\n",
		       ns->nsid, ns->cfg.path);
		ret = -EINVAL;
		goto out_close;
	}
	/* Direct I/O needs at least the underlying device's block size. */
	if (f->direct && inode->i_sb->s_bdev)
		min_bs = max_t(u32, min_bs,
			       bdev_logical_block_size(inode->i_sb->s_bdev));
	if (min_bs > bs) {
		bs = min_bs;
		pr_info("nsid %u: using %u-byte blocks for direct I/O on %s\n",
			ns->nsid, bs, ns->cfg.path);
	}
	size = i_size_read(inode);
	if (ns->cfg.size) {
		/* Never grow or shrink the user's file behind their back. */
		if (ns->cfg.size > size) {
			pr_err("nsid %u: %s has %lld bytes, less than size %llu\n",
			       ns->nsid, ns->cfg.path, size, ns->cfg.size);
			ret = -EINVAL;
			goto out_close;
		}
		size = ns->cfg.size;
	}
	ns->priv = f;
	ns->lba_shift = ilog2(bs);
	ns->lba_shift_min = ilog2(min_bs);
	ns->size = size;
	ns->nr_blocks = size >> ns->lba_shift;
	ns->can_discard = !!f->file->f_op->fallocate;
	ns->can_write_zeroes = ns->can_discard;
	ns->volatile_cache = true;
	return 0;

out_close:
	fput(f->file);
out_free:
	kfree(f);
	return ret;
}

static void nepf_file_close(struct nepf_ns *ns)
{
	struct nepf_file *f = ns->priv;

	fput(f->file);
	kfree(f);
}

static void nepf_file_rw_done(struct nepf_file_req *req, long ret)
{
	struct nepf_io *io = req->io;
	enum nepf_io_result res;

	if (ret == io->len)
		res = NEPF_IO_OK;
	else if (ret < 0)
		res = nepf_io_result_errno(io->op, ret);
	else	/* short transfer: the file shrank under us */
		res = nepf_io_result_errno(io->op, -EIO);
	kfree(req);
	nepf_io_done(io, res);
}

static NEPF_KI_COMPLETE_DECL(nepf_file_ki_complete)
{
	nepf_file_rw_done(container_of(iocb, struct nepf_file_req, iocb), res);
}

static struct nepf_file_req *nepf_file_req_alloc(struct nepf_io *io)
{
	unsigned int nr = 0, left = 0;
	struct nepf_file_req *req;
	u8 *p = io->buf;

	/* Only reads and writes have a buffer (write zeroes has a length). */
	if (io->op == NEPF_IO_READ || io->op == NEPF_IO_WRITE) {
		left = io->len;
		nr = DIV_ROUND_UP(offset_in_page(p) + left, PAGE_SIZE);
	}
	req = kzalloc(struct_size(req, bvec, nr), GFP_NOIO);
	if (!req)
		return NULL;
	req->io = io;
	/* The buffer is kmalloc'ed or vmalloc'ed: describe it page by page. */
	while (left) {
		unsigned int off = offset_in_page(p);
		unsigned int len = min_t(unsigned int, PAGE_SIZE - off, left);
		struct bio_vec *bv = &req->bvec[req->nr_bvec++];

		bv->bv_page = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);
		bv->bv_offset = off;
		bv->bv_len = len;
		p += len;
		left -= len;
	}
	return req;
}

static ssize_t nepf_file_rw(struct nepf_file_req *req, struct file *file,
			    bool async)
{
	struct nepf_io *io = req->io;
	struct iov_iter iter;
	unsigned int dir = io->op == NEPF_IO_READ ? ITER_DEST : ITER_SOURCE;

	iov_iter_bvec(&iter, dir, req->bvec, req->nr_bvec, io->len);
	init_sync_kiocb(&req->iocb, file);
	req->iocb.ki_pos = io->pos;
	if (io->op == NEPF_IO_WRITE && io->fua)
		req->iocb.ki_flags |= IOCB_DSYNC;
	if (async)
		req->iocb.ki_complete = nepf_file_ki_complete;
	if (dir == ITER_DEST)
		return file->f_op->read_iter(&req->iocb, &iter);
	return file->f_op->write_iter(&req->iocb, &iter);
}

static int nepf_file_fallocate(struct nepf_io *io, struct file *file)
{
	const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	unsigned int i;
	int ret = 0;

	if (io->op == NEPF_IO_WRITE_ZEROES) {
		ret = vfs_fallocate(file, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
				    io->pos, io->len);
		/* tmpfs and others only punch holes, which read back as zeroes. */
		if (ret == -EOPNOTSUPP)
			ret = vfs_fallocate(file, punch, io->pos, io->len);
		return ret;
	}
	for (i = 0; i < io->nr_ranges && !ret; i++)
		if (io->ranges[i].len)
			ret = vfs_fallocate(file, punch, io->ranges[i].pos,
					    io->ranges[i].len);
	return ret;
}

/* Everything that sleeps: buffered I/O, flush, discard, write zeroes. */
static void nepf_file_work(struct work_struct *work)
{
	struct nepf_file_req *req = container_of(work, struct nepf_file_req, work);
	struct nepf_io *io = req->io;
	struct nepf_file *f = io->ns->priv;
	int ret;

	switch (io->op) {
	case NEPF_IO_READ:
	case NEPF_IO_WRITE:
		nepf_file_rw_done(req, nepf_file_rw(req, f->file, false));
		return;
	case NEPF_IO_FLUSH:
		ret = vfs_fsync(f->file, 1);
		break;
	default:
		ret = nepf_file_fallocate(io, f->file);
		break;
	}
	kfree(req);
	nepf_io_done(io, nepf_io_result_errno(io->op, ret));
}

static void nepf_file_submit(struct nepf_io *io)
{
	struct nepf_file *f = io->ns->priv;
	enum nepf_io_result res = nepf_io_check(io);
	struct nepf_file_req *req;
	ssize_t ret;

	if (res == NEPF_IO_OK && (io->op == NEPF_IO_DISCARD ||
				  io->op == NEPF_IO_WRITE_ZEROES) &&
	    !io->ns->can_discard)
		res = NEPF_IO_ERR_NOTSUPP;
	if (res != NEPF_IO_OK || ((io->op == NEPF_IO_READ ||
				   io->op == NEPF_IO_WRITE) && !io->len)) {
		nepf_io_done(io, res);
		return;
	}
	req = nepf_file_req_alloc(io);
	if (!req) {
		nepf_io_done(io, NEPF_IO_ERR_INTERNAL);
		return;
	}
	if (f->direct && (io->op == NEPF_IO_READ || io->op == NEPF_IO_WRITE)) {
		ret = nepf_file_rw(req, f->file, true);
		if (ret != -EIOCBQUEUED)
			nepf_file_rw_done(req, ret);
		return;
	}
	INIT_WORK(&req->work, nepf_file_work);
	queue_work(nepf_backend_wq, &req->work);
}

static void nepf_file_flush_all(struct nepf_ns *ns)
{
	struct nepf_file *f = ns->priv;
	int ret = vfs_fsync(f->file, 0);

	if (ret)
		pr_warn("nsid %u: syncing %s failed (%d)\n",
			ns->nsid, ns->cfg.path, ret);
}

const struct nepf_backend_ops nepf_backend_file = {
	.name = "file",
	.open = nepf_file_open,
	.close = nepf_file_close,
	.submit = nepf_file_submit,
	.flush_all = nepf_file_flush_all,
};
