/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uport-sync.h - the kernel's spinlocks, lockdep assertions, refcount_t
 * and completions for the userspace builds of the core: the same names
 * and calling conventions, checked harder than a plain stand-in would be.
 *
 *  - A spinlock is an error-checking mutex that knows its owner: taking
 *    it twice, or releasing one this thread does not hold, aborts (in the
 *    kernel: a deadlock, or corrupted state).
 *  - lockdep_assert_held() aborts unless this thread holds the lock (not
 *    merely somebody: what lockdep checks).
 *  - Lock order is learnt by class, as lockdep does: taking two classes
 *    in both orders aborts, and so does a plain spin_lock() inside a lock
 *    taken in interrupt context (uport_order_check()).
 *  - Interrupt context is simulated: uport_irq_enter()/_exit() around
 *    what runs there in the kernel (the simulated host's backend
 *    completions).  A plain spin_lock() there aborts, and so does a plain
 *    spin_lock() of a lock once taken there, as lockdep's IRQ-safety
 *    check would report.
 *  - refcount_t saturates nothing but aborts on an increment from zero or
 *    a decrement below it.
 *  - A completion blocks on a condition variable; it counts its waiters
 *    and wake-ups so that tests can tell a wait from a poll.
 */
#ifndef NEPF_UPORT_SYNC_H
#define NEPF_UPORT_SYNC_H

__attribute__((weak)) __thread unsigned int uport_irq_depth;

static inline void uport_irq_enter(void)
{
	uport_irq_depth++;
}

static inline void uport_irq_exit(void)
{
	if (!uport_irq_depth)
		abort();
	uport_irq_depth--;
}

/*
 * Work the kernel hands to a thread from interrupt context, run at once
 * by a simulation: process context until uport_irq_restore(saved).
 */
static inline unsigned int uport_irq_leave(void)
{
	unsigned int saved = uport_irq_depth;

	uport_irq_depth = 0;
	return saved;
}

static inline void uport_irq_restore(unsigned int saved)
{
	uport_irq_depth = saved;
}

static inline __attribute__((noreturn)) void uport_bug(const char *what,
							const char *name,
							const char *file,
							int line)
{
	fprintf(stderr, "%s:%d: %s (%s)\n", file, line, what, name);
	abort();
}

typedef struct {
	pthread_mutex_t mutex;
	pthread_t owner;	/* valid while held */
	bool held;
	bool irq_used;		/* taken in (simulated) interrupt context */
	const char *class;	/* where it was initialised, as lockdep's key */
} spinlock_t;

/* A lock never initialised (zeroed memory) is a class of its own. */
static inline const char *uport_lock_class(const spinlock_t *l)
{
	return l->class ? l->class : (const char *)l;
}

/*
 * Lock order, as lockdep checks it, by class (the spin_lock_init() call
 * site: every CQ's lock is one class, every namespace's ref_lock one): a
 * thread that takes B while holding A records "A before B"; taking A
 * while holding B afterwards, in any thread, aborts.  Direct inversions
 * only (lockdep also finds longer cycles).  Each unit test is a process:
 * the order is learnt per test.  Also lockdep's IRQ-safe -> IRQ-unsafe
 * rule, simplified: a plain spin_lock() while holding a lock taken in
 * interrupt context aborts (an interrupt could come between the holder
 * of the inner lock, interrupts on, and the outer one).
 */
#define UPORT_HELD_MAX		16
#define UPORT_ORDER_MAX		256
__attribute__((weak)) __thread const spinlock_t *uport_held[UPORT_HELD_MAX];
__attribute__((weak)) __thread unsigned int uport_nr_held;
__attribute__((weak)) pthread_mutex_t uport_order_mutex =
	PTHREAD_MUTEX_INITIALIZER;
__attribute__((weak)) const char *uport_order[UPORT_ORDER_MAX][2];
__attribute__((weak)) unsigned int uport_nr_order;

static inline bool uport_order_known(const char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i < uport_nr_order; i++)
		if (uport_order[i][0] == a && uport_order[i][1] == b)
			return true;
	return false;
}

/* @l is about to be taken: check it against the locks this thread holds. */
static inline void uport_order_check(const spinlock_t *l, bool irqsave,
				     const char *name, const char *file,
				     int line)
{
	const char *class = uport_lock_class(l);
	unsigned int i;

	pthread_mutex_lock(&uport_order_mutex);
	for (i = 0; i < uport_nr_held; i++) {
		const char *held = uport_lock_class(uport_held[i]);
		const char *bug = NULL;

		if (held == class)
			bug = "recursive locking of one class";
		else if (uport_order_known(class, held))
			bug = "lock order inversion";
		else if (!irqsave && uport_held[i]->irq_used)
			bug = "plain spin_lock() under a lock taken in interrupt context";
		if (bug) {
			pthread_mutex_unlock(&uport_order_mutex);
			fprintf(stderr, "lock order: %s (class %s) taken while holding class %s\n",
				name, class, held);
			uport_bug(bug, name, file, line);
		}
		if (!uport_order_known(held, class) &&
		    uport_nr_order < UPORT_ORDER_MAX) {
			uport_order[uport_nr_order][0] = held;
			uport_order[uport_nr_order][1] = class;
			uport_nr_order++;
		}
	}
	pthread_mutex_unlock(&uport_order_mutex);
	if (uport_nr_held == UPORT_HELD_MAX)
		uport_bug("too many locks held", name, file, line);
	uport_held[uport_nr_held++] = l;
}

static inline void uport_order_release(const spinlock_t *l)
{
	unsigned int i;

	for (i = uport_nr_held; i-- > 0;) {
		if (uport_held[i] != l)
			continue;
		memmove(&uport_held[i], &uport_held[i + 1],
			(uport_nr_held - i - 1) * sizeof(uport_held[0]));
		uport_nr_held--;
		return;
	}
}

#define UPORT_STR2(x)		#x
#define UPORT_STR(x)		UPORT_STR2(x)
#define spin_lock_init(l)	uport_spin_lock_init(l, __FILE__ ":" UPORT_STR(__LINE__))

static inline void uport_spin_lock_init(spinlock_t *l, const char *class)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&l->mutex, &a);
	pthread_mutexattr_destroy(&a);
	l->held = false;
	l->irq_used = false;
	l->class = class;
}

/* Does this thread hold @l?  (Another thread's answer may be stale: not ours.) */
static inline bool uport_lock_held(const spinlock_t *l)
{
	return __atomic_load_n(&l->held, __ATOMIC_RELAXED) &&
	       pthread_equal(__atomic_load_n(&l->owner, __ATOMIC_RELAXED),
			     pthread_self());
}

static inline void uport_spin_lock(spinlock_t *l, bool irqsave,
				   const char *name, const char *file,
				   int line)
{
	if (uport_irq_depth && !irqsave)
		uport_bug("plain spin_lock() in interrupt context", name,
			  file, line);
	uport_order_check(l, irqsave, name, file, line);
	if (pthread_mutex_lock(&l->mutex))
		uport_bug("spinlock taken twice", name, file, line);
	if (uport_irq_depth)
		l->irq_used = true;
	else if (l->irq_used && !irqsave)
		uport_bug("plain spin_lock() of a lock taken in interrupt context",
			  name, file, line);
	__atomic_store_n(&l->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&l->held, true, __ATOMIC_RELAXED);
}

static inline void uport_spin_unlock(spinlock_t *l, const char *name,
				     const char *file, int line)
{
	if (!uport_lock_held(l))
		uport_bug("spin_unlock() of a lock this thread does not hold",
			  name, file, line);
	__atomic_store_n(&l->held, false, __ATOMIC_RELAXED);
	uport_order_release(l);
	if (pthread_mutex_unlock(&l->mutex))
		uport_bug("spin_unlock() failed", name, file, line);
}

#define spin_lock(l)	uport_spin_lock(l, false, #l, __FILE__, __LINE__)
#define spin_unlock(l)	uport_spin_unlock(l, #l, __FILE__, __LINE__)
/* @flags keeps the kernel's calling convention; interrupts are simulated. */
#define spin_lock_irqsave(l, flags)					\
	do {								\
		(flags) = 0;						\
		uport_spin_lock(l, true, #l, __FILE__, __LINE__);	\
	} while (0)
#define spin_unlock_irqrestore(l, flags)				\
	do {								\
		(void)(flags);						\
		uport_spin_unlock(l, #l, __FILE__, __LINE__);		\
	} while (0)

#define lockdep_assert_held(l)						\
	do {								\
		if (!uport_lock_held(l))				\
			uport_bug("lockdep_assert_held() failed", #l,	\
				  __FILE__, __LINE__);			\
	} while (0)

/* refcount_t */
typedef struct {
	int refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

static inline void refcount_inc(refcount_t *r)
{
	if (__atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED) <= 0)
		uport_bug("refcount_t: addition on 0; use-after-free", "",
			  __FILE__, __LINE__);
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = __atomic_load_n(&r->refs, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, false,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

/* As the kernel's: release ordering, and acquire when it hits zero. */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_ACQ_REL);

	if (old <= 0)
		uport_bug("refcount_t: underflow; use-after-free", "",
			  __FILE__, __LINE__);
	return old == 1;
}

/* Completions */
struct completion {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	unsigned int done;
	unsigned int waiters;	/* threads blocked in wait_for_completion() */
	unsigned long wakeups;	/* times a waiter woke up (tests: no polling) */
};

static inline void init_completion(struct completion *c)
{
	pthread_mutex_init(&c->mutex, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->done = 0;
	c->waiters = 0;
	c->wakeups = 0;
}

static inline void reinit_completion(struct completion *c)
{
	pthread_mutex_lock(&c->mutex);
	c->done = 0;
	pthread_mutex_unlock(&c->mutex);
}

static inline void complete(struct completion *c)
{
	pthread_mutex_lock(&c->mutex);
	if (c->done != UINT_MAX)
		c->done++;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->mutex);
}

/* Every waiter, now and later (done stays at its maximum). */
static inline void complete_all(struct completion *c)
{
	pthread_mutex_lock(&c->mutex);
	c->done = UINT_MAX;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->mutex);
}

static inline void wait_for_completion(struct completion *c)
{
	if (uport_irq_depth)
		uport_bug("wait_for_completion() in interrupt context", "",
			  __FILE__, __LINE__);
	pthread_mutex_lock(&c->mutex);
	__atomic_add_fetch(&c->waiters, 1, __ATOMIC_RELEASE);
	while (!c->done) {
		pthread_cond_wait(&c->cond, &c->mutex);
		c->wakeups++;
	}
	__atomic_sub_fetch(&c->waiters, 1, __ATOMIC_RELAXED);
	if (c->done != UINT_MAX)
		c->done--;
	pthread_mutex_unlock(&c->mutex);
}

/* Tests: how many threads sleep in wait_for_completion() now. */
static inline unsigned int uport_completion_waiters(struct completion *c)
{
	return __atomic_load_n(&c->waiters, __ATOMIC_ACQUIRE);
}

/* Tests: how often its waiters woke up (once each, unless they poll). */
static inline unsigned long uport_completion_wakeups(struct completion *c)
{
	unsigned long n;

	pthread_mutex_lock(&c->mutex);
	n = c->wakeups;
	pthread_mutex_unlock(&c->mutex);
	return n;
}

static inline bool completion_done(struct completion *c)
{
	bool done;

	pthread_mutex_lock(&c->mutex);
	done = c->done;
	pthread_mutex_unlock(&c->mutex);
	return done;
}

#endif /* NEPF_UPORT_SYNC_H */
