// SPDX-License-Identifier: GPL-2.0
/*
 * inject-hook.c - what the error-injection hooks cost the command path
 * (issue #8), in userspace: the protocol core (src/) against the unit
 * tests' simulated host (tests/unit/simhost.c), without sanitizers, -O2.
 *
 *   inject-hook VARIANT [KCMDS]
 *
 * Runs KCMDS thousand (default 2000) 4 KiB Reads through one I/O queue
 * pair, 32 at a time (submit 32, one poll round, reap 32: fetch, the
 * injection hook, decode, PRP walk, the RAM backend, data copy to host
 * memory, completion, interrupt), timed in chunks of 32768 commands by
 * the thread's CPU clock (time the thread was not running does not
 * count), and prints one line
 *   VARIANT ns_per_cmd COMMANDS
 * ns_per_cmd is the median chunk: a chunk disturbed by another program
 * on the machine (caches, interrupts) does not move it much.
 * VARIANT:
 *   none      no rule set (what every function has until a rule exists)
 *   disabled  a rule set with one rule that exists but is not enabled
 *   nomatch   one enabled rule that never matches (nsid 99): every
 *             command takes the slow path (lock, rule loop)
 *   out       the program built with -DNEPF_BENCH_NO_INJECT_HOOKS (the
 *             hooks compiled out); refuses the other variants
 * bench/inject-hook.sh builds both programs, alternates the variants and
 * reports medians.  Speed is never asserted.
 */
#include <time.h>
#include "../tests/unit/simhost.h"
#include "../src/inject.h"

#define QD		32
#define NR_BLOCKS	8192	/* 4 MiB namespace of 512-byte blocks */
#define XFER		4096
#define CHUNK		32768	/* commands per timed chunk */
#define MAX_CHUNKS	4096

static void die(const char *what)
{
	fprintf(stderr, "inject-hook: %s\n", what);
	exit(1);
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* xorshift: LBAs spread over the namespace, the same sequence each run */
static u32 next_rand(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void run(struct sim *s, const u64 *buf, u64 cmds, u32 *seed)
{
	struct nvme_sqe sqe;
	struct nvme_cqe cqe;
	u64 done;
	int i;

	for (done = 0; done < cmds; done += QD) {
		for (i = 0; i < QD; i++) {
			sim_sqe(&sqe, nvme_cmd_read);
			sqe.nsid = cpu_to_le32(1);
			sqe.rw.slba = cpu_to_le64(next_rand(seed) % (NR_BLOCKS / 8) * 8);
			sqe.rw.length = cpu_to_le16(XFER / 512 - 1);
			sqe.dptr.prp1 = cpu_to_le64(buf[i]);
			if (sim_submit(s, 1, &sqe))
				die("submit failed");
		}
		sim_run(s);
		for (i = 0; i < QD; i++) {
			if (sim_reap(s, 1, &cqe))
				die("a command did not complete");
			if (le16_to_cpu(cqe.status) >> 1)
				die("a command failed");
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static u64 chunk_ns[MAX_CHUNKS];
	static struct nepf_inject inj;
	static struct nepf_inject_rule rule;
	const char *variant = argc > 1 ? argv[1] : "";
	u64 cmds = (argc > 2 ? strtoull(argv[2], NULL, 10) : 2000) * 1000;
	u64 buf[QD], t0, nr_chunks, c;
	u32 seed = 2463534242U;
	struct sim *s;
	int i;

#ifdef NEPF_BENCH_NO_INJECT_HOOKS
	if (strcmp(variant, "out"))
		die("this build has the hooks compiled out: variant 'out' only");
#else
	if (strcmp(variant, "none") && strcmp(variant, "disabled") &&
	    strcmp(variant, "nomatch"))
		die("usage: inject-hook none|disabled|nomatch [MILLIONS]");
#endif
	nr_chunks = cmds / CHUNK;
	if (!nr_chunks || nr_chunks > MAX_CHUNKS)
		die("KCMDS: 33 to 134217");
	s = sim_new(NULL);
	if (strcmp(variant, "none") && strcmp(variant, "out")) {
		nepf_inject_init(&inj);
		snprintf(rule.name, sizeof(rule.name), "never");
		rule.queue = NEPF_INJQ_ANY;
		rule.opcode = NEPF_INJECT_ANY;
		rule.nsid = 99;
		rule.lba_last = U64_MAX;
		rule.every = 1;
		rule.percent = 100;
		rule.action = NEPF_INJ_STATUS;
		rule.status = NVME_SC_DATA_XFER_ERROR;
		if (nepf_inject_add(&inj, &rule))
			die("cannot add the rule");
		if (!strcmp(variant, "nomatch"))
			nepf_inject_enable(&inj, &rule, true);
		s->ctrl.inject = &inj;
	}
	if (sim_enable(s, 64))
		die("controller did not become ready");
	sim_add_ns(s, 1, NR_BLOCKS, 9);
	if (sim_create_io_queues(s, 1, 64))
		die("cannot create the I/O queues");
	for (i = 0; i < QD; i++)
		buf[i] = sim_alloc(s, XFER, SIM_PAGE);

	run(s, buf, 64 * QD, &seed);		/* warm up */
	for (c = 0; c < nr_chunks; c++) {
		t0 = now_ns();
		run(s, buf, CHUNK, &seed);
		chunk_ns[c] = now_ns() - t0;
	}
	if (!strcmp(variant, "nomatch") && rule.matched)
		die("the rule matched a command");
	qsort(chunk_ns, nr_chunks, sizeof(chunk_ns[0]), cmp_u64);
	printf("%s %.1f %llu\n", variant, (double)chunk_ns[nr_chunks / 2] / CHUNK,
	       (unsigned long long)(nr_chunks * CHUNK));
	sim_free(s);
	return 0;
}
