// SPDX-License-Identifier: GPL-2.0
/* config_item_type points to const item/group operations */
#include <linux/configfs.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct config_item_type *)0)->ct_item_ops),
	const struct configfs_item_operations *), "");
_Static_assert(__builtin_types_compatible_p(typeof(((struct config_item_type *)0)->ct_group_ops),
	const struct configfs_group_operations *), "");
