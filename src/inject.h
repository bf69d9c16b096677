/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject.h - device-side error injection (protocol core, inject.c).
 *
 * A rule matches commands (queue, opcode, namespace, LBA range) and fires
 * on every Nth match, at most "first" times, with a probability; its
 * action completes the command with a chosen status, delays it, holds it
 * forever (abortable or lost), sets CSTS.CFS or fails its data transfer.
 * The environment owns the rule set (configfs: functions/<f>/inject/) and
 * points ctrl->inject at it; rules are added, enabled and removed under
 * inj->lock, and an enabled rule is never changed.  With no enabled rule
 * a command costs one load and one branch (nepf_inject_cmd_hook()).
 *
 * Held commands (delayed or never completed) stay fetched but are not
 * given to a backend: Abort can complete them (Command Abort Requested),
 * Delete I/O SQ completes them (Aborted due to SQ Deletion), and a
 * controller reset drops them (nepf_inject_drop_held()).
 */
#ifndef NEPF_INJECT_H
#define NEPF_INJECT_H

#include "ctrl.h"
#include "cfg-limits.h"

#define NEPF_INJECT_MAX_RULES	16
#define NEPF_INJECT_ANY		(-1)

enum nepf_inject_action {
	NEPF_INJ_STATUS,	/* complete with @status (after @delay_us) */
	NEPF_INJ_DELAY,		/* execute after @delay_us */
	NEPF_INJ_HOLD,		/* never complete; Abort can abort it */
	NEPF_INJ_LOSE,		/* never complete; Abort cannot find it */
	NEPF_INJ_FATAL,		/* set CSTS.CFS, the command is lost */
	NEPF_INJ_XFER,		/* the data transfer fails */
	NEPF_INJ_NR_ACTIONS
};

enum nepf_inject_queue {
	NEPF_INJQ_ANY,		/* every queue */
	NEPF_INJQ_ADMIN,	/* the admin queue */
	NEPF_INJQ_IO,		/* every I/O queue */
	NEPF_INJQ_QID,		/* I/O queue @qid */
};

struct nepf_inject_rule {
	char name[NEPF_RULE_NAME_SIZE];
	/* match */
	u8 queue;		/* enum nepf_inject_queue */
	u16 qid;
	int opcode;		/* NEPF_INJECT_ANY or 0..255 */
	u32 nsid;		/* 0: any */
	u64 lba_first;		/* commands touching [first, last] */
	u64 lba_last;		/* U64_MAX with first 0: any (no LBA needed) */
	u32 every;		/* fire on matches N, 2N, ... (>= 1) */
	u32 first;		/* fire at most this often (0: no limit) */
	u32 percent;		/* probability of firing, 1..100 */
	/* action */
	u8 action;		/* enum nepf_inject_action */
	u16 status;		/* SCT << 8 | SC | NVME_STATUS_DNR/MORE */
	u32 delay_us;
	/* state (inj->lock) */
	bool enabled;
	u64 matched;
	u64 fired;
};

struct nepf_inject {
	spinlock_t lock;	/* the rules and their state */
	u32 nr_enabled;		/* read without the lock on every command */
	struct nepf_inject_rule *rules[NEPF_INJECT_MAX_RULES];
};

extern const char *const nepf_inject_action_names[NEPF_INJ_NR_ACTIONS];

void nepf_inject_init(struct nepf_inject *inj);
/* nepf_ctrl_init(): no rule set yet -> an empty one; the held list. */
void nepf_inject_ctrl_init(struct nepf_ctrl *ctrl);
/* Add/remove a (disabled) rule; enable or disable one.  0 or -errno. */
int nepf_inject_add(struct nepf_inject *inj, struct nepf_inject_rule *rule);
void nepf_inject_remove(struct nepf_inject *inj, struct nepf_inject_rule *rule);
void nepf_inject_enable(struct nepf_inject *inj, struct nepf_inject_rule *rule,
			bool on);
/* Read a rule's counters consistently. */
void nepf_inject_counts(struct nepf_inject *inj,
			const struct nepf_inject_rule *rule, u64 *matched,
			u64 *fired);

/* From nepf_cmd_exec(): true when injection took the command. */
bool nepf_inject_cmd(struct nepf_cmd *cmd);
/* Release held commands whose time has come (poll loop). */
void nepf_inject_run_held(struct nepf_ctrl *ctrl);

/*
 * The two hooks on the data path: every command, every poll round.
 * NEPF_BENCH_NO_INJECT_HOOKS compiles them out, for measuring what they
 * cost (bench/inject-hook.sh); no product build defines it.
 */
#ifdef NEPF_BENCH_NO_INJECT_HOOKS
static inline bool nepf_inject_cmd_hook(struct nepf_cmd *cmd)
{
	return false;
}

static inline void nepf_inject_poll(struct nepf_ctrl *ctrl)
{
}
#else
static inline bool nepf_inject_cmd_hook(struct nepf_cmd *cmd)
{
	if (likely(!READ_ONCE(cmd->ctrl->inject->nr_enabled)))
		return false;
	return nepf_inject_cmd(cmd);
}

static inline void nepf_inject_poll(struct nepf_ctrl *ctrl)
{
	if (unlikely(READ_ONCE(ctrl->nr_held)))
		nepf_inject_run_held(ctrl);
}
#endif

/* Abort: true if (sqid, cid) was held and is now completed as aborted. */
bool nepf_inject_abort(struct nepf_ctrl *ctrl, u16 sqid, u16 cid);
/* Delete I/O SQ: complete the held commands of @sqid. */
void nepf_inject_flush_sq(struct nepf_ctrl *ctrl, u16 sqid);
/*
 * Quiescing: hold nothing more and drop what is held, without completions
 * (the host resets the controller).  nepf_ctrl_reset() reopens.
 */
void nepf_inject_drop_held(struct nepf_ctrl *ctrl);
/*
 * Likewise, but complete them with @status (a namespace is detached and
 * the environment waits for every command); nepf_inject_reopen() after.
 */
void nepf_inject_end_held(struct nepf_ctrl *ctrl, u16 status);
void nepf_inject_reopen(struct nepf_ctrl *ctrl);

#endif /* NEPF_INJECT_H */
