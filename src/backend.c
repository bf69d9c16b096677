// SPDX-License-Identifier: GPL-2.0
/*
 * backend.c - backend registry and the namespace open/close sequence shared
 * by the null, block device and file backends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/log2.h>
#include <linux/workqueue.h>
#include "backend.h"
#include "backend-priv.h"

struct workqueue_struct *nepf_backend_wq;

static const struct nepf_backend_ops *const nepf_backends[] = {
	&nepf_backend_null,
	&nepf_backend_bdev,
	&nepf_backend_file,
};

const struct nepf_backend_ops *nepf_backend_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nepf_backends); i++)
		if (!strcmp(nepf_backends[i]->name, name))
			return nepf_backends[i];
	return NULL;
}

enum nepf_io_result nepf_io_check(const struct nepf_io *io)
{
	const struct nepf_ns *ns = io->ns;
	u64 cap = ns->nr_blocks << ns->lba_shift;
	unsigned int i;

	if (io->op != NEPF_IO_READ && io->op != NEPF_IO_FLUSH && ns->cfg.readonly)
		return NEPF_IO_ERR_READONLY;
	switch (io->op) {
	case NEPF_IO_READ:
	case NEPF_IO_WRITE:
	case NEPF_IO_WRITE_ZEROES:
		if (io->pos > cap || io->len > cap - io->pos)
			return NEPF_IO_ERR_RANGE;
		break;
	case NEPF_IO_DISCARD:
		for (i = 0; i < io->nr_ranges; i++)
			if (io->ranges[i].pos > cap ||
			    io->ranges[i].len > cap - io->ranges[i].pos)
				return NEPF_IO_ERR_RANGE;
		break;
	case NEPF_IO_FLUSH:
		break;
	}
	return NEPF_IO_OK;
}

int nepf_ns_open(struct nepf_ns *ns)
{
	const struct nepf_backend_ops *ops;
	const char *path;
	u32 bs;
	int ret;

	ops = nepf_backend_find(ns->cfg.backend);
	if (!ops) {
		pr_err("nsid %u: unknown backend '%s'\n", ns->nsid,
		       ns->cfg.backend);
		return -EINVAL;
	}
	nepf_ns_init(ns);
	ns->ops = ops;
	ns->nr_blocks = 0;
	ns->lba_shift = 0;
	ns->can_discard = false;
	ns->can_write_zeroes = false;
	ns->volatile_cache = false;
	ns->lba_shift_min = 0;
	ns->size = 0;
	ret = ops->open(ns);
	if (ret) {
		pr_err("nsid %u: %s backend: cannot open '%s' (%d)\n",
		       ns->nsid, ops->name, ns->cfg.path, ret);
		ns->ops = NULL;
		return ret;
	}
	/* NVMe allows other LBA sizes, the hosts we serve do not. */
	bs = 1U << ns->lba_shift;
	if (ns->lba_shift < 9 || ns->lba_shift > 12 || !ns->nr_blocks) {
		pr_err("nsid %u: unusable geometry: %u-byte blocks, %llu blocks\n",
		       ns->nsid, bs, ns->nr_blocks);
		ops->close(ns);
		ns->ops = NULL;
		return -EINVAL;
	}
	/* Format NVM: the backend's smallest block and its whole capacity. */
	if (!ns->lba_shift_min || ns->lba_shift_min > ns->lba_shift)
		ns->lba_shift_min = ns->lba_shift;
	if (ns->size < ns->nr_blocks << ns->lba_shift)
		ns->size = ns->nr_blocks << ns->lba_shift;
	/* Nothing may change the medium of a read-only namespace. */
	if (ns->cfg.readonly) {
		ns->can_discard = false;
		ns->can_write_zeroes = false;
	}
	/* The null backend ignores device_path: do not show a stale one. */
	path = ops == &nepf_backend_null ? "" : ns->cfg.path;
	pr_info("nsid %u: %s backend%s%s: %llu blocks of %u bytes%s%s%s%s\n",
		ns->nsid, ops->name, path[0] ? " " : "", path,
		ns->nr_blocks, bs, ns->cfg.readonly ? ", read-only" : "",
		ns->can_discard ? ", discard" : "",
		ns->can_write_zeroes ? ", write-zeroes" : "",
		ns->volatile_cache ? ", volatile cache" : "");
	return 0;
}

void nepf_ns_close(struct nepf_ns *ns)
{
	if (!ns->ops)
		return;
	/*
	 * nepf_ns_drain(), saying every 5 s what it still waits for: the
	 * commands that looked the namespace up before it was detached end
	 * on their own (the backends complete every I/O), the last one
	 * completes ns->drained.
	 */
	nepf_ns_kill(ns);
	while (!wait_for_completion_timeout(&ns->drained,
					    msecs_to_jiffies(5000)))
		pr_warn("nsid %u: still waiting for %u commands\n", ns->nsid,
			nepf_ns_users(ns));
	if (!ns->cfg.readonly && ns->ops->flush_all)
		ns->ops->flush_all(ns);
	ns->ops->close(ns);
	ns->ops = NULL;
	ns->priv = NULL;
	nepf_ns_uncor_free(ns);
}

int nepf_backends_init(void)
{
	/*
	 * Flush, discard and buffered file I/O sleep: they run here, never in
	 * the submitter's context.  WQ_MEM_RECLAIM: the namespace may back
	 * swap or writeback on the host.
	 */
	nepf_backend_wq = alloc_workqueue("nvme_epf_backend",
					  WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return nepf_backend_wq ? 0 : -ENOMEM;
}

void nepf_backends_exit(void)
{
	destroy_workqueue(nepf_backend_wq);
	nepf_backend_wq = NULL;
}
