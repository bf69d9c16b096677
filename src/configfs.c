// SPDX-License-Identifier: GPL-2.0
/*
 * configfs.c - the /sys/kernel/config/nvme_epf/ root, functions/<fname>/
 * (one endpoint function = one NVMe controller) and its status/, plus the
 * strict parsers every attribute store uses.  Our own configfs subsystem:
 * it works whether or not the kernel has PCI_ENDPOINT_CONFIGFS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/log2.h>
#include "configfs-priv.h"
#include "backend.h"

/* Serializes every state change made through the tree (configfs-priv.h). */
DEFINE_MUTEX(nepf_cfs_mutex);
/* Who serves which subsystem (nvme-epf.h). */
DEFINE_MUTEX(nepf_serve_lock);

/* ---- parsers ---- */

/*
 * One line of text: a single trailing newline is dropped; the rest must fit
 * in @size - 1 bytes and, if @printable, be printable ASCII (identify
 * strings are ASCII by the NVMe spec; paths and names are kept to it too).
 */
int nepf_cfs_parse_string(const char *page, size_t count, char *out,
			  size_t size, bool printable)
{
	size_t i, len = strnlen(page, count);

	if (len && page[len - 1] == '\n')
		len--;
	if (len >= size)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (printable && (page[i] < 0x20 || page[i] > 0x7e))
			return -EINVAL;
	memcpy(out, page, len);
	out[len] = '\0';
	return 0;
}

/* Decimal, 0x-hex or 0-octal; -EINVAL if not a number, -ERANGE if outside. */
int nepf_cfs_parse_u64(const char *page, u64 min, u64 max, u64 *out)
{
	u64 v;
	int ret = kstrtou64(page, 0, &v);

	if (ret)
		return ret;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* 0/1 (and what kstrtobool takes: y/n, on/off). */
int nepf_cfs_parse_bool(const char *page, bool *out)
{
	return kstrtobool(page, out) ? -EINVAL : 0;
}

/* ---- functions/<fname>/ ---- */

/* Attribute stores of a function: the tree, then who serves what. */
static void nepf_cfs_fn_lock(void)
{
	mutex_lock(&nepf_cfs_mutex);
	mutex_lock(&nepf_serve_lock);
}

static void nepf_cfs_fn_unlock(void)
{
	mutex_unlock(&nepf_serve_lock);
	mutex_unlock(&nepf_cfs_mutex);
}

static bool nepf_cfs_fn_busy(struct nepf_cfs_fn *cfn, const char *what)
{
	lockdep_assert_held(&nepf_serve_lock);
	if (!cfn->fn.started)
		return false;
	if (cfn->fn.pci_ep)
		pr_warn("function %s: cannot change %s while linked to an endpoint controller (unlink it first)\n",
			cfn->fn.name, what);
	else
		pr_warn("function %s: cannot change %s while started (write 0 to start first)\n",
			cfn->fn.name, what);
	return true;
}

static void nepf_cfs_fn_auto_vectors(struct nepf_cfs_fn *cfn)
{
	struct nepf_function_config *cfg = &cfn->fn.cfg;

	/* One vector for the admin queue and one per I/O queue. */
	if (cfn->msix_auto)
		cfg->msix_vectors = min(cfg->max_io_queues + 1, NEPF_MAX_VECTORS);
	if (cfn->msi_auto)
		cfg->msi_vectors = min(cfg->max_io_queues + 1, NEPF_MAX_MSI_VECTORS);
}

/*
 * The numeric attributes of a function: where they live, how they read
 * (their names and ranges: nepf_fn_limits, cfg-limits.c).
 */
static const struct nepf_fn_num {
	size_t off;
	size_t size;
	const char *fmt;
} nepf_fn_nums[NEPF_FN_NR_NUMS] = {
#define NEPF_FN_NUM(_f, _fmt)						\
	{ offsetof(struct nepf_function_config, _f),			\
	  sizeof_field(struct nepf_function_config, _f), _fmt }
	[NEPF_FN_FUNC_NO] = NEPF_FN_NUM(func_no, "%llu\n"),
	[NEPF_FN_VENDOR_ID] = NEPF_FN_NUM(vendor_id, "0x%04llx\n"),
	[NEPF_FN_DEVICE_ID] = NEPF_FN_NUM(device_id, "0x%04llx\n"),
	[NEPF_FN_SUBSYS_VENDOR_ID] = NEPF_FN_NUM(subsys_vendor_id, "0x%04llx\n"),
	[NEPF_FN_SUBSYS_ID] = NEPF_FN_NUM(subsys_id, "0x%04llx\n"),
	[NEPF_FN_CLASS_CODE] = NEPF_FN_NUM(class_code, "0x%06llx\n"),
	[NEPF_FN_MSIX_VECTORS] = NEPF_FN_NUM(msix_vectors, "%llu\n"),
	[NEPF_FN_MSI_VECTORS] = NEPF_FN_NUM(msi_vectors, "%llu\n"),
	[NEPF_FN_MAX_IO_QUEUES] = NEPF_FN_NUM(max_io_queues, "%llu\n"),
	[NEPF_FN_QUEUE_DEPTH] = NEPF_FN_NUM(queue_depth, "%llu\n"),
	[NEPF_FN_MDTS_KB] = NEPF_FN_NUM(mdts_kb, "%llu\n"),
	[NEPF_FN_BUF_BUDGET_KB] = NEPF_FN_NUM(buf_budget_kb, "%llu\n"),
#undef NEPF_FN_NUM
};

static u64 nepf_fn_get(struct nepf_function_config *cfg, enum nepf_fn_field f)
{
	const struct nepf_fn_num *d = &nepf_fn_nums[f];
	void *p = (u8 *)cfg + d->off;

	switch (d->size) {
	case 1:
		return *(u8 *)p;
	case 2:
		return *(u16 *)p;
	default:
		return *(u32 *)p;
	}
}

static void nepf_fn_set(struct nepf_cfs_fn *cfn, enum nepf_fn_field f, u64 v)
{
	const struct nepf_fn_num *d = &nepf_fn_nums[f];
	void *p = (u8 *)&cfn->fn.cfg + d->off;

	switch (d->size) {
	case 1:
		*(u8 *)p = v;
		break;
	case 2:
		*(u16 *)p = v;
		break;
	default:
		*(u32 *)p = v;
		break;
	}
	/* Vector counts follow the queue count until set explicitly. */
	if (f == NEPF_FN_MSIX_VECTORS)
		cfn->msix_auto = false;
	else if (f == NEPF_FN_MSI_VECTORS)
		cfn->msi_auto = false;
	else if (f == NEPF_FN_MAX_IO_QUEUES)
		nepf_cfs_fn_auto_vectors(cfn);
}

static ssize_t nepf_fn_num_show(struct config_item *item, char *page,
				enum nepf_fn_field f)
{
	return sysfs_emit(page, nepf_fn_nums[f].fmt,
			  nepf_fn_get(&to_cfs_fn(item)->fn.cfg, f));
}

static ssize_t nepf_fn_num_store(struct config_item *item, const char *page,
				 size_t count, enum nepf_fn_field f)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	const struct nepf_fn_limit *l = &nepf_fn_limits[f];
	u64 v;
	int ret = nepf_cfs_parse_u64(page, l->min, l->max, &v);

	if (ret == -ERANGE)
		pr_warn("function %s: %s must be %llu..%llu\n",
			cfn->fn.name, l->name, l->min, l->max);
	if (!ret && l->pow2 && !is_power_of_2(v))
		ret = -EINVAL;
	if (ret)
		return ret;
	nepf_cfs_fn_lock();
	if (nepf_cfs_fn_busy(cfn, l->name))
		ret = -EBUSY;
	else
		nepf_fn_set(cfn, f, v);
	nepf_cfs_fn_unlock();
	return ret ? ret : count;
}

#define NEPF_FN_NUM_ATTR(_name, _field)					\
static ssize_t nepf_fn_##_name##_show(struct config_item *item, char *page) \
{									\
	return nepf_fn_num_show(item, page, _field);			\
}									\
static ssize_t nepf_fn_##_name##_store(struct config_item *item,	\
				       const char *page, size_t count)	\
{									\
	return nepf_fn_num_store(item, page, count, _field);		\
}									\
CONFIGFS_ATTR(nepf_fn_, _name)

NEPF_FN_NUM_ATTR(func_no, NEPF_FN_FUNC_NO);
NEPF_FN_NUM_ATTR(vendor_id, NEPF_FN_VENDOR_ID);
NEPF_FN_NUM_ATTR(device_id, NEPF_FN_DEVICE_ID);
NEPF_FN_NUM_ATTR(subsys_vendor_id, NEPF_FN_SUBSYS_VENDOR_ID);
NEPF_FN_NUM_ATTR(subsys_id, NEPF_FN_SUBSYS_ID);
NEPF_FN_NUM_ATTR(class_code, NEPF_FN_CLASS_CODE);
NEPF_FN_NUM_ATTR(msix_vectors, NEPF_FN_MSIX_VECTORS);
NEPF_FN_NUM_ATTR(msi_vectors, NEPF_FN_MSI_VECTORS);
NEPF_FN_NUM_ATTR(max_io_queues, NEPF_FN_MAX_IO_QUEUES);
NEPF_FN_NUM_ATTR(queue_depth, NEPF_FN_QUEUE_DEPTH);
NEPF_FN_NUM_ATTR(mdts_kb, NEPF_FN_MDTS_KB);
NEPF_FN_NUM_ATTR(buf_budget_kb, NEPF_FN_BUF_BUDGET_KB);

static ssize_t nepf_fn_bool_store(struct config_item *item, const char *page,
				  size_t count, const char *what, bool *field)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	bool v;
	int ret = nepf_cfs_parse_bool(page, &v);

	if (ret)
		return ret;
	nepf_cfs_fn_lock();
	if (nepf_cfs_fn_busy(cfn, what))
		ret = -EBUSY;
	else
		*field = v;
	nepf_cfs_fn_unlock();
	return ret ? ret : count;
}

/* A 0/1 setting: functions/<fname>/<_name>, nepf_function_config._name. */
#define NEPF_FN_BOOL_ATTR(_name)					\
static ssize_t nepf_fn_##_name##_show(struct config_item *item, char *page) \
{									\
	return sysfs_emit(page, "%d\n", to_cfs_fn(item)->fn.cfg._name);	\
}									\
static ssize_t nepf_fn_##_name##_store(struct config_item *item,	\
				       const char *page, size_t count)	\
{									\
	return nepf_fn_bool_store(item, page, count, #_name,		\
				  &to_cfs_fn(item)->fn.cfg._name);	\
}									\
CONFIGFS_ATTR(nepf_fn_, _name)

NEPF_FN_BOOL_ATTR(dma);
NEPF_FN_BOOL_ATTR(sgl);
NEPF_FN_BOOL_ATTR(cmb);

static ssize_t nepf_fn_poll_cpu_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_cfs_fn(item)->fn.cfg.poll_cpu));
}

/*
 * -1: any CPU; else a CPU that exists (-ERANGE if not) and is online now
 * (-EINVAL if not).  Also while running: the poll thread moves at once.
 */
static ssize_t nepf_fn_poll_cpu_store(struct config_item *item,
				      const char *page, size_t count)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	int cpu, ret = kstrtoint(page, 0, &cpu);

	if (ret)
		return ret;
	if (cpu < -1 || cpu >= (int)nr_cpu_ids || (cpu >= 0 && !cpu_possible(cpu)))
		return -ERANGE;
	nepf_cfs_fn_lock();
	if (cpu >= 0 && !cpu_online(cpu)) {
		pr_warn("function %s: CPU %d is offline\n", cfn->fn.name, cpu);
		ret = -EINVAL;
	} else {
		WRITE_ONCE(cfn->fn.cfg.poll_cpu, cpu);
		nepf_function_poll_cpu_changed(&cfn->fn);
	}
	nepf_cfs_fn_unlock();
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_fn_, poll_cpu);

static ssize_t nepf_fn_epc_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_fn(item)->fn.cfg.epc_name);
}

static ssize_t nepf_fn_epc_store(struct config_item *item, const char *page,
				 size_t count)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	char name[sizeof(cfn->fn.cfg.epc_name)];
	int ret;

	ret = nepf_cfs_parse_string(page, count, name, sizeof(name), true);
	if (ret)
		return ret;
	nepf_cfs_fn_lock();
	if (nepf_cfs_fn_busy(cfn, "epc"))
		ret = -EBUSY;
	else
		strscpy(cfn->fn.cfg.epc_name, name, sizeof(cfn->fn.cfg.epc_name));
	nepf_cfs_fn_unlock();
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_fn_, epc);

static ssize_t nepf_fn_subsystem_show(struct config_item *item, char *page)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	ssize_t ret;

	mutex_lock(&nepf_serve_lock);
	ret = sysfs_emit(page, "%s\n", cfn->cs ? cfn->cs->subsys.name : "");
	mutex_unlock(&nepf_serve_lock);
	return ret;
}

/* Caller holds nepf_serve_lock, or is the last user of @cfn. */
void nepf_cfs_fn_put_subsys(struct nepf_cfs_fn *cfn)
{
	if (!cfn->cs)
		return;
	configfs_undepend_item_unlocked(&cfn->cs->group.cg_item);
	cfn->cs = NULL;
	cfn->fn.subsys = NULL;
}

/* Naming a subsystem pins it: rmdir of it fails with -EBUSY meanwhile. */
static ssize_t nepf_fn_subsystem_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	struct nepf_cfs_subsys *cs = NULL;
	char name[sizeof(cs->subsys.name)];
	int ret;

	ret = nepf_cfs_parse_string(page, count, name, sizeof(name), true);
	if (ret)
		return ret;
	nepf_cfs_fn_lock();
	if (nepf_cfs_fn_busy(cfn, "subsystem")) {
		ret = -EBUSY;
		goto out;
	}
	if (name[0]) {
		cs = nepf_cfs_subsys_find(name);
		if (!cs) {
			pr_warn("function %s: no subsystem '%s'\n",
				cfn->fn.name, name);
			ret = -ENOENT;
			goto out;
		}
		if (cs == cfn->cs)
			goto out;
		ret = configfs_depend_item_unlocked(&nepf_cfs_root,
						    &cs->group.cg_item);
		if (ret)
			goto out;
	}
	nepf_cfs_fn_put_subsys(cfn);
	cfn->cs = cs;
	cfn->fn.subsys = cs ? &cs->subsys : NULL;
out:
	nepf_cfs_fn_unlock();
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_fn_, subsystem);

/*
 * Start and stop hold only nepf_cfs_mutex across the glue: the EPC calls
 * they make take the locks of every function on the controller, and the
 * bind callback of a pci_ep/ function holds its own while it waits for
 * nepf_serve_lock.  nepf_cfs_mutex keeps our attributes still meanwhile.
 */
static int nepf_cfs_fn_start(struct nepf_cfs_fn *cfn)
{
	struct nepf_function *fn = &cfn->fn;
	int ret;

	lockdep_assert_held(&nepf_cfs_mutex);
	if (!fn->subsys || !fn->cfg.epc_name[0]) {
		pr_warn("function %s: set %s before start\n", fn->name,
			fn->subsys ? "epc" : "subsystem");
		return -EINVAL;
	}
	/* The glue rolls back everything it did if it fails. */
	ret = nepf_function_start(fn);
	if (ret) {
		pr_err("function %s: start on %s failed (%d)\n",
		       fn->name, fn->cfg.epc_name, ret);
		return ret;
	}
	mutex_lock(&nepf_serve_lock);
	fn->started = true;
	mutex_unlock(&nepf_serve_lock);
	return 0;
}

static void nepf_cfs_fn_stop(struct nepf_cfs_fn *cfn)
{
	struct nepf_function *fn = &cfn->fn;

	lockdep_assert_held(&nepf_cfs_mutex);
	mutex_lock(&nepf_serve_lock);
	fn->started = false;
	mutex_unlock(&nepf_serve_lock);
	/* Unbind takes it off the subsystem's list first. */
	nepf_function_stop(fn);
}

static ssize_t nepf_fn_start_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", to_cfs_fn(item)->fn.started);
}

static ssize_t nepf_fn_start_store(struct config_item *item, const char *page,
				   size_t count)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);
	bool on;
	int ret = nepf_cfs_parse_bool(page, &on);

	if (ret)
		return ret;
	mutex_lock(&nepf_cfs_mutex);
	if (on && !cfn->fn.started)
		ret = nepf_cfs_fn_start(cfn);
	else if (!on && cfn->fn.started)
		nepf_cfs_fn_stop(cfn);
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_fn_, start);

/* nvme_epf/functions/<fname>/ */
static struct configfs_attribute *nepf_fn_attrs[] = {
	&nepf_fn_attr_epc,
	&nepf_fn_attr_func_no,
	&nepf_fn_attr_subsystem,
	&nepf_fn_attr_vendor_id,
	&nepf_fn_attr_device_id,
	&nepf_fn_attr_subsys_vendor_id,
	&nepf_fn_attr_subsys_id,
	&nepf_fn_attr_class_code,
	&nepf_fn_attr_msix_vectors,
	&nepf_fn_attr_msi_vectors,
	&nepf_fn_attr_max_io_queues,
	&nepf_fn_attr_queue_depth,
	&nepf_fn_attr_mdts_kb,
	&nepf_fn_attr_buf_budget_kb,
	&nepf_fn_attr_dma,
	&nepf_fn_attr_sgl,
	&nepf_fn_attr_cmb,
	&nepf_fn_attr_poll_cpu,
	&nepf_fn_attr_start,
	NULL,
};

/*
 * pci_ep/functions/nvme_epf/<f>/nvme/ (configfs-pci-ep.c): the same
 * attributes but those pci_ep/ has its own of (PCI ids, class, vector
 * counts), the controller link and start.
 */
struct configfs_attribute *nepf_fn_pci_ep_attrs[] = {
	&nepf_fn_attr_subsystem,
	&nepf_fn_attr_max_io_queues,
	&nepf_fn_attr_queue_depth,
	&nepf_fn_attr_mdts_kb,
	&nepf_fn_attr_buf_budget_kb,
	&nepf_fn_attr_dma,
	&nepf_fn_attr_sgl,
	&nepf_fn_attr_cmb,
	&nepf_fn_attr_poll_cpu,
	NULL,
};

/* ---- functions/<fname>/status/ (read-only, answered by the glue) ---- */

static ssize_t nepf_status_show(struct config_item *item, char *page,
				enum nepf_status_item what)
{
	struct nepf_cfs_fn *cfn = container_of(to_config_group(item),
					       struct nepf_cfs_fn, status_group);
	ssize_t ret;

	mutex_lock(&nepf_serve_lock);
	ret = nepf_function_status(&cfn->fn, what, page, PAGE_SIZE);
	mutex_unlock(&nepf_serve_lock);
	return ret;
}

#define NEPF_STATUS_ATTR(_name, _item)					\
static ssize_t nepf_status_##_name##_show(struct config_item *item,	\
					  char *page)			\
{									\
	return nepf_status_show(item, page, _item);			\
}									\
CONFIGFS_ATTR_RO(nepf_status_, _name)

NEPF_STATUS_ATTR(state, NEPF_STATUS_STATE);
NEPF_STATUS_ATTR(link, NEPF_STATUS_LINK);
NEPF_STATUS_ATTR(queues, NEPF_STATUS_QUEUES);
NEPF_STATUS_ATTR(commands, NEPF_STATUS_COMMANDS);

static struct configfs_attribute *nepf_status_attrs[] = {
	&nepf_status_attr_state,
	&nepf_status_attr_link,
	&nepf_status_attr_queues,
	&nepf_status_attr_commands,
	NULL,
};

static const struct config_item_type nepf_status_type = {
	.ct_attrs = nepf_status_attrs,
	.ct_owner = THIS_MODULE,
};

static void nepf_fn_release(struct config_item *item)
{
	kfree(to_cfs_fn(item));
}

static NEPF_CONFIGFS_CONST struct configfs_item_operations nepf_fn_item_ops = {
	.release = nepf_fn_release,
};

static const struct config_item_type nepf_fn_type = {
	.ct_item_ops = &nepf_fn_item_ops,
	.ct_attrs = nepf_fn_attrs,
	.ct_owner = THIS_MODULE,
};

/*
 * A zeroed @cfn becomes the function @fname with its defaults, as the
 * group @gname of @type with status/ and inject/ in it.
 */
void nepf_cfs_fn_init(struct nepf_cfs_fn *cfn, const char *fname,
		      const char *gname, const struct config_item_type *type)
{
	struct nepf_function_config *cfg;

	strscpy(cfn->fn.name, fname, sizeof(cfn->fn.name));
	INIT_LIST_HEAD(&cfn->fn.subsys_entry);
	cfg = &cfn->fn.cfg;
	cfg->vendor_id = NEPF_DEFAULT_VENDOR_ID;
	cfg->device_id = NEPF_DEFAULT_DEVICE_ID;
	cfg->subsys_vendor_id = NEPF_DEFAULT_VENDOR_ID;
	cfg->subsys_id = NEPF_DEFAULT_DEVICE_ID;
	cfg->class_code = NEPF_DEFAULT_CLASS;
	/* One I/O queue per CPU of the board: the host gets one per its CPU. */
	cfg->max_io_queues = clamp_t(unsigned int, num_online_cpus(), 1,
				     NEPF_MAX_IO_QUEUES);
	cfg->queue_depth = NEPF_DEFAULT_QUEUE_DEPTH;
	cfg->mdts_kb = NEPF_DEFAULT_MDTS_KB;
	cfg->buf_budget_kb = NEPF_DEFAULT_BUF_BUDGET_KB;
	cfg->dma = true;
	cfg->sgl = true;
	/*
	 * No CMB unless asked: it makes BAR0 4 MiB (a fixed or small BAR0
	 * cannot hold it), and a host without PCI_P2PDMA (Debian 6.12)
	 * only warns that it failed to register it.
	 */
	cfg->cmb = false;
	cfg->poll_cpu = -1;
	cfn->msix_auto = true;
	cfn->msi_auto = true;
	nepf_cfs_fn_auto_vectors(cfn);

	config_group_init_type_name(&cfn->group, gname, type);
	config_group_init_type_name(&cfn->status_group, "status",
				    &nepf_status_type);
	configfs_add_default_group(&cfn->status_group, &cfn->group);
	nepf_cfs_inject_init(&cfn->inject, &cfn->fn.inject, cfn->fn.name);
	configfs_add_default_group(&cfn->inject.group, &cfn->group);
}

static struct config_group *nepf_fn_make(struct config_group *group,
					 const char *name)
{
	struct nepf_cfs_fn *cfn;

	if (strlen(name) >= sizeof(cfn->fn.name))
		return ERR_PTR(-ENAMETOOLONG);
	cfn = kzalloc(sizeof(*cfn), GFP_KERNEL);
	if (!cfn)
		return ERR_PTR(-ENOMEM);
	nepf_cfs_fn_init(cfn, name, name, &nepf_fn_type);
	return &cfn->group;
}

/* rmdir of a started function stops it first. */
static void nepf_fn_drop(struct config_group *group, struct config_item *item)
{
	struct nepf_cfs_fn *cfn = to_cfs_fn(item);

	mutex_lock(&nepf_cfs_mutex);
	if (cfn->fn.started)
		nepf_cfs_fn_stop(cfn);
	mutex_lock(&nepf_serve_lock);
	nepf_cfs_fn_put_subsys(cfn);
	mutex_unlock(&nepf_serve_lock);
	mutex_unlock(&nepf_cfs_mutex);
	config_item_put(item);
}

static NEPF_CONFIGFS_CONST struct configfs_group_operations nepf_functions_group_ops = {
	.make_group = nepf_fn_make,
	.drop_item = nepf_fn_drop,
};

static const struct config_item_type nepf_functions_type = {
	.ct_group_ops = &nepf_functions_group_ops,
	.ct_owner = THIS_MODULE,
};

/* ---- root ---- */

/*
 * limits: what the stores of this tree accept (cfg-limits.c), so that tools
 * check values against the running module instead of a copy.
 */
static ssize_t nepf_root_limits_show(struct config_item *item, char *page)
{
	return nepf_limits_text(page, PAGE_SIZE);
}
CONFIGFS_ATTR_RO(nepf_root_, limits);

static struct configfs_attribute *nepf_root_attrs[] = {
	&nepf_root_attr_limits,
	NULL,
};

static const struct config_item_type nepf_root_type = {
	.ct_attrs = nepf_root_attrs,
	.ct_owner = THIS_MODULE,
};

struct configfs_subsystem nepf_cfs_root;

static struct config_group nepf_cfs_subsystems_group;
static struct config_group nepf_cfs_functions_group;

int nepf_configfs_init(void)
{
	int ret;

	ret = nepf_backends_init();
	if (ret)
		return ret;
	config_group_init_type_name(&nepf_cfs_root.su_group, "nvme_epf",
				    &nepf_root_type);
	mutex_init(&nepf_cfs_root.su_mutex);
	config_group_init_type_name(&nepf_cfs_subsystems_group, "subsystems",
				    &nepf_subsystems_type);
	configfs_add_default_group(&nepf_cfs_subsystems_group,
				   &nepf_cfs_root.su_group);
	config_group_init_type_name(&nepf_cfs_functions_group, "functions",
				    &nepf_functions_type);
	configfs_add_default_group(&nepf_cfs_functions_group,
				   &nepf_cfs_root.su_group);
	ret = configfs_register_subsystem(&nepf_cfs_root);
	if (ret) {
		pr_err("cannot register configfs subsystem (%d)\n", ret);
		nepf_backends_exit();
	}
	return ret;
}

/* Module unload is refused while any directory exists (configfs pins us). */
void nepf_configfs_exit(void)
{
	configfs_unregister_subsystem(&nepf_cfs_root);
	nepf_backends_exit();
}
