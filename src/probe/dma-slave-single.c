// SPDX-License-Identifier: GPL-2.0
/* dmaengine_prep_slave_single() and dma_slave_config src_addr/dst_addr */
#include <linux/dmaengine.h>
struct dma_async_tx_descriptor *nepf_probe(struct dma_chan *c, dma_addr_t a);
struct dma_async_tx_descriptor *nepf_probe(struct dma_chan *c, dma_addr_t a)
{
	struct dma_slave_config cfg = { .src_addr = a, .dst_addr = a };

	if (dmaengine_slave_config(c, &cfg))
		return NULL;
	return dmaengine_prep_slave_single(c, a, 512, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
}
