// SPDX-License-Identifier: GPL-2.0
/* BIO_MAX_VECS is the bio size limit (5.12+; BIO_MAX_PAGES before) */
#include <linux/bio.h>
unsigned int nepf_probe = BIO_MAX_VECS;
