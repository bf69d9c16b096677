/* SPDX-License-Identifier: GPL-2.0 */
/*
 * poll-sched.h - when the poll thread and the register poll wake up: the
 * policy, apart from the threads (poll.c) so that the unit tests check it.
 *
 * Doorbells and registers are plain memory: nothing wakes the endpoint
 * when the host writes them, so every wakeup of an idle function is one of
 * these two timers.  After a second without commands the poll thread's
 * sleep starts at deep_idle_sleep_ms and doubles every second up to
 * cc_idle_poll_ms: an idle function wakes about 1000 / cc_idle_poll_ms
 * times a second, and the first doorbell after idle waits at most
 * cc_idle_poll_ms (plus the sleep's 25 % slack).  While the controller is
 * live the poll thread also looks at CC, INTMS/INTMC, held MSI-X messages
 * and namespaces formatted elsewhere at each wakeup, so the full register
 * poll (cc_work) needs to run only every NEPF_CC_BACKSTOP_MS for what
 * those loads do not see.
 */
#ifndef NEPF_POLL_SCHED_H
#define NEPF_POLL_SCHED_H

#include "port.h"

/* The poller's longest sleep: while commands run, and just after. */
#define NEPF_BUSY_SLEEP_US	20U
#define NEPF_WARM_SLEEP_US	50U
#define NEPF_WARM_NS		(1000ULL * 1000)
/* After this long without commands, sleeps reach deep_idle_sleep_ms. */
#define NEPF_DEEP_IDLE_NS	(1000ULL * 1000 * 1000)
/* cc_work polls every cc_poll_ms for this long after a register change. */
#define NEPF_CC_FAST_NS		(1000ULL * 1000 * 1000)
/*
 * The full register poll while the poll thread watches the registers:
 * read-only registers written by the host restored, stray doorbells
 * reported, MSI/MSI-X enable changed by the host without a command seen.
 */
#define NEPF_CC_BACKSTOP_MS	1000U

/* The module parameters of poll.c that the schedule uses. */
struct nepf_poll_tun {
	u32 idle_sleep_us;	/* longest sleep within a second of a command */
	u32 deep_idle_sleep_ms;	/* the first sleep cap after that second */
	u32 cc_poll_ms;		/* register poll while the host changes them */
	u32 cc_idle_poll_ms;	/* register poll after; deep sleeps grow to it */
};

/*
 * The poll thread's next sleep (us) after a pass that found nothing:
 * @naps sleeps since the last command was fetched or completed, @quiet_ns
 * ago; @busy: commands still run or a coalesced interrupt is held.
 */
u32 nepf_poll_sleep_us(const struct nepf_poll_tun *t, unsigned int naps,
		       u64 quiet_ns, bool busy);

/*
 * The register poll's next period (ms), @changed_ns after the host last
 * changed a register; @watched: the poll thread checks them at each
 * wakeup (the controller is live).
 */
u32 nepf_cc_poll_period_ms(const struct nepf_poll_tun *t, u64 changed_ns,
			   bool watched);

#endif /* NEPF_POLL_SCHED_H */
