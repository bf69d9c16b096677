// SPDX-License-Identifier: GPL-2.0
/* backend-null.c: not written yet. */
