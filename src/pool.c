// SPDX-License-Identifier: GPL-2.0
/*
 * pool.c - a subsystem's capacity pool for Namespace Management: a
 * directory on the board holding one sparse file per namespace the host
 * created, served by the file backend (backend-file.c).
 *
 *   <pool_path>/nsid-<N>.img	the namespace's data, sparse, its size
 *   <pool_path>/nsid-<N>.meta	"bytes=B lba_shift=S attached=A nguid=.. uuid=.."
 *
 * The metadata is what makes the namespaces survive the board's reboot:
 * writing pool_path loads every nsid-<N>.meta (N = 1..NEPF_MAX_NAMESPACES)
 * that is not empty.  A deleted namespace leaves both files behind, empty
 * (truncated): the module never unlinks in the board's filesystem (the
 * VFS unlink interface changes too often across the kernels we build for
 * to be worth it); a later create at that NSID reuses them.
 *
 * pool_size caps the sum of the namespaces' sizes (TNVMCAP); the files
 * are sparse, so the filesystem below may run out first: writes then fail
 * (Capacity Exceeded / Write Fault), as on any thin backing store.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uuid.h>
#include <linux/rcupdate.h>
#include "nvme-epf.h"
#include "backend.h"

#define META_MAX	256

struct nepf_kpool {
	struct nepf_pool pool;
	struct mutex lock;
	char path[256];
	/*
	 * The one controller the pool serves: attachment is per controller
	 * and a delete detaches from this one only, so a second function
	 * of the subsystem gets no namespace management (and no pool
	 * namespace it could still use after the host deleted it).
	 */
	struct nepf_ctrl *ctrl;
};

static struct nepf_kpool *to_kpool(struct nepf_pool *pool)
{
	return container_of(pool, struct nepf_kpool, pool);
}

static void kpool_lock(struct nepf_pool *pool)
{
	mutex_lock(&to_kpool(pool)->lock);
}

static void kpool_unlock(struct nepf_pool *pool)
{
	mutex_unlock(&to_kpool(pool)->lock);
}

static char *kpool_file(struct nepf_kpool *kp, u32 nsid, const char *ext)
{
	return kasprintf(GFP_KERNEL, "%s/nsid-%u.%s", kp->path, nsid, ext);
}

/* Replace the whole of @name with @len bytes of @data (0: empty it). */
static int kpool_write(const char *name, const void *data, size_t len,
		       bool create)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n = 0;
	int ret;

	f = filp_open(name, O_WRONLY | O_TRUNC | O_LARGEFILE |
		      (create ? O_CREAT : 0), 0600);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (len)
		n = kernel_write(f, data, len, &pos);
	ret = n < 0 ? n : n != len ? -EIO : 0;
	if (!ret)
		ret = vfs_fsync(f, 0);
	fput(f);
	return ret;
}

static int kpool_meta_write(struct nepf_kpool *kp, struct nepf_ns *ns)
{
	u32 nsid = ns->nsid;
	char *name = kpool_file(kp, nsid, "meta");
	char *buf = kzalloc(META_MAX, GFP_KERNEL);
	int ret = -ENOMEM;

	if (name && buf) {
		snprintf(buf, META_MAX,
			 "bytes=%llu lba_shift=%u attached=%d nguid=%*phN uuid=%*phN\n",
			 kp->pool.bytes[nsid - 1], ns->lba_shift,
			 kp->pool.attached[nsid - 1], 16, ns->cfg.nguid,
			 16, ns->cfg.uuid);
		ret = kpool_write(name, buf, strlen(buf), true);
	}
	if (ret)
		pr_warn("pool %s: nsid %u: cannot write its metadata (%d)\n",
			kp->path, nsid, ret);
	kfree(buf);
	kfree(name);
	return ret;
}

/* A namespace of the pool, opened by the file backend. */
static struct nepf_ns *kpool_open(struct nepf_kpool *kp, u32 nsid, u64 bytes,
				  u8 lba_shift, const u8 *nguid, const u8 *uuid,
				  int *err)
{
	char *name = kpool_file(kp, nsid, "img");
	struct nepf_ns *ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	int ret = -ENOMEM;

	if (!ns || !name)
		goto fail;
	ret = -ENAMETOOLONG;
	if (strscpy(ns->cfg.path, name, sizeof(ns->cfg.path)) < 0)
		goto fail;
	ns->nsid = nsid;
	strscpy(ns->cfg.backend, "file", sizeof(ns->cfg.backend));
	ns->cfg.size = bytes;
	ns->cfg.block_size = 1U << lba_shift;
	memcpy(ns->cfg.nguid, nguid, 16);
	memcpy(ns->cfg.uuid, uuid, 16);
	ret = nepf_ns_open(ns);
	if (ret)
		goto fail;
	/* Direct I/O may need larger blocks than the host asked for. */
	if (ns->lba_shift != lba_shift) {
		pr_warn("pool %s: nsid %u: %u-byte blocks cannot be served here\n",
			kp->path, nsid, 1U << lba_shift);
		nepf_ns_close(ns);
		ret = -EOPNOTSUPP;
		goto fail;
	}
	kfree(name);
	return ns;
fail:
	kfree(ns);
	kfree(name);
	*err = ret;
	return NULL;
}

static struct nepf_ns *kpool_create(struct nepf_pool *pool, u32 nsid,
				    u64 bytes, u8 lba_shift, int *err)
{
	struct nepf_kpool *kp = to_kpool(pool);
	char *name = kpool_file(kp, nsid, "img");
	struct nepf_ns *ns = NULL;
	u8 nguid[16], uuid[16];
	struct file *f;
	int ret;

	if (!name) {
		*err = -ENOMEM;
		return NULL;
	}
	/* A new, sparse file of the size: no old data shows through. */
	f = filp_open(name, O_RDWR | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	kfree(name);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	ret = vfs_truncate(&f->f_path, bytes);
	fput(f);
	if (ret) {
		*err = ret == -EFBIG ? -ENOSPC : ret;
		return NULL;
	}
	/* Hosts tell namespaces apart by these: new ones for a new one. */
	generate_random_uuid(nguid);
	generate_random_uuid(uuid);
	ns = kpool_open(kp, nsid, bytes, lba_shift, nguid, uuid, err);
	if (!ns)
		return NULL;
	/* The core sets bytes[] after this returns: the metadata needs it. */
	pool->bytes[nsid - 1] = bytes;
	pool->attached[nsid - 1] = false;
	if (kpool_meta_write(kp, ns)) {
		pool->bytes[nsid - 1] = 0;
		synchronize_rcu();
		nepf_ns_close(ns);
		kfree(ns);
		*err = -EIO;
		return NULL;
	}
	pr_info("pool %s: host created nsid %u, %llu bytes\n", kp->path, nsid,
		bytes);
	return ns;
}

static void kpool_remove(struct nepf_pool *pool, struct nepf_ns *ns)
{
	struct nepf_kpool *kp = to_kpool(pool);
	u32 nsid = ns->nsid;
	char *name;

	/* A command may have found the namespace just before the detach. */
	synchronize_rcu();
	nepf_ns_close(ns);
	kfree(ns);
	name = kpool_file(kp, nsid, "meta");
	if (name && kpool_write(name, NULL, 0, false))
		pr_warn("pool %s: nsid %u: cannot clear its metadata\n",
			kp->path, nsid);
	kfree(name);
	name = kpool_file(kp, nsid, "img");
	if (name)
		kpool_write(name, NULL, 0, false);	/* give the space back */
	kfree(name);
	pr_info("pool %s: host deleted nsid %u\n", kp->path, nsid);
}

static void kpool_attached(struct nepf_pool *pool, struct nepf_ns *ns, bool on)
{
	kpool_meta_write(to_kpool(pool), ns);
}

static const struct nepf_pool_ops nepf_kpool_ops = {
	.lock = kpool_lock,
	.unlock = kpool_unlock,
	.create = kpool_create,
	.remove = kpool_remove,
	.attached = kpool_attached,
};

static int kpool_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;	/* lower case */
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 32 hex digits (hex2bin() moved to linux/hex.h in 7.x). */
static int kpool_hex16(const char *s, u8 *out)
{
	unsigned int i;
	int hi, lo;

	if (strlen(s) != 32)
		return -EINVAL;
	for (i = 0; i < 16; i++) {
		hi = kpool_xdigit(s[2 * i]);
		lo = kpool_xdigit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

/* Load nsid-<nsid>.meta: 0 (nothing there), 1 (loaded), or -errno. */
static int kpool_load_one(struct nepf_kpool *kp, struct nepf_subsys *ss,
			  u32 nsid)
{
	char *name = kpool_file(kp, nsid, "meta");
	char *buf = kzalloc(META_MAX, GFP_KERNEL);
	char nguid_s[33], uuid_s[33];
	u8 nguid[16], uuid[16];
	unsigned int shift;
	struct nepf_ns *ns;
	struct file *f;
	loff_t pos = 0;
	int attached, ret;
	u64 bytes;
	ssize_t n;

	ret = -ENOMEM;
	if (!name || !buf)
		goto out;
	f = filp_open(name, O_RDONLY, 0);
	ret = 0;
	if (IS_ERR(f))		/* never created */
		goto out;
	n = kernel_read(f, buf, META_MAX - 1, &pos);
	fput(f);
	ret = n < 0 ? n : 0;
	if (n <= 0)		/* deleted: emptied */
		goto out;
	ret = -EINVAL;
	if (sscanf(buf, "bytes=%llu lba_shift=%u attached=%d nguid=%32s uuid=%32s",
		   &bytes, &shift, &attached, nguid_s, uuid_s) != 5 ||
	    (shift != 9 && shift != 12) || !bytes || (bytes & ((1ULL << shift) - 1)) ||
	    kpool_hex16(nguid_s, nguid) || kpool_hex16(uuid_s, uuid))
		goto out;
	ret = -EBUSY;
	if (ss->ns[nsid - 1])	/* configfs enabled one at that NSID first */
		goto out;
	ns = kpool_open(kp, nsid, bytes, shift, nguid, uuid, &ret);
	if (!ns)
		goto out;
	kp->pool.ns[nsid - 1] = ns;
	kp->pool.bytes[nsid - 1] = bytes;
	kp->pool.attached[nsid - 1] = attached;
	kp->pool.used += bytes;
	ret = 1;
out:
	if (ret < 0)
		pr_warn("pool %s: nsid %u not loaded (%d)\n", kp->path, nsid, ret);
	kfree(buf);
	kfree(name);
	return ret;
}

/* Close every namespace of the pool and free it (no function serves it). */
static void kpool_free(struct nepf_kpool *kp)
{
	unsigned int i;

	if (!kp)
		return;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++) {
		if (!kp->pool.ns[i])
			continue;
		/* A Format NVM may have changed its block size since. */
		kpool_meta_write(kp, kp->pool.ns[i]);
		nepf_ns_close(kp->pool.ns[i]);
		kfree(kp->pool.ns[i]);
	}
	mutex_destroy(&kp->lock);
	kfree(kp);
}

/**
 * nepf_kpool_configure() - set a subsystem's pool directory
 * @ss: the subsystem; none of its functions is started
 * @path: an absolute directory, or "" for no pool
 *
 * Closes the namespaces of the old pool and loads those of the new one.
 * Context: configfs, nepf_cfs_mutex and nepf_serve_lock held.
 * Return: 0 or -errno (the old pool is gone either way).
 */
int nepf_kpool_configure(struct nepf_subsys *ss, const char *path)
{
	struct nepf_kpool *kp;
	struct file *dir;
	unsigned int i, loaded = 0;
	int ret;

	kpool_free(ss->pool);
	ss->pool = NULL;
	if (!path[0])
		return 0;
	dir = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir)) {
		pr_warn("pool %s: not a directory we can open (%ld)\n", path,
			PTR_ERR(dir));
		return PTR_ERR(dir);
	}
	fput(dir);
	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	if (!kp)
		return -ENOMEM;
	mutex_init(&kp->lock);
	strscpy(kp->path, path, sizeof(kp->path));
	kp->pool.ops = &nepf_kpool_ops;
	kp->pool.capacity = ss->pool_size;
	for (i = 1; i <= NEPF_MAX_NAMESPACES; i++) {
		ret = kpool_load_one(kp, ss, i);
		if (ret > 0)
			loaded++;
	}
	pr_info("pool %s: %u namespaces, %llu of %llu bytes allocated\n",
		path, loaded, kp->pool.used, kp->pool.capacity);
	ss->pool = kp;
	return 0;
}

void nepf_kpool_set_size(struct nepf_subsys *ss, u64 size)
{
	ss->pool_size = size;
	if (ss->pool) {
		mutex_lock(&ss->pool->lock);
		ss->pool->pool.capacity = size;
		mutex_unlock(&ss->pool->lock);
	}
}

void nepf_kpool_release(struct nepf_subsys *ss)
{
	kpool_free(ss->pool);
	ss->pool = NULL;
}

/* Is @nsid one of the pool's?  (configfs: enabling a namespace there.) */
bool nepf_kpool_has(struct nepf_subsys *ss, u32 nsid)
{
	bool has;

	if (!ss->pool)
		return false;
	mutex_lock(&ss->pool->lock);
	has = ss->pool->pool.ns[nsid - 1];
	mutex_unlock(&ss->pool->lock);
	return has;
}

/*
 * A function starts serving @ss: its controller manages the pool's
 * namespaces, and those the host left attached are attached again.
 */
void nepf_kpool_serve(struct nepf_subsys *ss, struct nepf_ctrl *ctrl)
{
	struct nepf_kpool *kp = ss->pool;
	unsigned int i;

	if (!kp || !kp->pool.capacity)
		return;
	mutex_lock(&kp->lock);
	if (kp->ctrl) {
		pr_warn("pool %s: already serves another function: no namespace management for %s\n",
			kp->path, ctrl->name);
		mutex_unlock(&kp->lock);
		return;
	}
	kp->ctrl = ctrl;
	ctrl->pool = &kp->pool;
	for (i = 0; i < NEPF_MAX_NAMESPACES; i++)
		if (kp->pool.ns[i] && kp->pool.attached[i])
			nepf_ctrl_attach_ns(ctrl, kp->pool.ns[i]);
	mutex_unlock(&kp->lock);
}

/* The function of @ctrl stops serving (its namespaces are detached). */
void nepf_kpool_unserve(struct nepf_subsys *ss, struct nepf_ctrl *ctrl)
{
	struct nepf_kpool *kp = ss->pool;

	ctrl->pool = NULL;
	if (!kp)
		return;
	mutex_lock(&kp->lock);
	if (kp->ctrl == ctrl)
		kp->ctrl = NULL;
	mutex_unlock(&kp->lock);
}
