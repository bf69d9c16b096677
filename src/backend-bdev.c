// SPDX-License-Identifier: GPL-2.0
/* backend-bdev.c: not written yet. */
