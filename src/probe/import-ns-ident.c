// SPDX-License-Identifier: GPL-2.0
/* MODULE_IMPORT_NS() takes an identifier (before 6.13; now a string literal) */
#include <linux/module.h>
MODULE_IMPORT_NS(NEPF_PROBE_NS);
