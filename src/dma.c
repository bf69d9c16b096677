// SPDX-License-Identifier: GPL-2.0
/* dma.c: not written yet. */
