// SPDX-License-Identifier: GPL-2.0
/*
 * test-shim.c - the userspace shim (tests/shim/) checks what the kernel's
 * lockdep and refcount_t would: each misuse must abort, in a child
 * process of its own, and the correct use must not.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"

/* Run @fn(@arg) in a child: true if it died of SIGABRT. */
static bool aborts(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void assert_held(void *arg)
{
	lockdep_assert_held((spinlock_t *)arg);
}

static void lock_assert_unlock(void *arg)
{
	spinlock_t *l = arg;
	unsigned long flags;

	spin_lock(l);
	lockdep_assert_held(l);
	spin_unlock(l);
	spin_lock_irqsave(l, flags);
	lockdep_assert_held(l);
	spin_unlock_irqrestore(l, flags);
}

struct holder {
	spinlock_t *lock;
	int state;		/* 1: holds it, 2: may let go */
};

static void *hold_lock(void *arg)
{
	struct holder *h = arg;

	spin_lock(h->lock);
	__atomic_store_n(&h->state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != 2)
		sched_yield();
	spin_unlock(h->lock);
	return NULL;
}

/* Another thread holds the lock: held, but not by us. */
static void assert_held_by_other(void *arg)
{
	struct holder h = { .lock = arg };
	pthread_t t;

	if (pthread_create(&t, NULL, hold_lock, &h))
		_exit(2);
	while (__atomic_load_n(&h.state, __ATOMIC_ACQUIRE) != 1)
		sched_yield();
	lockdep_assert_held(h.lock);	/* aborts here */
	__atomic_store_n(&h.state, 2, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
}

static void lock_twice(void *arg)
{
	spin_lock((spinlock_t *)arg);
	spin_lock((spinlock_t *)arg);
}

static void unlock_unheld(void *arg)
{
	spin_unlock((spinlock_t *)arg);
}

UNIT_TEST(shim_lockdep_assert_held)
{
	spinlock_t l;

	spin_lock_init(&l);
	CHECK(!aborts(lock_assert_unlock, &l));
	CHECK(aborts(assert_held, &l));			/* nobody holds it */
	CHECK(aborts(assert_held_by_other, &l));	/* another thread does */
	CHECK(aborts(lock_twice, &l));
	CHECK(aborts(unlock_unheld, &l));
}

static void plain_in_irq(void *arg)
{
	uport_irq_enter();
	spin_lock((spinlock_t *)arg);
}

struct flavour {
	spinlock_t lock;
	bool plain;	/* the second time: spin_lock() */
};

/* Taken in interrupt context once, then again outside of it. */
static void irq_then_process(void *arg)
{
	struct flavour *f = arg;
	unsigned long flags;

	uport_irq_enter();
	spin_lock_irqsave(&f->lock, flags);
	spin_unlock_irqrestore(&f->lock, flags);
	uport_irq_exit();
	if (f->plain) {
		spin_lock(&f->lock);	/* IRQ-unsafe use of an IRQ-used lock */
		spin_unlock(&f->lock);
	} else {
		spin_lock_irqsave(&f->lock, flags);
		spin_unlock_irqrestore(&f->lock, flags);
	}
}

UNIT_TEST(shim_lock_flavours_in_irq)
{
	struct flavour f = { .plain = true };

	spin_lock_init(&f.lock);
	CHECK(aborts(plain_in_irq, &f.lock));
	CHECK(aborts(irq_then_process, &f));
	f.plain = false;
	CHECK(!aborts(irq_then_process, &f));
}

static void ref_underflow(void *arg)
{
	refcount_t *r = arg;

	refcount_set(r, 1);
	refcount_dec_and_test(r);
	refcount_dec_and_test(r);
}

static void ref_inc_from_zero(void *arg)
{
	refcount_t *r = arg;

	refcount_set(r, 0);
	refcount_inc(r);
}

UNIT_TEST(shim_refcount)
{
	refcount_t r;

	refcount_set(&r, 1);
	refcount_inc(&r);
	CHECK_EQ(refcount_read(&r), 2);
	CHECK(!refcount_dec_and_test(&r));
	CHECK(refcount_dec_and_test(&r));
	CHECK(!refcount_inc_not_zero(&r));
	CHECK(aborts(ref_underflow, &r));
	CHECK(aborts(ref_inc_from_zero, &r));
}

struct item {
	int v;
	struct list_head node;
};

UNIT_TEST(shim_list)
{
	struct item it[4], *pos, *n;
	LIST_HEAD(a);
	LIST_HEAD(b);
	int i, sum = 0, order[4], nr = 0;

	CHECK(list_empty(&a));
	CHECK(!list_first_entry_or_null(&a, struct item, node));
	for (i = 0; i < 4; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, i < 2 ? &a : &b);
	}
	list_splice_tail_init(&b, &a);
	CHECK(list_empty(&b));
	list_for_each_entry(pos, &a, node)
		order[nr++] = pos->v;
	CHECK_EQ(nr, 4);
	for (i = 0; i < 4; i++)
		CHECK_EQ(order[i], i);
	list_for_each_entry_safe(pos, n, &a, node) {
		sum += pos->v;
		list_del(&pos->node);
		CHECK(pos->node.next == LIST_POISON1);
	}
	CHECK_EQ(sum, 6);
	CHECK(list_empty(&a));
	list_add(&it[0].node, &a);
	list_add(&it[1].node, &a);
	CHECK_EQ(list_first_entry(&a, struct item, node)->v, 1);
	list_move_tail(&it[1].node, &a);
	CHECK_EQ(list_first_entry(&a, struct item, node)->v, 0);
}

static void *wait_it(void *arg)
{
	wait_for_completion(arg);
	return NULL;
}

/* A waiter sleeps until complete(), and wakes once: no polling. */
UNIT_TEST(shim_completion)
{
	struct completion c;
	pthread_t t;

	init_completion(&c);
	CHECK(!completion_done(&c));
	complete(&c);
	CHECK(completion_done(&c));
	wait_for_completion(&c);		/* consumes it */
	CHECK(!completion_done(&c));

	CHECK(!pthread_create(&t, NULL, wait_it, &c));
	while (!uport_completion_waiters(&c))
		sched_yield();
	usleep(20000);			/* a poller would have woken by now */
	CHECK_EQ(uport_completion_wakeups(&c), 0);
	complete(&c);
	pthread_join(t, NULL);
	CHECK_EQ(uport_completion_wakeups(&c), 1);
	CHECK_EQ(uport_completion_waiters(&c), 0);
}

/* kfifo: first in, first out across the wrap; full and empty refuse. */
UNIT_TEST(shim_kfifo)
{
	DECLARE_KFIFO(f, u16, 4);
	u16 v = 0;
	int i;

	INIT_KFIFO(f);
	CHECK(kfifo_is_empty(&f));
	CHECK(!kfifo_get(&f, &v));
	for (i = 0; i < 10; i++) {
		CHECK(kfifo_put(&f, i));
		CHECK(kfifo_put(&f, 100 + i));
		CHECK(kfifo_get(&f, &v));
		CHECK_EQ(v, i ? 100 + i - 1 : 0);
		if (i) {
			CHECK(kfifo_get(&f, &v));
			CHECK_EQ(v, i);
		}
	}
	CHECK_EQ(kfifo_len(&f), 1);
	CHECK(kfifo_put(&f, 1) && kfifo_put(&f, 2) && kfifo_put(&f, 3));
	CHECK(kfifo_is_full(&f));
	CHECK(!kfifo_put(&f, 4));
	kfifo_reset(&f);
	CHECK(kfifo_is_empty(&f));
}

static void take_in_order(spinlock_t *first, spinlock_t *second)
{
	spin_lock(first);
	spin_lock(second);
	spin_unlock(second);
	spin_unlock(first);
}

static void ctrl_then_cq(void *arg)
{
	struct sim *s = arg;

	take_in_order(&s->ctrl.lock, &s->ctrl.cq[1].lock);
}

struct two_locks {
	spinlock_t a, b;
};

static void b_then_a(void *arg)
{
	struct two_locks *t = arg;

	take_in_order(&t->b, &t->a);
}

/*
 * Lock order by class: once A was taken before B, B before A aborts.  The
 * core's stated order (ctrl->lock inside cq->lock, core.c) is learnt from
 * a completion that waits for CQ room, and the reverse then aborts.
 */
UNIT_TEST(shim_lock_order)
{
	struct two_locks t;
	struct sim *s;

	spin_lock_init(&t.a);
	spin_lock_init(&t.b);
	take_in_order(&t.a, &t.b);
	take_in_order(&t.a, &t.b);		/* the same order again: fine */
	CHECK(aborts(b_then_a, &t));

	s = sim_new(NULL);
	CHECK(!aborts(ctrl_then_cq, s));	/* no order known yet */
	CHECK_EQ(sim_admin_cq_backlog(s, 3), 0);	/* cq->lock, ctrl->lock */
	CHECK_EQ(s->ctrl.cq[0].nr_wait, 2);
	CHECK(aborts(ctrl_then_cq, s));		/* another CQ: the same class */
	sim_free(s);
}

/* An interrupt-safe lock, then a plain one inside it: lockdep's rule. */
static void plain_under_irq_lock(void *arg)
{
	struct two_locks *t = arg;
	unsigned long flags;

	uport_irq_enter();
	spin_lock_irqsave(&t->a, flags);	/* a: taken in interrupt context */
	spin_unlock_irqrestore(&t->a, flags);
	uport_irq_exit();
	spin_lock_irqsave(&t->a, flags);
	spin_lock(&t->b);
	spin_unlock(&t->b);
	spin_unlock_irqrestore(&t->a, flags);
}

UNIT_TEST(shim_irq_safe_then_unsafe)
{
	struct two_locks t;

	spin_lock_init(&t.a);
	spin_lock_init(&t.b);
	CHECK(aborts(plain_under_irq_lock, &t));
}
