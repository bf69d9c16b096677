// SPDX-License-Identifier: GPL-2.0
/* io-cmd.c: not written yet. */
