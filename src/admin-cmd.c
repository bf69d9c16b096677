// SPDX-License-Identifier: GPL-2.0
/* admin-cmd.c: not written yet. */
