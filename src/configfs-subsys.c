// SPDX-License-Identifier: GPL-2.0
/*
 * configfs-subsys.c - nvme_epf/subsystems/<sname>/ (controller identity)
 * and its namespaces/<nsid>/ (backend configuration, enable).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/jhash.h>
#include <linux/uuid.h>
#include <linux/ctype.h>
#include "configfs-priv.h"
#include "backend.h"

static LIST_HEAD(nepf_cfs_subsystems);

static inline struct nepf_cfs_subsys *to_cfs_subsys(struct config_item *item)
{
	return container_of(to_config_group(item), struct nepf_cfs_subsys, group);
}

static inline struct nepf_cfs_ns *to_cfs_ns(struct config_item *item)
{
	return container_of(to_config_group(item), struct nepf_cfs_ns, group);
}

struct nepf_cfs_subsys *nepf_cfs_subsys_find(const char *name)
{
	struct nepf_cfs_subsys *cs;

	lockdep_assert_held(&nepf_cfs_mutex);
	list_for_each_entry(cs, &nepf_cfs_subsystems, entry)
		if (!strcmp(cs->subsys.name, name))
			return cs;
	return NULL;
}

bool nepf_cfs_subsys_busy(struct nepf_subsys *subsys, const char *what)
{
	lockdep_assert_held(&nepf_serve_lock);
	if (list_empty(&subsys->functions))
		return false;
	pr_warn("subsystem %s: cannot change %s while a function serving it is started\n",
		subsys->name, what);
	return true;
}

/* ---- namespaces/<nsid>/ ---- */

static bool nepf_cfs_ns_busy(struct nepf_cfs_ns *cns, const char *what)
{
	if (!cns->enabled)
		return false;
	pr_warn("subsystem %s nsid %u: cannot change %s while enabled\n",
		cns->cs->subsys.name, cns->ns.nsid, what);
	return true;
}

/* Parse and store one namespace attribute under the tree's mutex. */
static ssize_t nepf_ns_store(struct config_item *item, const char *what,
			     int (*set)(struct nepf_ns_config *cfg,
					const char *page, size_t count),
			     const char *page, size_t count)
{
	struct nepf_cfs_ns *cns = to_cfs_ns(item);
	struct nepf_ns_config cfg;
	int ret;

	mutex_lock(&nepf_cfs_mutex);
	if (nepf_cfs_ns_busy(cns, what)) {
		ret = -EBUSY;
		goto out;
	}
	cfg = cns->ns.cfg;
	ret = set(&cfg, page, count);
	if (!ret)
		cns->ns.cfg = cfg;
out:
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}

#define NEPF_NS_ATTR(_name)						\
static ssize_t nepf_ns_##_name##_store(struct config_item *item,	\
				       const char *page, size_t count)	\
{									\
	return nepf_ns_store(item, #_name, nepf_ns_set_##_name, page, count); \
}									\
CONFIGFS_ATTR(nepf_ns_, _name)

static ssize_t nepf_ns_backend_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_ns(item)->ns.cfg.backend);
}

static int nepf_ns_set_backend(struct nepf_ns_config *cfg, const char *page,
			       size_t count)
{
	char name[sizeof(cfg->backend)];
	int ret = nepf_cfs_parse_string(page, count, name, sizeof(name), true);

	if (ret)
		return ret;
	if (!nepf_backend_find(name)) {
		pr_warn("unknown backend '%s' (null, bdev, file)\n", name);
		return -EINVAL;
	}
	strscpy(cfg->backend, name, sizeof(cfg->backend));
	return 0;
}
NEPF_NS_ATTR(backend);

static ssize_t nepf_ns_device_path_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_ns(item)->ns.cfg.path);
}

static int nepf_ns_set_device_path(struct nepf_ns_config *cfg,
				   const char *page, size_t count)
{
	char path[sizeof(cfg->path)];
	int ret = nepf_cfs_parse_string(page, count, path, sizeof(path), true);

	if (ret)
		return ret;
	/* Relative paths would depend on the writer's working directory. */
	if (path[0] && path[0] != '/')
		return -EINVAL;
	strscpy(cfg->path, path, sizeof(cfg->path));
	return 0;
}
NEPF_NS_ATTR(device_path);

static ssize_t nepf_ns_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", to_cfs_ns(item)->ns.cfg.size);
}

static int nepf_ns_set_size(struct nepf_ns_config *cfg, const char *page,
			    size_t count)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, U64_MAX, &v);

	if (ret)
		return ret;
	/* Whole 512-byte sectors at least; the block size is checked at enable. */
	if (v & 511)
		return -EINVAL;
	cfg->size = v;
	return 0;
}
NEPF_NS_ATTR(size);

static ssize_t nepf_ns_block_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", to_cfs_ns(item)->ns.cfg.block_size);
}

static int nepf_ns_set_block_size(struct nepf_ns_config *cfg,
				  const char *page, size_t count)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 512, 4096, &v);

	if (ret)
		return ret;
	if (v != 512 && v != 4096)
		return -EINVAL;
	cfg->block_size = v;
	return 0;
}
NEPF_NS_ATTR(block_size);

static ssize_t nepf_ns_readonly_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", to_cfs_ns(item)->ns.cfg.readonly);
}

static int nepf_ns_set_readonly(struct nepf_ns_config *cfg, const char *page,
				size_t count)
{
	return nepf_cfs_parse_bool(page, &cfg->readonly);
}
NEPF_NS_ATTR(readonly);

static ssize_t nepf_ns_buffered_io_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", to_cfs_ns(item)->ns.cfg.buffered_io);
}

static int nepf_ns_set_buffered_io(struct nepf_ns_config *cfg,
				   const char *page, size_t count)
{
	return nepf_cfs_parse_bool(page, &cfg->buffered_io);
}
NEPF_NS_ATTR(buffered_io);

/* (hex_to_bin() moved to linux/hex.h in 7.x: not worth a compat probe.) */
static u8 nepf_xval(char c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* 32 hex digits, '-' or ':' allowed between byte pairs (uuid or nguid form). */
static int nepf_parse_id16(const char *page, size_t count, u8 id[16])
{
	char buf[64];
	int i = 0, ret;
	const char *p;

	ret = nepf_cfs_parse_string(page, count, buf, sizeof(buf), true);
	if (ret)
		return ret;
	for (p = buf; *p; ) {
		if (*p == '-' || *p == ':') {
			p++;
			continue;
		}
		if (i == 16 || !isxdigit(p[0]) || !isxdigit(p[1]))
			return -EINVAL;
		id[i++] = nepf_xval(p[0]) << 4 | nepf_xval(p[1]);
		p += 2;
	}
	return i == 16 ? 0 : -EINVAL;
}

static ssize_t nepf_ns_device_nguid_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%pUb\n", to_cfs_ns(item)->ns.cfg.nguid);
}

static int nepf_ns_set_device_nguid(struct nepf_ns_config *cfg,
				    const char *page, size_t count)
{
	return nepf_parse_id16(page, count, cfg->nguid);
}
NEPF_NS_ATTR(device_nguid);

static ssize_t nepf_ns_device_uuid_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%pUb\n", to_cfs_ns(item)->ns.cfg.uuid);
}

static int nepf_ns_set_device_uuid(struct nepf_ns_config *cfg,
				   const char *page, size_t count)
{
	return nepf_parse_id16(page, count, cfg->uuid);
}
NEPF_NS_ATTR(device_uuid);

/* Tell every started function serving the subsystem (AEN to its host). */
static void nepf_cfs_ns_publish(struct nepf_cfs_ns *cns, struct nepf_ns *ns)
{
	struct nepf_subsys *subsys = &cns->cs->subsys;
	struct nepf_function *fn;

	/* A function binding now sees the namespace or gets the event. */
	mutex_lock(&nepf_serve_lock);
	mutex_lock(&subsys->lock);
	subsys->ns[cns->ns.nsid - 1] = ns;
	mutex_unlock(&subsys->lock);
	/* The list only changes under nepf_serve_lock, which we hold. */
	list_for_each_entry(fn, &subsys->functions, subsys_entry)
		nepf_function_ns_changed(fn, cns->ns.nsid, ns);
	mutex_unlock(&nepf_serve_lock);
}

static int nepf_cfs_ns_enable(struct nepf_cfs_ns *cns)
{
	int ret;

	lockdep_assert_held(&nepf_cfs_mutex);
	if (nepf_kpool_has(&cns->cs->subsys, cns->ns.nsid)) {
		pr_warn("subsystem %s nsid %u: the host created a namespace there (pool)\n",
			cns->cs->subsys.name, cns->ns.nsid);
		return -EBUSY;
	}
	ret = nepf_ns_open(&cns->ns);
	if (ret)
		return ret;
	cns->enabled = true;
	nepf_cfs_ns_publish(cns, &cns->ns);
	return 0;
}

static void nepf_cfs_ns_disable(struct nepf_cfs_ns *cns)
{
	lockdep_assert_held(&nepf_cfs_mutex);
	nepf_cfs_ns_publish(cns, NULL);
	/* Waits for the commands still holding the namespace. */
	nepf_ns_close(&cns->ns);
	cns->enabled = false;
	pr_info("subsystem %s nsid %u disabled\n", cns->cs->subsys.name,
		cns->ns.nsid);
}

static ssize_t nepf_ns_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", to_cfs_ns(item)->enabled);
}

static ssize_t nepf_ns_enable_store(struct config_item *item, const char *page,
				    size_t count)
{
	struct nepf_cfs_ns *cns = to_cfs_ns(item);
	bool on;
	int ret = nepf_cfs_parse_bool(page, &on);

	if (ret)
		return ret;
	mutex_lock(&nepf_cfs_mutex);
	if (on && !cns->enabled)
		ret = nepf_cfs_ns_enable(cns);
	else if (!on && cns->enabled)
		nepf_cfs_ns_disable(cns);
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_ns_, enable);

static struct configfs_attribute *nepf_ns_attrs[] = {
	&nepf_ns_attr_backend,
	&nepf_ns_attr_device_path,
	&nepf_ns_attr_size,
	&nepf_ns_attr_block_size,
	&nepf_ns_attr_readonly,
	&nepf_ns_attr_buffered_io,
	&nepf_ns_attr_device_nguid,
	&nepf_ns_attr_device_uuid,
	&nepf_ns_attr_enable,
	NULL,
};

static void nepf_ns_release(struct config_item *item)
{
	kfree(to_cfs_ns(item));
}

static NEPF_CONFIGFS_CONST struct configfs_item_operations nepf_ns_item_ops = {
	.release = nepf_ns_release,
};

static const struct config_item_type nepf_ns_type = {
	.ct_item_ops = &nepf_ns_item_ops,
	.ct_attrs = nepf_ns_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *nepf_ns_make(struct config_group *group,
					 const char *name)
{
	struct nepf_cfs_subsys *cs = container_of(group, struct nepf_cfs_subsys,
						  ns_group);
	struct nepf_cfs_ns *cns;
	char canon[12];
	u32 nsid;

	/* Canonical decimal only, so that "1" and "01" are not two dirs. */
	if (kstrtou32(name, 10, &nsid) || !nsid || nsid > NEPF_MAX_NAMESPACES)
		return ERR_PTR(-EINVAL);
	snprintf(canon, sizeof(canon), "%u", nsid);
	if (strcmp(canon, name))
		return ERR_PTR(-EINVAL);

	cns = kzalloc(sizeof(*cns), GFP_KERNEL);
	if (!cns)
		return ERR_PTR(-ENOMEM);
	cns->cs = cs;
	cns->ns.nsid = nsid;
	nepf_ns_init(&cns->ns);
	strscpy(cns->ns.cfg.backend, "bdev", sizeof(cns->ns.cfg.backend));
	cns->ns.cfg.block_size = 512;
	/* Hosts tell namespaces apart by these: make them unique by default. */
	generate_random_uuid(cns->ns.cfg.uuid);
	generate_random_uuid(cns->ns.cfg.nguid);

	mutex_lock(&nepf_cfs_mutex);
	if (cs->items[nsid - 1]) {
		mutex_unlock(&nepf_cfs_mutex);
		kfree(cns);
		return ERR_PTR(-EEXIST);
	}
	cs->items[nsid - 1] = cns;
	mutex_unlock(&nepf_cfs_mutex);

	config_group_init_type_name(&cns->group, name, &nepf_ns_type);
	return &cns->group;
}

static void nepf_ns_drop(struct config_group *group, struct config_item *item)
{
	struct nepf_cfs_ns *cns = to_cfs_ns(item);

	mutex_lock(&nepf_cfs_mutex);
	if (cns->enabled)
		nepf_cfs_ns_disable(cns);
	cns->cs->items[cns->ns.nsid - 1] = NULL;
	mutex_unlock(&nepf_cfs_mutex);
	config_item_put(item);
}

static NEPF_CONFIGFS_CONST struct configfs_group_operations nepf_namespaces_group_ops = {
	.make_group = nepf_ns_make,
	.drop_item = nepf_ns_drop,
};

static const struct config_item_type nepf_namespaces_type = {
	.ct_group_ops = &nepf_namespaces_group_ops,
	.ct_owner = THIS_MODULE,
};

/* ---- subsystems/<sname>/ ---- */

static ssize_t nepf_subsys_store_str(struct config_item *item, const char *what,
				     char *field, size_t size,
				     const char *page, size_t count)
{
	struct nepf_subsys *subsys = &to_cfs_subsys(item)->subsys;
	char buf[64];
	int ret;

	ret = nepf_cfs_parse_string(page, count, buf, size, true);
	if (!ret && !buf[0])
		ret = -EINVAL;
	if (ret)
		return ret;
	mutex_lock(&nepf_cfs_mutex);
	mutex_lock(&nepf_serve_lock);
	if (nepf_cfs_subsys_busy(subsys, what)) {
		ret = -EBUSY;
	} else {
		mutex_lock(&subsys->lock);
		strscpy(field, buf, size);
		mutex_unlock(&subsys->lock);
	}
	mutex_unlock(&nepf_serve_lock);
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}

static ssize_t nepf_subsys_store_num(struct config_item *item, const char *what,
				     u64 max, const char *page, size_t count,
				     void (*set)(struct nepf_subsys *s, u64 v))
{
	struct nepf_subsys *subsys = &to_cfs_subsys(item)->subsys;
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, max, &v);

	if (ret)
		return ret;
	mutex_lock(&nepf_cfs_mutex);
	mutex_lock(&nepf_serve_lock);
	if (nepf_cfs_subsys_busy(subsys, what)) {
		ret = -EBUSY;
	} else {
		mutex_lock(&subsys->lock);
		set(subsys, v);
		mutex_unlock(&subsys->lock);
	}
	mutex_unlock(&nepf_serve_lock);
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}

#define NEPF_SUBSYS_STR_ATTR(_name, _field)				\
static ssize_t nepf_subsys_##_name##_show(struct config_item *item,	\
					  char *page)			\
{									\
	return sysfs_emit(page, "%s\n", to_cfs_subsys(item)->subsys._field);	\
}									\
static ssize_t nepf_subsys_##_name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	return nepf_subsys_store_str(item, #_name, to_cfs_subsys(item)->subsys._field, \
				     sizeof(to_cfs_subsys(item)->subsys._field),	\
				     page, count);			\
}									\
CONFIGFS_ATTR(nepf_subsys_, _name)

#define NEPF_SUBSYS_NUM_ATTR(_name, _field, _max, _fmt)			\
static ssize_t nepf_subsys_##_name##_show(struct config_item *item,	\
					  char *page)			\
{									\
	return sysfs_emit(page, _fmt "\n", to_cfs_subsys(item)->subsys._field);	\
}									\
static void nepf_subsys_set_##_name(struct nepf_subsys *s, u64 v)	\
{									\
	s->_field = v;							\
}									\
static ssize_t nepf_subsys_##_name##_store(struct config_item *item,	\
					   const char *page, size_t count) \
{									\
	return nepf_subsys_store_num(item, #_name, _max, page, count,	\
				     nepf_subsys_set_##_name);		\
}									\
CONFIGFS_ATTR(nepf_subsys_, _name)

NEPF_SUBSYS_STR_ATTR(attr_model, model);
NEPF_SUBSYS_STR_ATTR(attr_serial, serial);
NEPF_SUBSYS_STR_ATTR(attr_firmware, firmware);
NEPF_SUBSYS_NUM_ATTR(attr_ieee_oui, ieee_oui, 0xffffff, "0x%06x");
NEPF_SUBSYS_NUM_ATTR(attr_vendor_id, vendor_id, 0xffff, "0x%04x");
NEPF_SUBSYS_NUM_ATTR(attr_subsys_vendor_id, subsys_vendor_id, 0xffff, "0x%04x");

/*
 * Identity knobs that only take away: ONCS may hide optional commands we
 * implement (a host then does not send them), never advertise others.
 */
static ssize_t nepf_subsys_attr_oncs_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "0x%04x\n",
			  (unsigned int)(NEPF_ONCS & ~to_cfs_subsys(item)->subsys.oncs_mask));
}

static void nepf_subsys_set_oncs(struct nepf_subsys *s, u64 v)
{
	s->oncs_mask = NEPF_ONCS & ~v;
}

static ssize_t nepf_subsys_attr_oncs_store(struct config_item *item,
					   const char *page, size_t count)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, 0xffff, &v);

	if (ret)
		return ret;
	if (v & ~(u64)NEPF_ONCS) {
		pr_warn("attr_oncs %#llx: only bits of %#x can be advertised\n",
			v, (unsigned int)NEPF_ONCS);
		return -EINVAL;
	}
	return nepf_subsys_store_num(item, "attr_oncs", 0xffff, page, count,
				     nepf_subsys_set_oncs);
}
CONFIGFS_ATTR(nepf_subsys_, attr_oncs);

/* Volatile write cache: "auto" (as the namespaces have one), 1, 0. */
static ssize_t nepf_subsys_attr_vwc_show(struct config_item *item, char *page)
{
	static const char *const names[] = {
		[NEPF_VWC_AUTO] = "auto", [NEPF_VWC_ON] = "1", [NEPF_VWC_OFF] = "0",
	};

	return sysfs_emit(page, "%s\n", names[to_cfs_subsys(item)->subsys.vwc_mode]);
}

static void nepf_subsys_set_vwc(struct nepf_subsys *s, u64 v)
{
	s->vwc_mode = v;
}

static ssize_t nepf_subsys_attr_vwc_store(struct config_item *item,
					  const char *page, size_t count)
{
	bool on;
	const char *mode = "0";

	if (sysfs_streq(page, "auto"))
		mode = "0";
	else if (nepf_cfs_parse_bool(page, &on))
		return -EINVAL;
	else
		mode = on ? "1" : "2";
	if (nepf_subsys_store_num(item, "attr_vwc", 2, mode, 1,
				  nepf_subsys_set_vwc) < 0)
		return -EBUSY;
	return count;
}
CONFIGFS_ATTR(nepf_subsys_, attr_vwc);

/*
 * Namespace Management's capacity pool (pool.c): pool_size caps what the
 * host may allocate (0: no namespace management), pool_path is the
 * directory; writing it loads the namespaces the host created there.
 */
static ssize_t nepf_subsys_pool_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", to_cfs_subsys(item)->subsys.pool_size);
}

static ssize_t nepf_subsys_pool_size_store(struct config_item *item,
					   const char *page, size_t count)
{
	u64 v;
	int ret = nepf_cfs_parse_u64(page, 0, U64_MAX, &v);

	if (ret)
		return ret;
	if (v & 4095)		/* whole 4 KiB blocks, either format fits */
		return -EINVAL;
	return nepf_subsys_store_num(item, "pool_size", U64_MAX, page, count,
				     nepf_kpool_set_size);
}
CONFIGFS_ATTR(nepf_subsys_, pool_size);

static ssize_t nepf_subsys_pool_path_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", to_cfs_subsys(item)->subsys.pool_path);
}

static ssize_t nepf_subsys_pool_path_store(struct config_item *item,
					   const char *page, size_t count)
{
	struct nepf_subsys *subsys = &to_cfs_subsys(item)->subsys;
	char path[sizeof(subsys->pool_path)];
	int ret = nepf_cfs_parse_string(page, count, path, sizeof(path), true);

	if (ret)
		return ret;
	if (path[0] && path[0] != '/')
		return -EINVAL;
	mutex_lock(&nepf_cfs_mutex);
	mutex_lock(&nepf_serve_lock);
	if (nepf_cfs_subsys_busy(subsys, "pool_path")) {
		ret = -EBUSY;
	} else {
		ret = nepf_kpool_configure(subsys, path);
		strscpy(subsys->pool_path, ret ? "" : path,
			sizeof(subsys->pool_path));
	}
	mutex_unlock(&nepf_serve_lock);
	mutex_unlock(&nepf_cfs_mutex);
	return ret ? ret : count;
}
CONFIGFS_ATTR(nepf_subsys_, pool_path);

static struct configfs_attribute *nepf_subsys_attrs[] = {
	&nepf_subsys_attr_attr_model,
	&nepf_subsys_attr_attr_serial,
	&nepf_subsys_attr_attr_firmware,
	&nepf_subsys_attr_attr_ieee_oui,
	&nepf_subsys_attr_attr_vendor_id,
	&nepf_subsys_attr_attr_subsys_vendor_id,
	&nepf_subsys_attr_attr_oncs,
	&nepf_subsys_attr_attr_vwc,
	&nepf_subsys_attr_pool_size,
	&nepf_subsys_attr_pool_path,
	NULL,
};

static void nepf_subsys_release(struct config_item *item)
{
	struct nepf_cfs_subsys *cs = to_cfs_subsys(item);

	nepf_kpool_release(&cs->subsys);
	mutex_destroy(&cs->subsys.lock);
	kfree(cs);
}

static NEPF_CONFIGFS_CONST struct configfs_item_operations nepf_subsys_item_ops = {
	.release = nepf_subsys_release,
};

static const struct config_item_type nepf_subsys_type = {
	.ct_item_ops = &nepf_subsys_item_ops,
	.ct_attrs = nepf_subsys_attrs,
	.ct_owner = THIS_MODULE,
};

static struct config_group *nepf_subsys_make(struct config_group *group,
					     const char *name)
{
	struct nepf_cfs_subsys *cs;
	struct nepf_subsys *s;
	const char *version = THIS_MODULE->version;

	if (strlen(name) >= sizeof(cs->subsys.name))
		return ERR_PTR(-ENAMETOOLONG);
	cs = kzalloc(sizeof(*cs), GFP_KERNEL);
	if (!cs)
		return ERR_PTR(-ENOMEM);
	s = &cs->subsys;
	strscpy(s->name, name, sizeof(s->name));
	mutex_init(&s->lock);
	INIT_LIST_HEAD(&s->functions);
	strscpy(s->model, NEPF_DEFAULT_MODEL, sizeof(s->model));
	/* Stable across reboots and unique per name: hosts key on it. */
	snprintf(s->serial, sizeof(s->serial), "NEPF%08X%08X",
		 jhash(name, strlen(name), 0x6e657066),
		 jhash(name, strlen(name), 0x53455249));
	/* Identify FR: the module (package) version, 8 characters at most. */
	strscpy(s->firmware, version ? version : "1.0", sizeof(s->firmware));
	s->vendor_id = NEPF_DEFAULT_VENDOR_ID;
	s->subsys_vendor_id = NEPF_DEFAULT_VENDOR_ID;

	config_group_init_type_name(&cs->group, name, &nepf_subsys_type);
	config_group_init_type_name(&cs->ns_group, "namespaces",
				    &nepf_namespaces_type);
	configfs_add_default_group(&cs->ns_group, &cs->group);

	mutex_lock(&nepf_cfs_mutex);
	list_add_tail(&cs->entry, &nepf_cfs_subsystems);
	mutex_unlock(&nepf_cfs_mutex);
	return &cs->group;
}

/*
 * A subsystem named by a function cannot get here: the function holds a
 * configfs dependency on it, so rmdir fails with -EBUSY before this.
 */
static void nepf_subsys_drop(struct config_group *group,
			     struct config_item *item)
{
	mutex_lock(&nepf_cfs_mutex);
	list_del(&to_cfs_subsys(item)->entry);
	mutex_unlock(&nepf_cfs_mutex);
	config_item_put(item);
}

static NEPF_CONFIGFS_CONST struct configfs_group_operations nepf_subsystems_group_ops = {
	.make_group = nepf_subsys_make,
	.drop_item = nepf_subsys_drop,
};

const struct config_item_type nepf_subsystems_type = {
	.ct_group_ops = &nepf_subsystems_group_ops,
	.ct_owner = THIS_MODULE,
};
