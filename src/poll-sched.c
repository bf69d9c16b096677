// SPDX-License-Identifier: GPL-2.0
/*
 * poll-sched.c - the sleep schedule of the poll thread and the period of
 * the register poll.  See poll-sched.h.
 */
#include "poll-sched.h"

static u32 nepf_max_u32(u32 a, u32 b)
{
	return a > b ? a : b;
}

static u32 nepf_min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* The longest sleep allowed @quiet_ns after the last command. */
static u32 nepf_poll_cap_us(const struct nepf_poll_tun *t, u64 quiet_ns)
{
	u32 deep, top;
	u64 cap, secs;

	if (quiet_ns < NEPF_WARM_NS)
		return NEPF_WARM_SLEEP_US;
	if (quiet_ns < NEPF_DEEP_IDLE_NS)
		return t->idle_sleep_us;
	deep = nepf_max_u32(t->idle_sleep_us, t->deep_idle_sleep_ms * 1000U);
	top = nepf_max_u32(deep, t->cc_idle_poll_ms * 1000U);
	/* deep in the second after NEPF_DEEP_IDLE_NS, doubling every second */
	secs = (quiet_ns - NEPF_DEEP_IDLE_NS) / NEPF_DEEP_IDLE_NS;
	if (secs >= 32)
		return top;
	cap = (u64)deep << secs;
	return cap < top ? (u32)cap : top;
}

u32 nepf_poll_sleep_us(const struct nepf_poll_tun *t, unsigned int naps,
		       u64 quiet_ns, bool busy)
{
	u32 cap = busy ? NEPF_BUSY_SLEEP_US : nepf_poll_cap_us(t, quiet_ns);

	/* Exponential: 2, 4, 8 ... us since the last command, up to @cap. */
	return nepf_min_u32(2U << nepf_min_u32(naps, 30), nepf_max_u32(cap, 2));
}

u32 nepf_cc_poll_period_ms(const struct nepf_poll_tun *t, u64 changed_ns,
			   bool watched)
{
	u32 idle = nepf_max_u32(t->cc_idle_poll_ms, t->cc_poll_ms);

	if (changed_ns <= NEPF_CC_FAST_NS)
		return t->cc_poll_ms;
	return watched ? nepf_max_u32(idle, NEPF_CC_BACKSTOP_MS) : idle;
}
