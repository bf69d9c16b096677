// SPDX-License-Identifier: GPL-2.0
/* bdev_file_open_by_path() returns a struct file (6.9+) */
#include <linux/blkdev.h>
#include <linux/fs.h>
struct file *nepf_probe(const char *path);
struct file *nepf_probe(const char *path)
{
	return bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE, NULL, NULL);
}
