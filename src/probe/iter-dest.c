// SPDX-License-Identifier: GPL-2.0
/* ITER_DEST/ITER_SOURCE name the iov_iter directions (6.1+; before: READ/WRITE) */
#include <linux/uio.h>
int nepf_probe = ITER_DEST + ITER_SOURCE;
