// SPDX-License-Identifier: GPL-2.0
/* prp-sgl.c: not written yet. */
