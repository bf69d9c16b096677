// SPDX-License-Identifier: GPL-2.0
/* blkdev_get_by_path(path, blk_mode_t, holder, hops), blkdev_put(bdev, holder) (6.5, 6.6) */
#include <linux/blkdev.h>
struct block_device *nepf_probe(const char *path);
struct block_device *nepf_probe(const char *path)
{
	struct block_device *b = blkdev_get_by_path(path, BLK_OPEN_READ, NULL, NULL);

	blkdev_put(b, NULL);
	return b;
}
