// SPDX-License-Identifier: GPL-2.0
/*
 * test-poll-sched.c - the wakeups of an idle function (poll-sched.c): the
 * poll thread's sleeps, simulated over time with the module's default
 * parameters, and the register poll's period.  Issue 14's idle target is
 * at most 100 wakeups/s for the whole function.
 */
#include "unit.h"
#include "poll-sched.h"

#define NS_PER_US	1000ULL
#define NS_PER_S	(1000ULL * 1000 * 1000)

/* poll.c's defaults */
static const struct nepf_poll_tun tun = {
	.idle_sleep_us = 1000,
	.deep_idle_sleep_ms = 16,
	.cc_poll_ms = 2,
	.cc_idle_poll_ms = 50,
};

/*
 * Sleeps of at least 10 us (shorter ones are udelay(), no wakeup) of an
 * idle poll thread between @from_s and @to_s after its last command.
 */
static unsigned int idle_wakeups(const struct nepf_poll_tun *t,
				 unsigned int from_s, unsigned int to_s)
{
	unsigned int naps = 0, n = 0;
	u64 now = 0;

	while (now < to_s * NS_PER_S) {
		u32 us = nepf_poll_sleep_us(t, naps++, now, false);

		if (now >= from_s * NS_PER_S && us >= 10)
			n++;
		now += us * NS_PER_US;
	}
	return n;
}

/* Idle for long: the poll thread wakes 1000 / cc_idle_poll_ms times a second. */
UNIT_TEST(poll_sched_idle_wakeups)
{
	unsigned int n = idle_wakeups(&tun, 10, 20);

	CHECK(n <= 10 * (1000 / tun.cc_idle_poll_ms) + 1);
	/* and with the register poll's backstop, under a quarter of 100/s */
	CHECK(n / 10 + 1000 / nepf_cc_poll_period_ms(&tun, 10 * NS_PER_S, true) <= 25);
}

/* The first doorbell after idle waits at most cc_idle_poll_ms. */
UNIT_TEST(poll_sched_latency_bounded)
{
	u64 q;
	unsigned int naps;

	for (q = 0; q < 3600 * NS_PER_S; q = q * 2 + 1000)
		for (naps = 0; naps < 64; naps++) {
			u32 us = nepf_poll_sleep_us(&tun, naps, q, false);

			CHECK(us <= tun.cc_idle_poll_ms * 1000);
			CHECK(naps >= 30 || us <= 2U << naps);
			CHECK(nepf_poll_sleep_us(&tun, naps, q, true) <=
			      NEPF_BUSY_SLEEP_US);
			if (q < NEPF_WARM_NS)
				CHECK(us <= NEPF_WARM_SLEEP_US);
			else if (q < NEPF_DEEP_IDLE_NS)
				CHECK(us <= tun.idle_sleep_us);
			else if (q < 2 * NEPF_DEEP_IDLE_NS)
				CHECK(us <= tun.deep_idle_sleep_ms * 1000);
		}
	/* it gets there: the longest sleep is reached after a few seconds */
	CHECK_EQ(nepf_poll_sleep_us(&tun, 40, 5 * NS_PER_S, false),
		 tun.cc_idle_poll_ms * 1000);
}

/* Parameters set oddly: a deep sleep above cc_idle_poll_ms stays the cap. */
UNIT_TEST(poll_sched_odd_params)
{
	struct nepf_poll_tun t = tun;

	t.deep_idle_sleep_ms = 100;
	CHECK_EQ(nepf_poll_sleep_us(&t, 40, 60 * NS_PER_S, false), 100000);
	t.deep_idle_sleep_ms = 0;
	t.cc_idle_poll_ms = 0;
	CHECK_EQ(nepf_poll_sleep_us(&t, 40, 60 * NS_PER_S, false),
		 t.idle_sleep_us);
	t.idle_sleep_us = 0;
	CHECK_EQ(nepf_poll_sleep_us(&t, 40, 60 * NS_PER_S, false), 2);
	/* u32 overflow of the doubling: still the cap */
	t = tun;
	t.cc_idle_poll_ms = 4000000;
	CHECK_EQ(nepf_poll_sleep_us(&t, 40, 1000 * NS_PER_S, false),
		 2U << 30);
}

/* The full register poll: fast after a change, slow when watched. */
UNIT_TEST(poll_sched_cc_period)
{
	CHECK_EQ(nepf_cc_poll_period_ms(&tun, 0, true), tun.cc_poll_ms);
	CHECK_EQ(nepf_cc_poll_period_ms(&tun, NEPF_CC_FAST_NS, false),
		 tun.cc_poll_ms);
	CHECK_EQ(nepf_cc_poll_period_ms(&tun, 2 * NS_PER_S, false),
		 tun.cc_idle_poll_ms);
	CHECK_EQ(nepf_cc_poll_period_ms(&tun, 2 * NS_PER_S, true),
		 NEPF_CC_BACKSTOP_MS);
}
