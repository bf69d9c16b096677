// SPDX-License-Identifier: GPL-2.0
/* blkdev_issue_flush() takes only the block device (5.12+; a gfp_t before) */
#include <linux/blkdev.h>
int nepf_probe(struct block_device *bdev);
int nepf_probe(struct block_device *bdev)
{
	return blkdev_issue_flush(bdev);
}
