// SPDX-License-Identifier: GPL-2.0
/* core.c: not written yet. */
