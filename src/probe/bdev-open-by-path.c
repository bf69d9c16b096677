// SPDX-License-Identifier: GPL-2.0
/* bdev_open_by_path() returns a struct bdev_handle (6.7, 6.8) */
#include <linux/blkdev.h>
struct bdev_handle *nepf_probe(const char *path);
struct bdev_handle *nepf_probe(const char *path)
{
	struct bdev_handle *h = bdev_open_by_path(path, BLK_OPEN_READ, NULL, NULL);

	bdev_release(h);
	return h;
}
