// SPDX-License-Identifier: GPL-2.0
/* irq.c: not written yet. */
