/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uport.h - userspace stand-ins for the kernel facilities the protocol core
 * uses, so that core.c, bar-regs.c, queues.c, prp-sgl.c, admin-cmd.c and
 * io-cmd.c build unchanged into the unit tests and fuzzers.
 *
 * Only src/port.h includes this file, found through the include path
 * (-I tests/shim) that the userspace builds pass: src/ never names tests/.
 * Keep it to what the core really needs: anything added here must have a
 * kernel twin in port.h.
 */
#ifndef NEPF_UPORT_H
#define NEPF_UPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <endian.h>
#include <pthread.h>
#include <time.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define U16_MAX		UINT16_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX

/* Distinct names only for the reader: sparse checks them in the kernel. */
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;

#define le16_to_cpu(x)	((u16)le16toh(x))
#define le32_to_cpu(x)	((u32)le32toh(x))
#define le64_to_cpu(x)	((u64)le64toh(x))
#define cpu_to_le16(x)	((__le16)htole16(x))
#define cpu_to_le32(x)	((__le32)htole32(x))
#define cpu_to_le64(x)	((__le64)htole64(x))

#define __force
#define __packed		__attribute__((packed))
#define __aligned(x)		__attribute__((aligned(x)))
#define __maybe_unused		__attribute__((unused))
#define __always_unused		__attribute__((unused))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/*
 * Atomic accesses, so that ThreadSanitizer sees what the kernel's
 * ordering rules give: READ_ONCE() carries the address dependency of the
 * kernel's (consume), WRITE_ONCE() orders nothing, smp_store_release() /
 * smp_load_acquire() pair.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_CONSUME)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
/* The kernel's value-returning exchanges are fully ordered. */
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n)						\
	({								\
		__typeof__(*(p)) __old = (o);				\
									\
		__atomic_compare_exchange_n((p), &__old, (n), false,	\
					    __ATOMIC_SEQ_CST,		\
					    __ATOMIC_SEQ_CST);		\
		__old;							\
	})

/*
 * Reads of memory a device writes, after the read that said it did.  The
 * simulated host writes the CMB from the test's own thread, and TSan
 * refuses fences: a compiler barrier.
 */
#define dma_rmb()		__asm__ __volatile__("" ::: "memory")

#ifndef static_assert
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#endif
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)((u64)(n) >> 32))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)

static inline u64 div_u64(u64 n, u32 d)
{
	return n / d;
}

static inline int ilog2(u64 v)
{
	return v ? 63 - __builtin_clzll(v) : -1;
}

static inline bool is_power_of_2(u64 v)
{
	return v && !(v & (v - 1));
}

/* A broken invariant is a test failure, never silently ignored. */
#define WARN_ON(cond)							\
	({ bool __w = !!(cond);						\
	   if (__w) fprintf(stderr, "WARN_ON(%s) at %s:%d\n", #cond,	\
			    __FILE__, __LINE__);			\
	   __w; })
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#include "uport-sync.h"
#include "uport-list.h"

#define nepf_zalloc(size)	calloc(1, size)
#define nepf_free(p)		free(p)
/* The simulated pool frees namespaces on the admin thread: nothing to wait. */
#define nepf_ns_lookup_begin()	do { } while (0)
#define nepf_ns_lookup_end()	do { } while (0)

/*
 * Clock: tests set uport_fake_ns to make time deterministic (power-on
 * hours, interrupt coalescing time); 0 means the real monotonic clock.
 */
__attribute__((weak)) u64 uport_fake_ns;

static inline u64 nepf_now_ns(void)
{
	struct timespec ts;

	if (uport_fake_ns)
		return uport_fake_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static inline u32 nepf_random_u32(void)
{
	return (u32)random();
}

/*
 * Cost counters (src/costs.h): one plain struct per controller (the
 * simulated host's), counted atomically because completions may run on
 * several threads (test-concurrency.c); a NULL pointer (fuzzers) counts
 * nothing.
 */
#define __percpu
#define nepf_cost_add(costs, NAME, n)					\
	do {								\
		if (costs)						\
			__atomic_fetch_add(&(costs)->v[NEPF_COST_##NAME],	\
					   (u64)(n), __ATOMIC_RELAXED);	\
	} while (0)
#define nepf_cost_inc(costs, NAME)	nepf_cost_add(costs, NAME, 1)
#define nepf_cost_max(costs, NAME, n)					\
	do {								\
		if (costs)						\
			uport_max(&(costs)->v[NEPF_COST_##NAME], (n));	\
	} while (0)

static inline void uport_max(u64 *p, u64 n)
{
	u64 old = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (n > old && !__atomic_compare_exchange_n(p, &old, n, false,
						       __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

/* Tracepoints (src/trace.h) compile to nothing here. */
#define trace_nvme_epf_cmd_fetch(...)	do { } while (0)
#define trace_nvme_epf_cmd_done(...)	do { } while (0)
#define trace_nvme_epf_ctrl(c, cc, csts)	\
	do { (void)(c); (void)(cc); (void)(csts); } while (0)
#define trace_nvme_epf_queue(...)	do { } while (0)

/* Messages: quiet unless NEPF_VERBOSE is set, but always format-checked. */
static inline __printf(1, 2) void uport_msg(const char *fmt, ...)
{
	(void)fmt;
}

#define uport_log(lvl, ctrl, fmt, ...)					\
	do {								\
		if (getenv("NEPF_VERBOSE"))				\
			fprintf(stderr, "%s %s: " fmt, lvl,		\
				(ctrl)->name ? (ctrl)->name : "?",	\
				##__VA_ARGS__);				\
		else							\
			uport_msg(fmt, ##__VA_ARGS__);			\
	} while (0)
#define nepf_info(ctrl, fmt, ...)	uport_log("info", ctrl, fmt, ##__VA_ARGS__)
#define nepf_warn(ctrl, fmt, ...)	uport_log("warn", ctrl, fmt, ##__VA_ARGS__)
#define nepf_dbg(ctrl, fmt, ...)	uport_log("dbg", ctrl, fmt, ##__VA_ARGS__)

#endif /* NEPF_UPORT_H */
