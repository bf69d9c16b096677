// SPDX-License-Identifier: GPL-2.0
/*
 * test-inline.c - one thread hand-off per I/O on the fast path (issue 14):
 * a command whose backend ends it inside its submit is finished by the
 * thread that submitted it, without env->defer; one that ends after the
 * submit returned is deferred; one whose end races the return of the
 * submit, on another thread, is finished exactly once, by one side or the
 * other.  The core counts the first kind (finish_inline), the environment
 * the second (env->defer: the glue's handoff_defer).
 */
#include <pthread.h>
#include <sched.h>
#include "unit.h"

#define COST(s, NAME)	((s)->costs.v[NEPF_COST_##NAME])

static struct sim *inline_sim(void)
{
	struct sim *s = unit_sim_enabled();

	if (sim_create_io_queues(s, 1, 16))
		abort();
	sim_add_ns(s, 1, 256, 9);
	memset(&s->ledger, 0, sizeof(s->ledger));
	memset(&s->costs, 0, sizeof(s->costs));
	return s;
}

/* A 4 KiB write of @seed's pattern at LBA 8, read back and compared. */
static bool write_read(struct sim *s, u8 seed)
{
	u8 out[4096], in[4096];

	memset(out, seed, sizeof(out));
	memset(in, 0, sizeof(in));
	return !sim_rw(s, 1, nvme_cmd_write, 1, 8, 8, out) &&
	       !sim_rw(s, 1, nvme_cmd_read, 1, 8, 8, in) &&
	       !memcmp(in, out, sizeof(in));
}

UNIT_TEST(inline_sync_backend_no_defer)
{
	struct sim *s = inline_sim();

	CHECK(write_read(s, 0x5a));
	CHECK_EQ(s->ledger.defers, 0);
	CHECK_EQ(COST(s, FINISH_INLINE), 2);
	CHECK_EQ(COST(s, CMDS_IO), 2);
	CHECK_EQ(s->ledger.releases, 2);
	sim_free(s);
}

UNIT_TEST(inline_async_backend_defers)
{
	struct sim *s = inline_sim();

	s->async_io = true;
	CHECK(write_read(s, 0xa5));
	CHECK_EQ(s->ledger.defers, 2);
	CHECK_EQ(COST(s, FINISH_INLINE), 0);
	CHECK_EQ(s->ledger.releases, 2);
	sim_free(s);
}

/*
 * Ends without data: an invalid command never reaches a backend and ends
 * where it ran; a backend error inside the submit too, after it only
 * through env->defer.  Both carry their status.
 */
UNIT_TEST(inline_errors)
{
	struct sim *s = inline_sim();
	u8 buf[512] = { 0 };

	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 0, 1, buf),
		 NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	s->ns[0].fail_writes = true;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf), NVME_SC_WRITE_FAULT);
	CHECK_EQ(s->ledger.defers, 0);
	CHECK_EQ(COST(s, FINISH_INLINE), 2);
	s->async_io = true;
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_write, 1, 0, 1, buf), NVME_SC_WRITE_FAULT);
	CHECK_EQ(sim_rw(s, 1, nvme_cmd_read, 2, 0, 1, buf),
		 NVME_SC_INVALID_NS | NVME_STATUS_DNR);
	CHECK_EQ(s->ledger.defers, 1);
	CHECK_EQ(COST(s, FINISH_INLINE), 3);
	CHECK_EQ(s->ledger.releases, 4);
	sim_free(s);
}

/* Copy of 3 one-block ranges (LBAs 0, 2, 4) to LBA 100. */
static u16 copy3(struct sim *s)
{
	u64 addr = sim_alloc(s, 4096, 4096);
	struct nvme_copy_range *d = sim_ptr(s, addr);
	struct nvme_sqe sqe;
	u32 i;

	for (i = 0; i < 3; i++) {
		d[i].slba = cpu_to_le64(2 * i);
		d[i].nlb = 0;
	}
	sim_sqe(&sqe, nvme_cmd_copy);
	sqe.nsid = cpu_to_le32(1);
	sqe.dptr.prp1 = cpu_to_le64(addr);
	sqe.cdw10 = cpu_to_le32(100);
	sqe.cdw12 = cpu_to_le32(3 - 1);
	return sim_cmd(s, 1, &sqe, NULL);
}

/*
 * A Copy's 4 steps (3 reads, a write) each end inside their submit: all
 * run on in nepf_io_finish() and the command is finished there, no
 * deferral; asynchronous, each step is deferred.  The data arrives either
 * way.
 */
UNIT_TEST(inline_copy_steps)
{
	struct sim *s = inline_sim();
	unsigned int i, async;
	u8 *data = s->ns[0].data;

	for (async = 0; async < 2; async++) {
		for (i = 0; i < 6 * 512; i++)
			data[i] = (u8)(i * 13 + async);
		memset(data + 100 * 512, 0, 3 * 512);
		memset(&s->ledger, 0, sizeof(s->ledger));
		memset(&s->costs, 0, sizeof(s->costs));
		s->async_io = async;
		CHECK_EQ(copy3(s), 0);
		for (i = 0; i < 3; i++)
			CHECK(!memcmp(data + (100 + i) * 512, data + 2 * i * 512, 512));
		CHECK_EQ(s->ledger.defers, async ? 4 : 0);
		CHECK_EQ(COST(s, FINISH_INLINE), async ? 0 : 4);
		CHECK_EQ(s->ledger.releases, 1);
	}
	sim_free(s);
}

/*
 * The end on another thread (an interrupt on another CPU): before the
 * submit returned (the submitter finishes), after it (deferred), or at
 * any moment (a race: either, exactly once).
 */
enum { END_BEFORE_RETURN, END_AFTER_RETURN, END_RACING };

static struct {
	const struct nepf_backend_ops *ram;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct nepf_io *io;	/* handed to the completer */
	bool ended, go, stop;
	int mode;
} rc = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void *completer(void *arg)
{
	struct nepf_io *io;

	pthread_mutex_lock(&rc.lock);
	for (;;) {
		while (!rc.stop && !(rc.io && (rc.go || rc.mode != END_AFTER_RETURN)))
			pthread_cond_wait(&rc.cond, &rc.lock);
		if (rc.stop)
			break;
		io = rc.io;
		rc.io = NULL;
		rc.go = false;
		pthread_mutex_unlock(&rc.lock);
		rc.ram->submit(io);	/* the RAM backend ends it: nepf_io_done() */
		pthread_mutex_lock(&rc.lock);
		rc.ended = true;
		pthread_cond_broadcast(&rc.cond);
	}
	pthread_mutex_unlock(&rc.lock);
	return arg;
}

static void rc_submit(struct nepf_io *io)
{
	pthread_mutex_lock(&rc.lock);
	rc.io = io;
	rc.ended = false;
	pthread_cond_broadcast(&rc.cond);
	while (rc.mode == END_BEFORE_RETURN && !rc.ended)
		pthread_cond_wait(&rc.cond, &rc.lock);
	pthread_mutex_unlock(&rc.lock);
}

static const struct nepf_backend_ops rc_ops = { .name = "rc", .submit = rc_submit };

/* @n reads at QD1 with the end on the completer thread in @mode. */
static void inline_threads(int mode, unsigned int n)
{
	struct sim *s = inline_sim();
	struct nepf_ns *ns = s->ctrl.ns[0];
	struct nvme_cqe cqe;
	struct nvme_sqe sqe;
	unsigned int i;
	pthread_t t;
	u64 buf = sim_alloc(s, 4096, 4096);

	rc.ram = ns->ops;
	ns->ops = &rc_ops;
	rc.mode = mode;
	rc.stop = false;
	CHECK_EQ(pthread_create(&t, NULL, completer, NULL), 0);
	for (i = 0; i < n; i++) {
		sim_sqe(&sqe, nvme_cmd_read);
		sqe.nsid = cpu_to_le32(1);
		sqe.rw.slba = cpu_to_le64(i % 32);
		sqe.rw.length = cpu_to_le16(7);
		sqe.dptr.prp1 = cpu_to_le64(buf);
		CHECK_EQ(sim_submit(s, 1, &sqe), 0);
		sim_run(s);		/* fetch, execute: the submit returned */
		pthread_mutex_lock(&rc.lock);
		rc.go = true;
		pthread_cond_broadcast(&rc.cond);
		pthread_mutex_unlock(&rc.lock);
		while (__atomic_load_n(&s->ledger.releases, __ATOMIC_ACQUIRE) != i + 1)
			sched_yield();
		sim_run(s);		/* a coalesced interrupt */
		CHECK_EQ(sim_reap(s, 1, &cqe), 0);
		CHECK_EQ(le16_to_cpu(cqe.status) >> 1, 0);
	}
	pthread_mutex_lock(&rc.lock);
	rc.stop = true;
	pthread_cond_broadcast(&rc.cond);
	pthread_mutex_unlock(&rc.lock);
	pthread_join(t, NULL);
	CHECK_EQ(sim_reap(s, 1, &cqe), -EAGAIN);	/* none twice */
	CHECK_EQ(s->ledger.releases, n);
	CHECK_EQ(s->ledger.defers + COST(s, FINISH_INLINE), n);
	if (mode == END_BEFORE_RETURN)
		CHECK_EQ(COST(s, FINISH_INLINE), n);
	if (mode == END_AFTER_RETURN)
		CHECK_EQ(s->ledger.defers, n);
	ns->ops = rc.ram;
	sim_free(s);
}

UNIT_TEST(concurrent_inline_end_before_return)
{
	inline_threads(END_BEFORE_RETURN, 50);
}

UNIT_TEST(concurrent_inline_end_after_return)
{
	inline_threads(END_AFTER_RETURN, 50);
}

UNIT_TEST(concurrent_inline_end_racing)
{
	inline_threads(END_RACING, 2000);
}
