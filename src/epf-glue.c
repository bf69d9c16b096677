// SPDX-License-Identifier: GPL-2.0
/* epf-glue.c: not written yet. */
