// SPDX-License-Identifier: GPL-2.0
/* queues.c: not written yet. */
