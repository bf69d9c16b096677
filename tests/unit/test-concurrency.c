// SPDX-License-Identifier: GPL-2.0
/*
 * test-concurrency.c - completions finishing on several threads at once
 * into one shared CQ: every command gets exactly one CQE, in a slot of its
 * own, with a consistent phase.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include "unit.h"

#define NR_THREADS	4
#define PER_SQ		48

struct finisher {
	struct sim *s;
	unsigned int first, n;
};

static void *finish_some(void *arg)
{
	struct finisher *f = arg;
	unsigned int i;

	for (i = 0; i < f->n; i++)
		nepf_cmd_finish(f->s->held[f->first + i]);
	return NULL;
}

UNIT_TEST(concurrent_completions_shared_cq)
{
	struct nepf_ctrl_config cfg;
	struct finisher f[NR_THREADS];
	pthread_t t[NR_THREADS];
	u8 seen[2 * PER_SQ + 2] = { 0 };
	struct nvme_cqe cqe;
	struct nvme_sqe sqe;
	unsigned int i, n, total;
	struct sim *s;
	u64 buf;

	sim_default_config(&cfg);
	cfg.queue_depth = 256;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	sim_add_ns(s, 1, 256, 9);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 1 | (1 << 16), NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 128, true, 1), 0);
	CHECK_EQ(sim_create_sq(s, 1, 64, 1), 0);
	CHECK_EQ(sim_create_sq(s, 2, 64, 1), 0);
	s->next_cid = 0;
	s->hold_defer = true;
	for (i = 0; i < 2 * PER_SQ; i++) {
		buf = sim_alloc(s, 4096, 4096);	/* one each: no shared data */
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.rw.slba = cpu_to_le64(i);
		sqe.dptr.prp1 = cpu_to_le64(buf);
		CHECK_EQ(sim_submit(s, 1 + (i & 1), &sqe), 0);
	}
	sim_run(s);
	total = s->nr_held;
	CHECK_EQ(total, 2 * PER_SQ);
	s->nr_held = 0;
	for (i = 0; i < NR_THREADS; i++) {
		f[i].s = s;
		f[i].first = i * (total / NR_THREADS);
		f[i].n = total / NR_THREADS;
		CHECK_EQ(pthread_create(&t[i], NULL, finish_some, &f[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	for (n = 0; sim_reap(s, 1, &cqe) == 0; n++) {
		CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
		CHECK(cqe.cid >= 1 && cqe.cid <= total);
		CHECK_EQ(seen[cqe.cid], 0);
		seen[cqe.cid] = 1;
		CHECK_EQ(le16_to_cpu(cqe.sq_id), 1 + ((cqe.cid - 1) & 1));
	}
	CHECK_EQ(n, total);
	/*
	 * One interrupt per CQ and pass: the completions that raced to be
	 * their SQ's last may all have owed theirs to the pass, which ends
	 * here.  Then none is owed, and fewer than one per CQE went out.
	 */
	sim_run(s);
	CHECK_EQ(s->ctrl.cq[1].pending, 0);
	CHECK(s->irqs[1] >= 1 && s->irqs[1] < total);
	CHECK_EQ(s->ctrl.sq[1].inflight + s->ctrl.sq[2].inflight, 0);
	CHECK_EQ(s->nr_released, s->nr_fetched);
	sim_free(s);
}

/*
 * A namespace enabled while I/O runs: the thread that fills the namespace
 * and attaches it, and the thread whose Read finds it, must agree on its
 * contents (the pointer is published with a release store; ThreadSanitizer
 * reports a race on the namespace's fields otherwise).
 */
static void *attach_ns(void *arg)
{
	sim_add_ns(arg, 1, 64, 9);
	return NULL;
}

UNIT_TEST(concurrent_ns_publish)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_sqe sqe;
	unsigned int tries;
	pthread_t t;
	u64 buf;
	u16 st;

	CHECK_EQ(sim_create_io_queues(s, 1, 16), 0);
	buf = sim_alloc(s, 4096, 4096);
	CHECK_EQ(pthread_create(&t, NULL, attach_ns, s), 0);
	for (tries = 0; tries < 1000000; tries++) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.dptr.prp1 = cpu_to_le64(buf);
		st = sim_cmd(s, 1, &sqe, NULL);
		if (st != (NVME_SC_INVALID_NS | NVME_STATUS_DNR))
			break;
	}
	pthread_join(t, NULL);
	CHECK_EQ(st, 0);
	sim_free(s);
}

/*
 * CSTS is read-modify-written by the register poll (shutdown: SHST) and
 * by any thread that meets a fatal error (CFS): one lock, or a CFS may be
 * lost (ThreadSanitizer reports the race).
 */
static void *go_fatal(void *arg)
{
	nepf_ctrl_fatal(arg, "test: a completion could not be written");
	return NULL;
}

UNIT_TEST(concurrent_cfs_and_shutdown)
{
	struct sim *s = unit_sim_enabled();
	pthread_t t;

	sim_wr32(s, NVME_REG_CC, sim_rd32(s, NVME_REG_CC) | NVME_CC_SHN_NORMAL);
	CHECK_EQ(pthread_create(&t, NULL, go_fatal, &s->ctrl), 0);
	sim_run(s);
	pthread_join(t, NULL);
	sim_run(s);
	CHECK(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_CFS);
	CHECK_EQ(sim_rd32(s, NVME_REG_CSTS) & NVME_CSTS_SHST_MASK,
		 NVME_CSTS_SHST_CMPLT);
	CHECK_EQ(s->ctrl.state, NEPF_CTRL_FATAL);
	sim_free(s);
}

/*
 * The check for doorbells of queues that do not exist runs apart from the
 * register poll, with the queue commands (the glue: under poll_lock):
 * racing a Create I/O SQ it could see the SQ absent and the host's first
 * doorbell already written, and send a false Invalid Doorbell event.
 * Thread "cc": the register poll; main thread: the poll thread, creating
 * and deleting an SQ and ringing its doorbell, under its lock.
 */
struct cc_thread {
	struct sim *s;
	pthread_mutex_t *poll_lock;
	bool stop;
};

static void *cc_poll(void *arg)
{
	struct cc_thread *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		nepf_regs_poll(&c->s->ctrl);
		if (!pthread_mutex_trylock(c->poll_lock)) {
			nepf_regs_stray_doorbells(&c->s->ctrl);
			pthread_mutex_unlock(c->poll_lock);
		}
	}
	return NULL;
}

UNIT_TEST(concurrent_stray_doorbell_vs_create)
{
	pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
	struct sim *s = unit_sim_enabled();
	struct cc_thread c = { .s = s, .poll_lock = &poll_lock };
	struct nvme_sqe aer;
	unsigned int i;
	pthread_t t;

	sim_sqe(&aer, nvme_admin_async_event);
	CHECK_EQ(sim_cmd(s, 0, &aer, NULL), SIM_NO_CQE);
	CHECK_EQ(sim_set_feature(s, NVME_FEAT_NUM_QUEUES, 1 | (1 << 16), NULL), 0);
	CHECK_EQ(sim_create_cq(s, 1, 16, true, 1), 0);
	s->no_regs_poll = true;
	CHECK_EQ(pthread_create(&t, NULL, cc_poll, &c), 0);
	for (i = 0; i < 200; i++) {
		pthread_mutex_lock(&poll_lock);
		CHECK_EQ(sim_create_sq(s, 2, 16, 1), 0);
		sim_wr32(s, NVME_REG_SQTDBL(2), 1);	/* a host rings it */
		CHECK_EQ(sim_delete_q(s, nvme_admin_delete_sq, 2), 0);
		pthread_mutex_unlock(&poll_lock);
	}
	__atomic_store_n(&c.stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	s->no_regs_poll = false;
	CHECK_EQ(sim_reap(s, 0, NULL), -EAGAIN);	/* no event */
	sim_free(s);
}

/*
 * A namespace enabled and disabled on the board (configfs: a thread of
 * its own) while the host resets the controller again and again.  The
 * namespace-changed event must not be posted from the board's thread:
 * there neither the poll lock nor the quiesce before a reset sees it, so
 * its CQE could land after CSTS.RDY = 0, or carry an old AER's command id
 * into the next controller's admin queue (issue 16 item 6).  The board's
 * thread only notes the change; the poll thread (here the main thread,
 * which plays the host too) posts the event.
 */
struct board_thread {
	struct sim *s;
	struct nepf_ns *ns;
	pthread_mutex_t *poll_lock;
	bool stop;
};

static void *board_ns_toggle(void *arg)
{
	struct board_thread *b = arg;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		nepf_ctrl_attach_ns(&b->s->ctrl, b->ns);
		/* nepf_epf_ctrl_detach_ns(): under the poll lock */
		pthread_mutex_lock(b->poll_lock);
		nepf_ctrl_detach_ns(&b->s->ctrl, b->ns->nsid);
		pthread_mutex_unlock(b->poll_lock);
	}
	return NULL;
}

/* An AER, or its completion at once when an event was waiting. */
static void post_aer(struct sim *s, struct nvme_sqe *sqe, unsigned int *events)
{
	sim_sqe(sqe, nvme_admin_async_event);
	if (sim_cmd(s, 0, sqe, NULL) != SIM_NO_CQE)
		(*events)++;
}

UNIT_TEST(concurrent_ns_attach_vs_reset)
{
	pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
	struct sim *s = sim_new(NULL);
	struct board_thread b = { .s = s, .poll_lock = &poll_lock };
	unsigned int i, j, events = 0, bad_cid = 0, not_ready = 0;
	struct nvme_sqe aer;
	struct nvme_cqe cqe;
	u8 log[64];
	pthread_t t;

	b.ns = sim_add_ns(s, 2, 8, 9);
	nepf_ctrl_detach_ns(&s->ctrl, 2);
	s->owner = pthread_self();
	s->check_owner = true;
	CHECK_EQ(pthread_create(&t, NULL, board_ns_toggle, &b), 0);
	for (i = 0; i < 40; i++) {
		pthread_mutex_lock(&poll_lock);
		if (sim_enable(s, 4))
			not_ready++;
		sim_set_feature(s, NVME_FEAT_ASYNC_EVENT, NVME_AEN_CFG_NS_ATTR,
				NULL);
		post_aer(s, &aer, &events);
		pthread_mutex_unlock(&poll_lock);
		for (j = 0; j < 8; j++) {
			pthread_mutex_lock(&poll_lock);
			sim_run(s);
			if (!sim_reap(s, 0, &cqe)) {
				events++;
				bad_cid += cqe.cid != aer.cid;
				/* read the log: the next change is reported */
				sim_get_log(s, NVME_LOG_CHANGED_NS, sizeof(log),
					    0, false, log);
				post_aer(s, &aer, &events);
			}
			pthread_mutex_unlock(&poll_lock);
			usleep(50);	/* the board's turn for the lock */
		}
		pthread_mutex_lock(&poll_lock);
		sim_disable(s);
		pthread_mutex_unlock(&poll_lock);
	}
	__atomic_store_n(&b.stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	s->check_owner = false;
	CHECK_EQ(not_ready, 0);
	CHECK_EQ(s->nr_foreign, 0);
	CHECK_EQ(bad_cid, 0);
	CHECK(events > 0);
	sim_free(s);
}

/*
 * A host shutdown (CC.SHN: the register poll flushes every namespace)
 * while the board disables a namespace (configfs: detach, then close,
 * which frees the backend).  The flush must hold a reference the close
 * waits for, taken where the detach cannot clear the pointer meanwhile:
 * without one it flushed a closed backend, a use after free in the kernel
 * (issue 16 item 1).
 */
struct flusher {
	struct sim *s;
	bool stop;
	unsigned int passes;
};

static void *shutdown_flush(void *arg)
{
	struct flusher *f = arg;

	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		nepf_ctrl_flush_ns(&f->s->ctrl);
		__atomic_fetch_add(&f->passes, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

UNIT_TEST(concurrent_shutdown_flush_vs_ns_disable)
{
	struct sim *s = unit_sim_enabled();
	struct flusher f = { .s = s };
	unsigned int i, p;
	pthread_t t;

	sim_add_ns(s, 1, 8, 9);
	CHECK_EQ(pthread_create(&t, NULL, shutdown_flush, &f), 0);
	for (i = 0; i < 2000; i++) {
		/* A whole flush pass while attached, then one racing us. */
		p = __atomic_load_n(&f.passes, __ATOMIC_RELAXED) + 2;
		while (__atomic_load_n(&f.passes, __ATOMIC_RELAXED) < p)
			sched_yield();
		nepf_ctrl_detach_ns(&s->ctrl, 1);
		sim_ns_close(s, 1);
		sim_add_ns(s, 1, 8, 9);
	}
	__atomic_store_n(&f.stop, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK_EQ(s->nr_flush_closed, 0);
	CHECK(s->nr_flush_all > 0);
	sim_free(s);
}
