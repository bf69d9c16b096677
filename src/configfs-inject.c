// SPDX-License-Identifier: GPL-2.0
/*
 * configfs-inject.c - error injection rules of a function:
 * functions/<fname>/inject/<rule>/ (mkdir a rule, set what it matches and
 * does, write 1 to enable; rmdir removes it).  The rules act on the
 * function's controller (inject.c); they live with the function, so they
 * survive stop/start.  An enabled rule is frozen (EBUSY): disable, change,
 * enable again (which restarts its counters).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "configfs-priv.h"

struct nepf_cfs_rule {
	struct config_item item;
	struct nepf_cfs_inject *ci;
	struct nepf_inject_rule rule;
};

static inline struct nepf_cfs_rule *to_cfs_rule(struct config_item *item)
{
	return container_of(item, struct nepf_cfs_rule, item);
}

static inline struct nepf_cfs_inject *to_cfs_inject(struct config_group *group)
{
	return container_of(group, struct nepf_cfs_inject, group);
}

/* Parse @page with @parse and apply it unless the rule is enabled. */
static ssize_t rule_store(struct config_item *item, const char *page,
			  size_t count,
			  int (*parse)(struct nepf_inject_rule *r, const char *page))
{
	struct nepf_cfs_rule *cr = to_cfs_rule(item);
	int ret;

	mutex_lock(&nepf_cfs_mutex);
	if (cr->rule.enabled) {
		pr_warn("%s: injection rule %s is enabled: disable it first\n",
			cr->ci->fname, cr->rule.name);
		ret = -EBUSY;
	} else {
		ret = parse(&cr->rule, page);
	}
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}

#define NEPF_RULE_ATTR(_name)						\
static ssize_t nepf_rule_##_name##_store(struct config_item *item,	\
					 const char *page, size_t count) \
{									\
	return rule_store(item, page, count, rule_parse_##_name);	\
}									\
CONFIGFS_ATTR(nepf_rule_, _name)

#define NEPF_RULE_NUM_ATTR(_name, _field, _min, _max, _fmt)		\
static ssize_t nepf_rule_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return sysfs_emit(page, _fmt "\n", to_cfs_rule(item)->rule._field);	\
}									\
static int rule_parse_##_name(struct nepf_inject_rule *r, const char *page) \
{									\
	u64 v;								\
	int ret = nepf_cfs_parse_u64(page, _min, _max, &v);		\
									\
	if (!ret)							\
		r->_field = v;						\
	return ret;							\
}									\
NEPF_RULE_ATTR(_name)

NEPF_RULE_NUM_ATTR(nsid, nsid, 0, U32_MAX, "%u");
NEPF_RULE_NUM_ATTR(lba_first, lba_first, 0, U64_MAX, "%llu");
NEPF_RULE_NUM_ATTR(lba_last, lba_last, 0, U64_MAX, "%llu");
NEPF_RULE_NUM_ATTR(every, every, 1, U32_MAX, "%u");
NEPF_RULE_NUM_ATTR(first, first, 0, U32_MAX, "%u");
NEPF_RULE_NUM_ATTR(percent, percent, 1, 100, "%u");
NEPF_RULE_NUM_ATTR(delay_us, delay_us, 0, 60000000, "%u");

/* queue: any, admin, io or an I/O queue id */
static ssize_t nepf_rule_queue_show(struct config_item *item, char *page)
{
	const struct nepf_inject_rule *r = &to_cfs_rule(item)->rule;

	switch (r->queue) {
	case NEPF_INJQ_ADMIN:
		return sysfs_emit(page, "admin\n");
	case NEPF_INJQ_IO:
		return sysfs_emit(page, "io\n");
	case NEPF_INJQ_QID:
		return sysfs_emit(page, "%u\n", r->qid);
	}
	return sysfs_emit(page, "any\n");
}

static int rule_parse_queue(struct nepf_inject_rule *r, const char *page)
{
	u64 v;
	int ret;

	if (sysfs_streq(page, "any")) {
		r->queue = NEPF_INJQ_ANY;
	} else if (sysfs_streq(page, "admin")) {
		r->queue = NEPF_INJQ_ADMIN;
	} else if (sysfs_streq(page, "io")) {
		r->queue = NEPF_INJQ_IO;
	} else {
		ret = nepf_cfs_parse_u64(page, 0, NEPF_MAX_IO_QUEUES, &v);
		if (ret)
			return ret;
		r->queue = v ? NEPF_INJQ_QID : NEPF_INJQ_ADMIN;
		r->qid = v;
	}
	return 0;
}
NEPF_RULE_ATTR(queue);

/* opcode: any or 0..255 (admin or I/O opcode, as the queue says) */
static ssize_t nepf_rule_opcode_show(struct config_item *item, char *page)
{
	int opc = to_cfs_rule(item)->rule.opcode;

	if (opc == NEPF_INJECT_ANY)
		return sysfs_emit(page, "any\n");
	return sysfs_emit(page, "0x%02x\n", opc);
}

static int rule_parse_opcode(struct nepf_inject_rule *r, const char *page)
{
	u64 v;
	int ret;

	if (sysfs_streq(page, "any")) {
		r->opcode = NEPF_INJECT_ANY;
		return 0;
	}
	ret = nepf_cfs_parse_u64(page, 0, 255, &v);
	if (!ret)
		r->opcode = v;
	return ret;
}
NEPF_RULE_ATTR(opcode);

static ssize_t nepf_rule_action_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n",
			  nepf_inject_action_names[to_cfs_rule(item)->rule.action]);
}

static int rule_parse_action(struct nepf_inject_rule *r, const char *page)
{
	int i;

	for (i = 0; i < NEPF_INJ_NR_ACTIONS; i++) {
		if (sysfs_streq(page, nepf_inject_action_names[i])) {
			r->action = i;
			return 0;
		}
	}
	pr_warn("injection action: status, delay, hold, lose, fatal or xfer\n");
	return -EINVAL;
}
NEPF_RULE_ATTR(action);

/* The completion status of action "status": SCT, SC, DNR, More. */
static ssize_t nepf_rule_sct_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", NVME_SCT(to_cfs_rule(item)->rule.status));
}

static int rule_parse_sct(struct nepf_inject_rule *r, const char *page)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, 7, &v);

	if (!ret)
		r->status = (r->status & ~NVME_SCT_MASK) | (v << NVME_SCT_SHIFT);
	return ret;
}
NEPF_RULE_ATTR(sct);

static ssize_t nepf_rule_sc_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "0x%02x\n", to_cfs_rule(item)->rule.status & 0xff);
}

static int rule_parse_sc(struct nepf_inject_rule *r, const char *page)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, 255, &v);

	if (!ret)
		r->status = (r->status & ~0xff) | v;
	return ret;
}
NEPF_RULE_ATTR(sc);

#define NEPF_RULE_FLAG_ATTR(_name, _bit)				\
static ssize_t nepf_rule_##_name##_show(struct config_item *item,	\
					char *page)			\
{									\
	return sysfs_emit(page, "%d\n", !!(to_cfs_rule(item)->rule.status & (_bit))); \
}									\
static int rule_parse_##_name(struct nepf_inject_rule *r, const char *page) \
{									\
	bool on;							\
	int ret = nepf_cfs_parse_bool(page, &on);			\
									\
	if (!ret)							\
		r->status = on ? r->status | (_bit) : r->status & ~(_bit); \
	return ret;							\
}									\
NEPF_RULE_ATTR(_name)

NEPF_RULE_FLAG_ATTR(dnr, NVME_STATUS_DNR);
NEPF_RULE_FLAG_ATTR(more, NVME_STATUS_MORE);

static ssize_t nepf_rule_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", to_cfs_rule(item)->rule.enabled);
}

static ssize_t nepf_rule_enable_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct nepf_cfs_rule *cr = to_cfs_rule(item);
	struct nepf_inject_rule *r = &cr->rule;
	bool on;
	int ret = nepf_cfs_parse_bool(page, &on);

	if (ret)
		return ret;
	mutex_lock(&nepf_cfs_mutex);
	if (on != r->enabled) {
		if (on && r->lba_first > r->lba_last) {
			mutex_unlock(&nepf_cfs_mutex);
			pr_warn("%s: injection rule %s: lba_first > lba_last\n",
				cr->ci->fname, r->name);
			return -EINVAL;
		}
		nepf_inject_enable(cr->ci->inj, r, on);
		pr_warn("%s: error injection rule %s %s: action %s status %#x delay %u us; queue %d/%u opcode %d nsid %u lba %llu-%llu every %u first %u percent %u\n",
			cr->ci->fname, r->name, on ? "ENABLED" : "disabled",
			nepf_inject_action_names[r->action], r->status,
			r->delay_us, r->queue, r->qid, r->opcode, r->nsid,
			r->lba_first, r->lba_last, r->every, r->first,
			r->percent);
	}
	mutex_unlock(&nepf_cfs_mutex);
	return count;
}
CONFIGFS_ATTR(nepf_rule_, enable);

static ssize_t nepf_rule_matched_show(struct config_item *item, char *page)
{
	struct nepf_cfs_rule *cr = to_cfs_rule(item);
	u64 matched, fired;

	nepf_inject_counts(cr->ci->inj, &cr->rule, &matched, &fired);
	return sysfs_emit(page, "%llu\n", matched);
}
CONFIGFS_ATTR_RO(nepf_rule_, matched);

static ssize_t nepf_rule_fired_show(struct config_item *item, char *page)
{
	struct nepf_cfs_rule *cr = to_cfs_rule(item);
	u64 matched, fired;

	nepf_inject_counts(cr->ci->inj, &cr->rule, &matched, &fired);
	return sysfs_emit(page, "%llu\n", fired);
}
CONFIGFS_ATTR_RO(nepf_rule_, fired);

static struct configfs_attribute *nepf_rule_attrs[] = {
	&nepf_rule_attr_queue,
	&nepf_rule_attr_opcode,
	&nepf_rule_attr_nsid,
	&nepf_rule_attr_lba_first,
	&nepf_rule_attr_lba_last,
	&nepf_rule_attr_every,
	&nepf_rule_attr_first,
	&nepf_rule_attr_percent,
	&nepf_rule_attr_action,
	&nepf_rule_attr_sct,
	&nepf_rule_attr_sc,
	&nepf_rule_attr_dnr,
	&nepf_rule_attr_more,
	&nepf_rule_attr_delay_us,
	&nepf_rule_attr_enable,
	&nepf_rule_attr_matched,
	&nepf_rule_attr_fired,
	NULL,
};

static void nepf_rule_release(struct config_item *item)
{
	kfree(to_cfs_rule(item));
}

static NEPF_CONFIGFS_CONST struct configfs_item_operations nepf_rule_item_ops = {
	.release = nepf_rule_release,
};

static const struct config_item_type nepf_rule_type = {
	.ct_item_ops = &nepf_rule_item_ops,
	.ct_attrs = nepf_rule_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_item *nepf_rule_make(struct config_group *group,
					  const char *name)
{
	struct nepf_cfs_inject *ci = to_cfs_inject(group);
	struct nepf_cfs_rule *cr;
	struct nepf_inject_rule *r;
	int ret;

	if (strlen(name) >= sizeof(cr->rule.name))
		return ERR_PTR(-ENAMETOOLONG);
	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	if (!cr)
		return ERR_PTR(-ENOMEM);
	cr->ci = ci;
	r = &cr->rule;
	strscpy(r->name, name, sizeof(r->name));
	/* Defaults: every command, complete with Unrecovered Read Error. */
	r->queue = NEPF_INJQ_ANY;
	r->opcode = NEPF_INJECT_ANY;
	r->lba_last = U64_MAX;
	r->every = 1;
	r->percent = 100;
	r->action = NEPF_INJ_STATUS;
	r->status = NVME_SC_READ_ERROR;
	ret = nepf_inject_add(ci->inj, r);
	if (ret) {
		kfree(cr);
		pr_warn("%s: at most %d injection rules\n", ci->fname,
			NEPF_INJECT_MAX_RULES);
		return ERR_PTR(ret);
	}
	config_item_init_type_name(&cr->item, name, &nepf_rule_type);
	return &cr->item;
}

static void nepf_rule_drop(struct config_group *group, struct config_item *item)
{
	struct nepf_cfs_rule *cr = to_cfs_rule(item);

	mutex_lock(&nepf_cfs_mutex);
	if (cr->rule.enabled)
		pr_warn("%s: error injection rule %s removed\n",
			cr->ci->fname, cr->rule.name);
	nepf_inject_remove(cr->ci->inj, &cr->rule);
	mutex_unlock(&nepf_cfs_mutex);
	config_item_put(item);
}

static NEPF_CONFIGFS_CONST struct configfs_group_operations nepf_inject_group_ops = {
	.make_item = nepf_rule_make,
	.drop_item = nepf_rule_drop,
};

static const struct config_item_type nepf_inject_type = {
	.ct_group_ops = &nepf_inject_group_ops,
	.ct_owner = THIS_MODULE,
};

void nepf_cfs_inject_init(struct nepf_cfs_inject *ci, struct nepf_inject *inj,
			  const char *fname)
{
	nepf_inject_init(inj);
	ci->inj = inj;
	ci->fname = fname;
	config_group_init_type_name(&ci->group, "inject", &nepf_inject_type);
}
