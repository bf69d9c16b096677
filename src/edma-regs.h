/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edma-regs.h - the DesignWare PCIe eDMA (v0, unrolled map) registers that
 * edma-core.c programs.  Offsets are from the start of the eDMA register
 * block (devicetree reg "dma", or the "atu" space + 0x80000 on DWC cores
 * that place it there: docs/edma.md).  The layout is the public one of
 * Linux's drivers/dma/dw-edma/dw-edma-v0-regs.h; the "legacy" viewport
 * layout and HDMA are not supported.
 *
 * Direction names are the engine's: a "write" channel writes to the PCI
 * side (local memory -> host), a "read" channel reads from it.
 */
#ifndef NEPF_EDMA_REGS_H
#define NEPF_EDMA_REGS_H

#define EDMA_REG_CTRL			0x008
#define  EDMA_CTRL_NUM_WR(v)		((v) & 0xf)
#define  EDMA_CTRL_NUM_RD(v)		(((v) >> 16) & 0xf)

/* Per direction: write (to the PCI side) then read (from it). */
#define EDMA_REG_WR_ENGINE_EN		0x00c
#define EDMA_REG_WR_DOORBELL		0x010
#define EDMA_REG_RD_ENGINE_EN		0x02c
#define EDMA_REG_RD_DOORBELL		0x030
#define  EDMA_DOORBELL_STOP		0x80000000u	/* abort the channel */
#define EDMA_REG_WR_INT_STATUS		0x04c
#define EDMA_REG_WR_INT_MASK		0x054
#define EDMA_REG_WR_INT_CLEAR		0x058
#define EDMA_REG_WR_ERR_STATUS		0x05c
#define EDMA_REG_WR_LL_ERR_EN		0x090
#define EDMA_REG_RD_INT_STATUS		0x0a0
#define EDMA_REG_RD_INT_MASK		0x0a8
#define EDMA_REG_RD_INT_CLEAR		0x0ac
#define EDMA_REG_RD_ERR_STATUS_LO	0x0b4
#define EDMA_REG_RD_ERR_STATUS_HI	0x0b8
#define EDMA_REG_RD_LL_ERR_EN		0x0c4

/* Interrupt status/mask/clear: bit ch = done, bit 16 + ch = abort. */
#define EDMA_INT_DONE(ch)		BIT(ch)
#define EDMA_INT_ABORT(ch)		BIT(16 + (ch))
#define EDMA_INT_ALL			0x00ff00ffu

/*
 * Error status.  Write channels: bit ch = local (AXI) read error,
 * bit 16 + ch = linked-list element fetch error.  Read channels, low
 * word: bit ch = local write error, 16 + ch = element fetch error; high
 * word: bit ch = Unsupported Request, 8 + ch = Completer Abort,
 * 16 + ch = completion timeout, 24 + ch = poisoned data.
 */

/* Channel context: unrolled, 0x200 per channel, read context at +0x100. */
#define EDMA_CH_BASE(rd, ch)		(0x200 + (ch) * 0x200 + ((rd) ? 0x100 : 0))
#define EDMA_CH_CTRL1			0x00
#define EDMA_CH_SIZE			0x08
#define EDMA_CH_SAR_LO			0x0c
#define EDMA_CH_SAR_HI			0x10
#define EDMA_CH_DAR_LO			0x14
#define EDMA_CH_DAR_HI			0x18
#define EDMA_CH_LLP_LO			0x1c
#define EDMA_CH_LLP_HI			0x20
#define EDMA_REG_BLOCK_SIZE		0x1200	/* 8 channels */

/* Channel control 1, and the control word of list elements. */
#define EDMA_CTL_CB			BIT(0)	/* cycle bit */
#define EDMA_CTL_TCB			BIT(1)	/* toggle cycle bit (link) */
#define EDMA_CTL_LLP			BIT(2)	/* link element */
#define EDMA_CTL_LIE			BIT(3)	/* local interrupt */
#define EDMA_CTL_RIE			BIT(4)	/* remote (to the host): never */
#define EDMA_CTL_CS(v)			(((v) >> 5) & 3)
#define  EDMA_CS_RUNNING		1
#define  EDMA_CS_HALTED			2
#define  EDMA_CS_STOPPED		3
#define EDMA_CTL_CCS			BIT(8)	/* consumer cycle state */
#define EDMA_CTL_LLE			BIT(9)	/* linked-list mode */

#define EDMA_MAX_CH			8
#define EDMA_LL_ELEM_SIZE		24	/* data and link elements alike */

#endif /* NEPF_EDMA_REGS_H */
