// SPDX-License-Identifier: GPL-2.0
/*
 * test-ns-drain.c - disabling a namespace (nepf_ns_drain(): what the
 * kernel's close and the simulated pool do) gives no new reference and
 * sleeps until the last one held is put, then returns at once: it waits
 * on a completion, it does not poll.  The tests with a thread are named
 * concurrent_* so that ThreadSanitizer runs them too.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include "unit.h"

struct drainer {
	struct nepf_ns *ns;
	pthread_t thread;
	bool returned;
};

static void *drain_thread(void *arg)
{
	struct drainer *d = arg;

	nepf_ns_drain(d->ns);
	__atomic_store_n(&d->returned, true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * Start draining @ns on a thread: true once that thread sleeps on
 * ns->drained (not polling, not returned), and has not woken up 20 ms
 * later (a poll every few milliseconds would have).  Up to 10 s for the
 * thread to get there on a loaded machine.
 */
static bool drain_start(struct drainer *d, struct nepf_ns *ns)
{
	int i;

	d->ns = ns;
	d->returned = false;
	if (pthread_create(&d->thread, NULL, drain_thread, d))
		return false;
	for (i = 0; i < 10000 && !uport_completion_waiters(&ns->drained); i++)
		usleep(1000);
	usleep(20000);
	return uport_completion_waiters(&ns->drained) == 1 &&
	       !uport_completion_wakeups(&ns->drained) &&
	       !__atomic_load_n(&d->returned, __ATOMIC_ACQUIRE);
}

static bool drain_returned(struct drainer *d)
{
	return __atomic_load_n(&d->returned, __ATOMIC_ACQUIRE);
}

/* A reader's reference holds the drain; its put ends it. */
UNIT_TEST(concurrent_ns_drain_waits_for_last_ref)
{
	struct nepf_ns ns = { .nsid = 1 };
	struct drainer d;

	nepf_ns_init(&ns);
	CHECK(nepf_ns_get(&ns));		/* the reader */
	CHECK(nepf_ns_get(&ns));		/* and a second one */
	CHECK_EQ(nepf_ns_users(&ns), 2);
	CHECK(drain_start(&d, &ns));
	CHECK(!drain_returned(&d));
	CHECK_EQ(uport_completion_wakeups(&ns.drained), 0);
	CHECK(!nepf_ns_get(&ns));		/* dying: no new reference */
	nepf_ns_put(&ns);
	usleep(20000);
	CHECK(!drain_returned(&d));		/* one still held */
	CHECK_EQ(uport_completion_wakeups(&ns.drained), 0);
	nepf_ns_put(&ns);			/* the last one */
	pthread_join(d.thread, NULL);
	CHECK(drain_returned(&d));
	CHECK_EQ(uport_completion_wakeups(&ns.drained), 1);
	CHECK_EQ(nepf_ns_users(&ns), 0);
	nepf_ns_drain(&ns);			/* again: returns at once */
}

/* Nothing holds it: the drain does not sleep at all. */
UNIT_TEST(ns_drain_unheld_returns_at_once)
{
	struct nepf_ns ns = { .nsid = 1 };

	nepf_ns_init(&ns);
	CHECK(nepf_ns_get(&ns));
	nepf_ns_put(&ns);
	nepf_ns_drain(&ns);
	CHECK_EQ(uport_completion_wakeups(&ns.drained), 0);
	CHECK(!nepf_ns_get(&ns));
	CHECK_EQ(nepf_ns_users(&ns), 0);
	nepf_ns_kill(&ns);			/* killed twice: no underflow */
	nepf_ns_drain(&ns);
}

/*
 * A Read the backend has finished but whose completion is deferred holds
 * namespace 1; detaching and draining it waits for that command's end.
 */
UNIT_TEST(concurrent_ns_drain_waits_for_command)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	struct nepf_ns *ns;
	struct drainer d;

	CHECK_EQ(sim_create_io_queues(s, 1, 32), 0);
	ns = sim_add_ns(s, 1, 64, 9);
	s->hold_defer = true;
	sim_sqe(&sqe, nvme_cmd_read);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(sim_alloc(s, SIM_PAGE, SIM_PAGE));
	CHECK_EQ(sim_submit(s, 1, &sqe), 0);
	sim_run(s);
	CHECK_EQ(s->nr_held, 1);
	CHECK_EQ(nepf_ns_users(ns), 1);
	nepf_ctrl_detach_ns(&s->ctrl, 1);
	CHECK(drain_start(&d, ns));
	CHECK(!drain_returned(&d));
	s->hold_defer = false;
	sim_release_held(s);			/* the Read ends: its put */
	pthread_join(d.thread, NULL);
	CHECK(drain_returned(&d));
	CHECK_EQ(uport_completion_wakeups(&ns->drained), 1);
	CHECK_EQ(sim_reap(s, 1, &cqe), 0);
	CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	sim_free(s);
}
