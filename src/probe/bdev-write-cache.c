// SPDX-License-Identifier: GPL-2.0
/* bdev_write_cache(): the device has a volatile write cache (5.19+) */
#include <linux/blkdev.h>
bool nepf_probe(struct block_device *bdev);
bool nepf_probe(struct block_device *bdev)
{
	return bdev_write_cache(bdev);
}
