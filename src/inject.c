// SPDX-License-Identifier: GPL-2.0
/*
 * inject.c - device-side error injection: matching commands against the
 * rules, applying a rule's action, and the commands held back by it
 * (delayed or never completed) until their time, an Abort, an SQ deletion
 * or a controller reset.  See inject.h.
 *
 * Locks: inj->lock guards the rules and their counters; ctrl->held_lock
 * the list of held commands.  Whoever unlinks a held command owns it and
 * completes (or drops) it, so a command is never completed twice.
 */
#include "inject.h"

/* Commands with an LBA range in SLBA/NLB. */
static bool inject_has_lba(u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_read:
	case nvme_cmd_write:
	case nvme_cmd_compare:
	case nvme_cmd_write_uncor:
	case nvme_cmd_write_zeroes:
	case nvme_cmd_verify:
		return true;
	}
	return false;
}

/* ctrl->inject of an environment without rules. */
static struct nepf_inject nepf_inject_none;

const char *const nepf_inject_action_names[NEPF_INJ_NR_ACTIONS] = {
	[NEPF_INJ_STATUS] = "status",
	[NEPF_INJ_DELAY] = "delay",
	[NEPF_INJ_HOLD] = "hold",
	[NEPF_INJ_LOSE] = "lose",
	[NEPF_INJ_FATAL] = "fatal",
	[NEPF_INJ_XFER] = "xfer",
};

/* inj_flags */
#define INJF_RESUMED	0x01	/* released from a hold: do not match again */
#define INJF_LOST	0x02	/* invisible to Abort */
#define INJF_FAIL	0x04	/* at release, complete with inj_status */

void nepf_inject_init(struct nepf_inject *inj)
{
	memset(inj, 0, sizeof(*inj));
	spin_lock_init(&inj->lock);
}

void nepf_inject_ctrl_init(struct nepf_ctrl *ctrl)
{
	if (!ctrl->inject)
		ctrl->inject = &nepf_inject_none;
	spin_lock_init(&ctrl->held_lock);
	INIT_LIST_HEAD(&ctrl->held);
	ctrl->nr_held = 0;
	ctrl->held_closed = false;
}

int nepf_inject_add(struct nepf_inject *inj, struct nepf_inject_rule *rule)
{
	unsigned int i;
	int ret = -ENOSPC;

	rule->enabled = false;
	spin_lock(&inj->lock);
	for (i = 0; i < NEPF_INJECT_MAX_RULES; i++) {
		if (!inj->rules[i]) {
			inj->rules[i] = rule;
			ret = 0;
			break;
		}
	}
	spin_unlock(&inj->lock);
	return ret;
}

void nepf_inject_remove(struct nepf_inject *inj, struct nepf_inject_rule *rule)
{
	unsigned int i;

	spin_lock(&inj->lock);
	for (i = 0; i < NEPF_INJECT_MAX_RULES; i++) {
		if (inj->rules[i] != rule)
			continue;
		if (rule->enabled)
			WRITE_ONCE(inj->nr_enabled, inj->nr_enabled - 1);
		rule->enabled = false;
		inj->rules[i] = NULL;
	}
	spin_unlock(&inj->lock);
}

/* Enabling starts the counters afresh. */
void nepf_inject_enable(struct nepf_inject *inj, struct nepf_inject_rule *rule,
			bool on)
{
	spin_lock(&inj->lock);
	if (rule->enabled != on) {
		rule->enabled = on;
		if (on) {
			rule->matched = 0;
			rule->fired = 0;
		}
		WRITE_ONCE(inj->nr_enabled, inj->nr_enabled + (on ? 1 : -1));
	}
	spin_unlock(&inj->lock);
}

void nepf_inject_counts(struct nepf_inject *inj,
			const struct nepf_inject_rule *rule, u64 *matched,
			u64 *fired)
{
	spin_lock(&inj->lock);
	*matched = rule->matched;
	*fired = rule->fired;
	spin_unlock(&inj->lock);
}

static bool rule_matches(const struct nepf_inject_rule *r,
			 const struct nepf_cmd *cmd)
{
	const struct nvme_sqe *sqe = &cmd->sqe;
	u64 slba, last;

	switch (r->queue) {
	case NEPF_INJQ_ADMIN:
		if (cmd->sqid)
			return false;
		break;
	case NEPF_INJQ_IO:
		if (!cmd->sqid)
			return false;
		break;
	case NEPF_INJQ_QID:
		if (cmd->sqid != r->qid)
			return false;
		break;
	}
	if (r->opcode != NEPF_INJECT_ANY && sqe->opcode != r->opcode)
		return false;
	if (r->nsid && nvme_sqe_nsid(sqe) != r->nsid)
		return false;
	if (!r->lba_first && r->lba_last == U64_MAX)
		return true;
	/* An LBA range only matches I/O commands that have one. */
	if (!cmd->sqid || !inject_has_lba(sqe->opcode))
		return false;
	slba = nvme_sqe_slba(sqe);
	last = slba + nvme_sqe_nlb(sqe) - 1;
	if (last < slba)
		last = U64_MAX;
	return last >= r->lba_first && slba <= r->lba_last;
}

/* One more match of @r (inj->lock held): does it fire? */
static bool rule_fires(struct nepf_inject_rule *r)
{
	r->matched++;
	if (r->every > 1 && r->matched % r->every)
		return false;
	if (r->first && r->fired >= r->first)
		return false;
	if (r->percent < 100 && nepf_random_u32() % 100 >= r->percent)
		return false;
	r->fired++;
	return true;
}

static void inject_complete(struct nepf_cmd *cmd, u16 status)
{
	cmd->status = status;
	nepf_cmd_complete(cmd);
}

/* Put @cmd on the held list; false if the controller or its SQ is going. */
static bool inject_hold(struct nepf_cmd *cmd, u64 until)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;
	bool held = false;

	spin_lock(&ctrl->held_lock);
	if (!ctrl->held_closed && READ_ONCE(ctrl->sq[cmd->sqid].valid)) {
		cmd->held_until = until;
		list_add_tail(&cmd->held_node, &ctrl->held);
		WRITE_ONCE(ctrl->nr_held, ctrl->nr_held + 1);
		held = true;
	}
	spin_unlock(&ctrl->held_lock);
	return held;
}

static bool inject_apply(struct nepf_cmd *cmd, const struct nepf_inject_rule *r)
{
	u64 until = nepf_now_ns() + (u64)r->delay_us * 1000;

	switch (r->action) {
	case NEPF_INJ_STATUS:
		cmd->inj_flags |= INJF_FAIL;
		cmd->inj_status = r->status;
		if (!r->delay_us || !inject_hold(cmd, until))
			inject_complete(cmd, r->status);
		return true;
	case NEPF_INJ_DELAY:
		return inject_hold(cmd, until);
	case NEPF_INJ_FATAL:
		nepf_ctrl_fatal(cmd->ctrl, "error injection");
		fallthrough;
	case NEPF_INJ_LOSE:
		cmd->inj_flags |= INJF_LOST;
		fallthrough;
	case NEPF_INJ_HOLD:
		return inject_hold(cmd, U64_MAX);
	case NEPF_INJ_XFER:
		/* A Read runs, but its data never reaches the host. */
		if (cmd->sqid && cmd->sqe.opcode == nvme_cmd_read) {
			cmd->status = NVME_SC_DATA_XFER_ERROR;
			return false;
		}
		inject_complete(cmd, NVME_SC_DATA_XFER_ERROR);
		return true;
	}
	return false;
}

bool nepf_inject_cmd(struct nepf_cmd *cmd)
{
	struct nepf_inject *inj = cmd->ctrl->inject;
	struct nepf_inject_rule fired;
	bool fire = false, first = false;
	unsigned int i;

	if (cmd->inj_flags & INJF_RESUMED)
		return false;
	spin_lock(&inj->lock);
	for (i = 0; i < NEPF_INJECT_MAX_RULES && !fire; i++) {
		struct nepf_inject_rule *r = inj->rules[i];

		if (!r || !r->enabled || !rule_matches(r, cmd) || !rule_fires(r))
			continue;
		fired = *r;
		fire = true;
		first = r->fired == 1;
	}
	spin_unlock(&inj->lock);
	if (!fire)
		return false;
	if (first)
		nepf_warn(cmd->ctrl, "error injection: rule %s fired (%s) on sq %u cid %u opcode %#x\n",
			  fired.name, nepf_inject_action_names[fired.action],
			  cmd->sqid, cmd->sqe.cid, cmd->sqe.opcode);
	return inject_apply(cmd, &fired);
}

/* A held command's time has come: fail it or run it now. */
static void inject_release(struct nepf_cmd *cmd)
{
	struct nepf_ctrl *ctrl = cmd->ctrl;

	if (cmd->inj_flags & INJF_FAIL) {
		inject_complete(cmd, cmd->inj_status);
		return;
	}
	cmd->inj_flags |= INJF_RESUMED;
	if (cmd->sqid && ctrl->env->exec_later)
		ctrl->env->exec_later(ctrl, cmd);
	else
		nepf_cmd_exec(cmd);
}

/*
 * Move the held commands @pick selects (all when @pick is NULL) to
 * @taken, oldest first.
 */
static void held_take(struct nepf_ctrl *ctrl,
		      bool (*pick)(const struct nepf_cmd *, u64, u64),
		      u64 a, u64 b, bool close, struct list_head *taken)
{
	struct nepf_cmd *cmd, *next;

	spin_lock(&ctrl->held_lock);
	if (close)
		ctrl->held_closed = true;
	list_for_each_entry_safe(cmd, next, &ctrl->held, held_node) {
		if (pick && !pick(cmd, a, b))
			continue;
		list_move_tail(&cmd->held_node, taken);
		WRITE_ONCE(ctrl->nr_held, ctrl->nr_held - 1);
	}
	spin_unlock(&ctrl->held_lock);
}

/* End every command of @taken (held_take()) with @status. */
static void held_complete(struct list_head *taken, u16 status)
{
	struct nepf_cmd *cmd, *next;

	list_for_each_entry_safe(cmd, next, taken, held_node) {
		list_del_init(&cmd->held_node);
		inject_complete(cmd, status);
	}
}

static bool pick_due(const struct nepf_cmd *cmd, u64 now, u64 unused)
{
	return cmd->held_until <= now;
}

static bool pick_sq(const struct nepf_cmd *cmd, u64 sqid, u64 unused)
{
	return cmd->sqid == sqid;
}

static bool pick_abort(const struct nepf_cmd *cmd, u64 sqid, u64 cid)
{
	/* The SQE's CID is opaque (echoed as is); Abort's is a value. */
	return cmd->sqid == sqid &&
	       le16_to_cpu((__force __le16)cmd->sqe.cid) == cid &&
	       !(cmd->inj_flags & INJF_LOST);
}

void nepf_inject_run_held(struct nepf_ctrl *ctrl)
{
	struct nepf_cmd *cmd, *next;
	LIST_HEAD(taken);

	if (!READ_ONCE(ctrl->nr_held))
		return;
	held_take(ctrl, pick_due, nepf_now_ns(), 0, false, &taken);
	list_for_each_entry_safe(cmd, next, &taken, held_node) {
		list_del_init(&cmd->held_node);	/* it may be held again */
		inject_release(cmd);
	}
}

bool nepf_inject_abort(struct nepf_ctrl *ctrl, u16 sqid, u16 cid)
{
	LIST_HEAD(taken);

	if (!READ_ONCE(ctrl->nr_held))
		return false;
	/* (sqid, cid) is unique among commands in flight: one at most. */
	held_take(ctrl, pick_abort, sqid, cid, false, &taken);
	if (list_empty(&taken))
		return false;
	held_complete(&taken, NVME_SC_ABORT_REQ);
	return true;
}

void nepf_inject_flush_sq(struct nepf_ctrl *ctrl, u16 sqid)
{
	LIST_HEAD(taken);

	if (!READ_ONCE(ctrl->nr_held))
		return;
	held_take(ctrl, pick_sq, sqid, 0, false, &taken);
	held_complete(&taken, NVME_SC_ABORT_QUEUE);
}

void nepf_inject_end_held(struct nepf_ctrl *ctrl, u16 status)
{
	LIST_HEAD(taken);

	held_take(ctrl, NULL, 0, 0, true, &taken);
	held_complete(&taken, status);
}

/* No completions: the queues are going away. */
void nepf_inject_drop_held(struct nepf_ctrl *ctrl)
{
	nepf_inject_end_held(ctrl, NEPF_STATUS_DEFERRED);
}

void nepf_inject_reopen(struct nepf_ctrl *ctrl)
{
	spin_lock(&ctrl->held_lock);
	ctrl->held_closed = false;
	spin_unlock(&ctrl->held_lock);
}
