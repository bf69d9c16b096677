// SPDX-License-Identifier: GPL-2.0
/* bio_alloc(bdev, nr_vecs, opf, gfp) (5.18+; before: bio_alloc(gfp, nr_vecs)) */
#include <linux/bio.h>
struct bio *nepf_probe(struct block_device *bdev);
struct bio *nepf_probe(struct block_device *bdev)
{
	return bio_alloc(bdev, 1, REQ_OP_READ, GFP_KERNEL);
}
