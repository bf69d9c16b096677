// SPDX-License-Identifier: GPL-2.0
/* bar-regs.c: not written yet. */
