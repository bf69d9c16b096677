// SPDX-License-Identifier: GPL-2.0
/* backend-file.c: not written yet. */
