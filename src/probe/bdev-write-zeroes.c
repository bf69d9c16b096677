// SPDX-License-Identifier: GPL-2.0
/* bdev_write_zeroes_sectors() */
#include <linux/blkdev.h>
unsigned int nepf_probe(struct block_device *bdev);
unsigned int nepf_probe(struct block_device *bdev)
{
	return bdev_write_zeroes_sectors(bdev);
}
