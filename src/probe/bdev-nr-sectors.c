// SPDX-License-Identifier: GPL-2.0
/* bdev_nr_sectors() (5.15+) */
#include <linux/blkdev.h>
sector_t nepf_probe(struct block_device *bdev);
sector_t nepf_probe(struct block_device *bdev)
{
	return bdev_nr_sectors(bdev);
}
