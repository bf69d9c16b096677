/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h - namespaces and the storage backends behind them.
 *
 * io-cmd.c turns an NVM command into one struct nepf_io and calls the
 * namespace's backend.  The backend completes it exactly once, from any
 * context, with nepf_io_done(); io-cmd.c maps the result to an NVMe status.
 * Backends: null (backend-null.c), block device (backend-bdev.c),
 * regular file (backend-file.c).
 */
#ifndef NEPF_BACKEND_H
#define NEPF_BACKEND_H

#include "port.h"

struct nepf_cmd;
struct nepf_ns;
struct nepf_uncor;

enum nepf_io_op {
	NEPF_IO_READ,
	NEPF_IO_WRITE,
	NEPF_IO_FLUSH,
	NEPF_IO_WRITE_ZEROES,
	NEPF_IO_DISCARD,
};

/* Outcome of an I/O, mapped to NVMe status by io-cmd.c. */
enum nepf_io_result {
	NEPF_IO_OK,
	NEPF_IO_ERR_READ,	/* unrecovered read error */
	NEPF_IO_ERR_WRITE,	/* write fault */
	NEPF_IO_ERR_NOSPC,	/* capacity exceeded / out of space */
	NEPF_IO_ERR_NOTSUPP,	/* the backend cannot do this op */
	NEPF_IO_ERR_RANGE,	/* LBA out of range */
	NEPF_IO_ERR_INTERNAL,	/* anything else (-ENOMEM, -EIO on flush...) */
	NEPF_IO_ERR_READONLY,	/* write to a read-only namespace */
};

struct nepf_range {
	u64 pos;		/* bytes */
	u64 len;		/* bytes */
};

struct nepf_io {
	struct nepf_ns *ns;
	struct nepf_cmd *cmd;	/* owner */
	enum nepf_io_op op;
	u64 pos;		/* byte offset (READ/WRITE/WRITE_ZEROES) */
	u32 len;		/* bytes */
	bool fua;
	void *buf;		/* len bytes, from env->alloc_buf() */
	const struct nepf_range *ranges;	/* DISCARD */
	unsigned int nr_ranges;
	enum nepf_io_result result;
	union {			/* the backend's */
		void *priv;
		struct {	/* backend-bdev.c */
			refcount_t bios;	/* not ended, + 1 while sending */
			int bio_result;		/* the first failure */
		};
	};
	/*
	 * Set: an I/O of a background operation (bgop.c), not of a command:
	 * nepf_io_done() sets @result and calls this instead (any context).
	 */
	void (*done)(struct nepf_io *io);
};

/*
 * Counters of completed commands (per SQ in the controller, per namespace
 * in struct nepf_ns); the caller of nepf_stats_add() holds the lock that
 * protects them.  Latency buckets: [0] < 1 us, [i] < 2^i us, the last one
 * everything longer.
 */
#define NEPF_LAT_BUCKETS	24
struct nepf_io_stats {
	u64 cmds;
	u64 reads, writes;	/* Read / Write commands (successful or not) */
	u64 bytes_read, bytes_written;	/* of successful ones */
	u64 errors;		/* completions with a non-zero status */
	u64 lat[NEPF_LAT_BUCKETS];
	u64 lat_max_ns;
};

/* Configuration of a namespace, set through configfs before enable. */
struct nepf_ns_config {
	char backend[16];	/* "null", "bdev", "file" */
	char path[256];		/* device or file path */
	u64 size;		/* bytes: null backend; file: 0 = file size */
	u32 block_size;		/* null backend: 512 or 4096 */
	bool readonly;
	bool buffered_io;	/* file backend */
	u8 nguid[16];
	u8 uuid[16];
};

struct nepf_ns {
	u32 nsid;
	struct nepf_ns_config cfg;
	const struct nepf_backend_ops *ops;
	void *priv;		/* the backend's */
	/* set by the backend's open() */
	u64 nr_blocks;		/* capacity in logical blocks */
	u8 lba_shift;		/* log2 of the logical block size */
	/*
	 * Format NVM: the smallest block the backend can serve (log2), and
	 * the capacity in bytes, whatever the block size (nepf_ns_open()).
	 */
	u8 lba_shift_min;
	u64 size;
	bool can_discard;
	bool can_write_zeroes;	/* natively; io-cmd.c emulates otherwise */
	bool volatile_cache;	/* flush is meaningful */
	/*
	 * Write Uncorrectable's LBAs (io-cmd.c): how many, and their
	 * uncor_nr ranges (NULL until the first), under uncor_lock.  irqsave:
	 * a write's completion (nepf_io_done(), a bio's end_io) clears them.
	 */
	spinlock_t uncor_lock;
	u32 uncor_blocks, uncor_nr;
	struct nepf_uncor *uncor;
	struct nepf_io_stats stats;	/* at completion, under ref_lock */
	/*
	 * References, as nvmet's percpu_ref on its namespaces: one the live
	 * namespace holds itself, one per command or background job using
	 * it (nepf_ns_get/put, by the core from the namespace lookup to the
	 * command's end).  Disabling a namespace (nepf_ns_kill()) sets
	 * @dying, so that no new reference is given, and drops the
	 * namespace's own; the last put completes @drained, which
	 * nepf_ns_drain() and the kernel's close wait on before the backend
	 * goes.  Set up by nepf_ns_init().  @dying, @busy and @stats are
	 * under ref_lock, a plain spin_lock(): process context only
	 * (lookups, command ends, background steps).
	 */
	spinlock_t ref_lock;
	refcount_t ref;
	struct completion drained;
	bool dying;
	/*
	 * A Format NVM or a Sanitize owns the namespace (NEPF_NS_*, under
	 * ref_lock): I/O commands fail with its status meanwhile.
	 */
	u8 busy;
	/*
	 * Format NVM changed its Identify data this many times (core.c):
	 * every controller it is attached to tells its host.
	 */
	u32 id_gen;
};

enum { NEPF_NS_FREE, NEPF_NS_FORMAT, NEPF_NS_SANITIZE, NEPF_NS_SANITIZE_FAILED };

static inline void nepf_ns_init(struct nepf_ns *ns)
{
	spin_lock_init(&ns->ref_lock);
	spin_lock_init(&ns->uncor_lock);
	ns->uncor_blocks = 0;
	ns->uncor_nr = 0;
	refcount_set(&ns->ref, 1);
	init_completion(&ns->drained);
	ns->dying = false;
	ns->busy = NEPF_NS_FREE;
}

/* false: the namespace is going away, treat it as not attached. */
static inline bool nepf_ns_get(struct nepf_ns *ns)
{
	bool ok;

	spin_lock(&ns->ref_lock);
	ok = !ns->dying;
	if (ok)		/* not dying: its own reference is still there */
		refcount_inc(&ns->ref);
	spin_unlock(&ns->ref_lock);
	return ok;
}

/*
 * An I/O command's reference: as nepf_ns_get(), and refused while a
 * Format or Sanitize owns the namespace (*busy: which one, else 0).
 */
static inline bool nepf_ns_get_io(struct nepf_ns *ns, u8 *busy)
{
	bool ok;

	spin_lock(&ns->ref_lock);
	*busy = ns->busy;
	ok = !ns->dying && !ns->busy;
	if (ok)
		refcount_inc(&ns->ref);
	spin_unlock(&ns->ref_lock);
	return ok;
}

/* The last reference of a dying namespace ends its drain. */
static inline void nepf_ns_put(struct nepf_ns *ns)
{
	if (refcount_dec_and_test(&ns->ref))
		complete_all(&ns->drained);
}

/* References held by commands and jobs, not counting the namespace's own. */
static inline unsigned int nepf_ns_users(struct nepf_ns *ns)
{
	unsigned int n;

	spin_lock(&ns->ref_lock);
	n = refcount_read(&ns->ref);
	if (n && !ns->dying)
		n--;
	spin_unlock(&ns->ref_lock);
	return n;
}

struct nepf_backend_ops {
	const char *name;
	int (*open)(struct nepf_ns *ns);	/* 0 or -errno; fills geometry */
	void (*close)(struct nepf_ns *ns);
	void (*submit)(struct nepf_io *io);	/* completes with nepf_io_done() */
	void (*flush_all)(struct nepf_ns *ns);	/* shutdown: sync, may sleep */
};

/* Called by backends when an I/O is over (any context). */
void nepf_io_done(struct nepf_io *io, enum nepf_io_result result);
/*
 * Disabling a namespace (io-cmd.c): nepf_ns_kill() gives no new reference
 * and drops the namespace's own; nepf_ns_drain() also waits for the last
 * one.  Either may be called again.
 */
void nepf_ns_kill(struct nepf_ns *ns);
void nepf_ns_drain(struct nepf_ns *ns);
/* Forget the uncorrectable LBAs (io-cmd.c): when the namespace closes. */
void nepf_ns_uncor_free(struct nepf_ns *ns);
/* Is a block of [slba, slba + nlb) uncorrectable?  *lba: the first. */
bool nepf_ns_uncor_hit(struct nepf_ns *ns, u64 slba, u64 nlb, u64 *lba);
/*
 * The uncorrectable ranges [start, end) of @ns inside [from, to), clipped,
 * ascending: the first @max into @out; returns how many there are in all.
 */
struct nepf_blocks {
	u64 start, end;
};

u32 nepf_ns_uncor_ranges(struct nepf_ns *ns, u64 from, u64 to,
			 struct nepf_blocks *out, u32 max);
/* Every block was rewritten (Format, Sanitize): the set is empty. */
void nepf_ns_uncor_clear_all(struct nepf_ns *ns);

/* Backend registry: "null", "bdev", "file" (backend.c, kernel only). */
const struct nepf_backend_ops *nepf_backend_find(const char *name);
/*
 * Namespace lifecycle (backend.c): open finds the backend named by
 * ns->cfg.backend, opens it and validates the geometry; close marks the
 * namespace dying, waits for the commands holding it, flushes and closes.
 * The caller detaches the namespace from every controller in between.
 */
int nepf_ns_open(struct nepf_ns *ns);
void nepf_ns_close(struct nepf_ns *ns);
/* Checks every backend does first: read-only and capacity. */
enum nepf_io_result nepf_io_check(const struct nepf_io *io);
int nepf_backends_init(void);	/* workqueue for synchronous operations */
void nepf_backends_exit(void);
extern const struct nepf_backend_ops nepf_backend_null;
extern const struct nepf_backend_ops nepf_backend_bdev;
extern const struct nepf_backend_ops nepf_backend_file;

#endif /* NEPF_BACKEND_H */
