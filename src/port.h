/* SPDX-License-Identifier: GPL-2.0 */
/*
 * port.h - what the protocol core needs from its environment.
 *
 * The protocol core (core.c bar-regs.c queues.c prp-sgl.c admin-cmd.c
 * io-cmd.c) is compiled both into the kernel module and, for the unit tests
 * and fuzzers, into userspace programs.  This header is the only place that
 * tells the two apart; kernel-version differences live in compat.h instead.
 */
#ifndef NEPF_PORT_H
#define NEPF_PORT_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>
#include <linux/list.h>
#include <linux/kfifo.h>
#include <linux/refcount.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/log2.h>
#include <linux/build_bug.h>
#include <linux/random.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <asm/byteorder.h>
#include <asm/barrier.h>

#define nepf_zalloc(size)		kzalloc(size, GFP_KERNEL)
#define nepf_free(p)			kfree(p)
#define nepf_now_ns()			ktime_get_ns()
#define nepf_random_u32()		get_random_u32()
/*
 * A namespace lookup (READ_ONCE(ctrl->ns[]), then a reference) runs inside
 * these: a Namespace Management delete waits a grace period before it
 * frees one (synchronize_rcu() in the pool's remove()).
 */
#define nepf_ns_lookup_begin()		rcu_read_lock()
#define nepf_ns_lookup_end()		rcu_read_unlock()

#define nepf_info(ctrl, fmt, ...)  pr_info("nvme_epf %s: " fmt, (ctrl)->name, ##__VA_ARGS__)
#define nepf_warn(ctrl, fmt, ...)  pr_warn("nvme_epf %s: " fmt, (ctrl)->name, ##__VA_ARGS__)
#define nepf_dbg(ctrl, fmt, ...)   pr_debug("nvme_epf %s: " fmt, (ctrl)->name, ##__VA_ARGS__)

/*
 * Cost counters (costs.h): @costs is a struct nepf_costs __percpu *, NAME
 * a counter without its NEPF_COST_ prefix.  Safe in any context.  A _max
 * counter keeps the largest @n; preemption is off so that no other task
 * on this CPU writes it in between.
 */
#define nepf_cost_add(costs, NAME, n)					\
	do {								\
		u64 __n = (n);						\
									\
		/* not a constant to sparse, which checks every size */	\
		OPTIMIZER_HIDE_VAR(__n);				\
		this_cpu_add((costs)->v[NEPF_COST_##NAME], __n);	\
	} while (0)
#define nepf_cost_inc(costs, NAME)	this_cpu_inc((costs)->v[NEPF_COST_##NAME])
#define nepf_cost_max(costs, NAME, n)					\
	do {								\
		u64 __n = (n), *__p;					\
									\
		preempt_disable();					\
		__p = this_cpu_ptr(&(costs)->v[NEPF_COST_##NAME]);	\
		if (__n > *__p)						\
			*__p = __n;					\
		preempt_enable();					\
	} while (0)

/* Tracepoints (trace.h); their arguments are only looked at when enabled. */
struct nepf_ctrl;
struct nepf_cmd;
struct nvme_sqe;
#include "trace.h"

#else /* userspace: unit tests and fuzzers */

/*
 * The userspace shim (tests/shim/, as the kernel's tools/include): the
 * unit tests, fuzzers and bench put that directory on their include path.
 */
#include <uport.h>

#endif /* __KERNEL__ */

#endif /* NEPF_PORT_H */
