// SPDX-License-Identifier: GPL-2.0
/* configfs.c: not written yet. */
