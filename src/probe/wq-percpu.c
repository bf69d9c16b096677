// SPDX-License-Identifier: GPL-2.0
/* WQ_PERCPU names a per-CPU workqueue (6.17+, Debian 6.12.y); 7.x warns without it */
#include <linux/workqueue.h>
unsigned int nepf_probe = WQ_PERCPU;
