// SPDX-License-Identifier: GPL-2.0
/* bdev_max_discard_sectors() (5.19+; before: blk_queue_discard() + queue limits) */
#include <linux/blkdev.h>
unsigned int nepf_probe(struct block_device *bdev);
unsigned int nepf_probe(struct block_device *bdev)
{
	return bdev_max_discard_sectors(bdev);
}
