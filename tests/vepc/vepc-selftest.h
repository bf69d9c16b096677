/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The self-test device: a tiny endpoint function (vepc-selftest-ep.c) and
 * its host driver (vepc-selftest-host.c) talking through BAR0, so the
 * harness is tested without nvme_epf. Debian does not build
 * CONFIG_PCI_EPF_TEST / CONFIG_PCI_ENDPOINT_TEST, hence our own pair.
 *
 * The host writes arguments, then bumps SEQ; the function polls SEQ, does
 * the operation through DMA or an outbound window, writes CRC, STATUS and
 * DONE_SEQ, and raises the interrupt the host asked for.
 */
#ifndef VEPC_SELFTEST_H
#define VEPC_SELFTEST_H

#define VST_VENDOR	0x1234
#define VST_DEVICE	0xe9f0
#define VST_BAR_SIZE	SZ_16K
#define VST_MSI		8
#define VST_MSIX	16
#define VST_MSIX_OFF	0x1000

#define VST_MAGIC	0x00	/* function writes VST_MAGIC_VAL at bind */
#define VST_CMD		0x04
#define VST_STATUS	0x08
#define VST_FLAGS	0x0c
#define VST_SRC		0x10	/* 64-bit */
#define VST_DST		0x18	/* 64-bit */
#define VST_SIZE	0x20
#define VST_CRC		0x24
#define VST_SEED	0x28
#define VST_IRQ_TYPE	0x2c	/* PCI_IRQ_INTX / _MSI / _MSIX */
#define VST_IRQ_NUM	0x30	/* 1-based */
#define VST_SEQ		0x34
#define VST_DONE_SEQ	0x38
#define VST_SCRATCH	0x100
#define VST_SCRATCH_LEN	0x100

#define VST_MAGIC_VAL	0x43504556	/* "VEPC" */
#define VST_FLAG_DMA	BIT(0)

enum vst_cmd {
	VST_CMD_READ = 1,	/* endpoint reads SRC, CRC of the data */
	VST_CMD_WRITE,		/* endpoint writes the SEED pattern to DST */
	VST_CMD_COPY,		/* SRC -> DST */
	VST_CMD_BAR,		/* CRC of the scratch area as the function sees it */
	VST_CMD_IRQ,		/* only raise the interrupt */
};

enum vst_status {
	VST_ST_BUSY = 0,
	VST_ST_OK,
	VST_ST_ERROR,
};

/* The WRITE pattern, computed on both sides. */
static inline u8 vst_pattern(u32 seed, size_t i)
{
	return (u8)(seed * 131 + i * 7 + (i >> 8));
}

#endif /* VEPC_SELFTEST_H */
