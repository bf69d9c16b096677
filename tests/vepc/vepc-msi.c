// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts from the function to the host driver.
 *
 * MSI/MSI-X: the harness is its own MSI parent domain (the pattern of
 * pcie-xilinx): a message is (tag address, data = hwirq). raise_irq()
 * reads the message the host programmed (MSI capability or the MSI-X
 * table in BAR memory) and, if it carries our tag, handles that hwirq
 * directly: no GIC doorbell, no requester-id dependency, works on every
 * kernel vepc supports.  The MSI domain itself is made in
 * vepc-msi-parent.c (kernels with MSI parent domains, 6.12+) or in
 * vepc-msi-legacy.c (a PCI/MSI domain stacked on ours: 5.10, 6.1); Kbuild
 * picks one.
 *
 * INTx: a one-interrupt linear domain; the pin is raised as a pulse.
 */
#define pr_fmt(fmt) "vepc: " fmt

#include <linux/bitmap.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>

#include "vepc.h"
#include "vepc-compat.h"

static void vepc_msi_compose(struct irq_data *d, struct msi_msg *msg)
{
	struct vepc *v = irq_data_get_irq_chip_data(d);

	msg->address_lo = lower_32_bits(v->msi_tag);
	msg->address_hi = upper_32_bits(v->msi_tag);
	msg->data = d->hwirq;
}

/* Delivery is a function call on whatever CPU raises it: any mask is fine */
static int vepc_msi_set_affinity(struct irq_data *d,
				 const struct cpumask *mask, bool force)
{
	irq_data_update_effective_affinity(d, mask);
	return IRQ_SET_MASK_OK;
}

static void vepc_msi_nop(struct irq_data *d)
{
}

static struct irq_chip vepc_msi_bottom_chip = {
	.name = "vepc-msi",
	.irq_compose_msi_msg = vepc_msi_compose,
	.irq_set_affinity = vepc_msi_set_affinity,
	.irq_mask = vepc_msi_nop,
	.irq_unmask = vepc_msi_nop,
	.irq_ack = vepc_msi_nop,
};

int vepc_msi_alloc(struct irq_domain *d, unsigned int virq,
		   unsigned int nr_irqs, void *args)
{
	struct vepc *v = d->host_data;
	unsigned long flags;
	int hwirq, i;

	/* multi-MSI needs a naturally aligned block */
	spin_lock_irqsave(&v->msi_lock, flags);
	hwirq = bitmap_find_free_region(v->msi_used, VEPC_MSI_HWIRQS,
					order_base_2(nr_irqs));
	spin_unlock_irqrestore(&v->msi_lock, flags);
	if (hwirq < 0)
		return -ENOSPC;
	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_info(d, virq + i, hwirq + i, &vepc_msi_bottom_chip,
				    v, handle_simple_irq, NULL, NULL);
	return 0;
}

void vepc_msi_free(struct irq_domain *d, unsigned int virq,
		   unsigned int nr_irqs)
{
	struct irq_data *data = irq_domain_get_irq_data(d, virq);
	struct vepc *v = d->host_data;
	unsigned long flags;

	spin_lock_irqsave(&v->msi_lock, flags);
	bitmap_release_region(v->msi_used, data->hwirq, order_base_2(nr_irqs));
	spin_unlock_irqrestore(&v->msi_lock, flags);
}

static int vepc_intx_map(struct irq_domain *d, unsigned int virq,
			 irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &dummy_irq_chip, handle_simple_irq);
	irq_set_chip_data(virq, d->host_data);
	return 0;
}

static const struct irq_domain_ops vepc_intx_domain_ops = {
	.map = vepc_intx_map,
	.xlate = irq_domain_xlate_onecell,
};

int vepc_irq_init(struct vepc *v)
{
	v->msi_fwnode = irq_domain_alloc_named_fwnode("vepc-msi");
	v->intx_fwnode = irq_domain_alloc_named_fwnode("vepc-intx");
	if (!v->msi_fwnode || !v->intx_fwnode)
		goto err;
	if (vepc_msi_domain_create(v))
		goto err;

	v->intx_domain = irq_domain_create_linear(v->intx_fwnode, 1,
						  &vepc_intx_domain_ops, v);
	if (!v->intx_domain)
		goto err_msi;
	v->intx_virq = irq_create_mapping(v->intx_domain, 0);
	if (!v->intx_virq)
		goto err_intx;
	return 0;

err_intx:
	irq_domain_remove(v->intx_domain);
err_msi:
	vepc_msi_domain_remove(v);
err:
	if (v->intx_fwnode)
		irq_domain_free_fwnode(v->intx_fwnode);
	if (v->msi_fwnode)
		irq_domain_free_fwnode(v->msi_fwnode);
	return -ENOMEM;
}

void vepc_irq_exit(struct vepc *v)
{
	irq_dispose_mapping(v->intx_virq);
	irq_domain_remove(v->intx_domain);
	vepc_msi_domain_remove(v);
	irq_domain_free_fwnode(v->intx_fwnode);
	irq_domain_free_fwnode(v->msi_fwnode);
}

static int vepc_deliver(struct vepc *v, u64 addr, u32 data)
{
	if (addr != v->msi_tag) {
		dev_err_ratelimited(v->dev, "MSI to 0x%llx: not our message address\n",
				    addr);
		return -EINVAL;
	}
	return vepc_handle_domain_irq_safe(v->msi_domain, data);
}

static int vepc_raise_msix(struct vepc *v, u16 num)
{
	unsigned int nvec;
	void __iomem *entry;
	bool masked;
	u64 addr;
	u32 data, ctrl;

	if (!vepc_cfg_msix(v, &nvec, &masked) || masked || !num || num > nvec ||
	    !v->bar_virt)
		return -EINVAL;
	entry = (void __iomem *)v->bar_virt + v->msix_offset +
		(num - 1) * PCI_MSIX_ENTRY_SIZE;
	addr = readl(entry + PCI_MSIX_ENTRY_LOWER_ADDR) |
	       (u64)readl(entry + PCI_MSIX_ENTRY_UPPER_ADDR) << 32;
	data = readl(entry + PCI_MSIX_ENTRY_DATA);
	ctrl = readl(entry + PCI_MSIX_ENTRY_VECTOR_CTRL);
	/* As dw_pcie_ep_raise_msix_irq(): the function keeps it pending. */
	if (ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT)
		return -EPERM;
	return vepc_deliver(v, addr, data);
}

static int vepc_raise_msi(struct vepc *v, u16 num)
{
	unsigned int nvec;
	u64 addr;
	u16 data;

	if (!vepc_cfg_msi(v, &addr, &data, &nvec) || !num || num > nvec)
		return -EINVAL;
	return vepc_deliver(v, addr, data | (num - 1));
}

static int vepc_raise_intx(struct vepc *v)
{
	if (!vepc_cfg_read(v, PCI_INTERRUPT_PIN, 1) ||
	    (vepc_cfg_cmd(v) & PCI_COMMAND_INTX_DISABLE))
		return -EINVAL;
	return vepc_handle_irq_safe(v->intx_virq);
}

int vepc_raise_irq(struct vepc *v, unsigned int type, u16 num)
{
	int ret;

	/* calls by type, delivered or not */
	if (type == PCI_IRQ_INTX)
		vepc_count_op(v, VEPC_OP_RAISE_INTX);
	else if (type == PCI_IRQ_MSI)
		vepc_count_op(v, VEPC_OP_RAISE_MSI);
	else if (type == PCI_IRQ_MSIX)
		vepc_count_op(v, VEPC_OP_RAISE_MSIX);
	/* posted writes through open windows land before the interrupt */
	vepc_win_flush_all(v);
	if (!v->linked || vepc_link_cut_off(v, "interrupt"))
		return -ENOLINK;
	switch (type) {
	case PCI_IRQ_INTX:
		ret = vepc_raise_intx(v);
		if (!ret)
			atomic_inc(&v->stats.irq_intx);
		break;
	case PCI_IRQ_MSI:
		ret = vepc_raise_msi(v, num);
		if (!ret)
			atomic_inc(&v->stats.irq_msi);
		break;
	case PCI_IRQ_MSIX:
		ret = vepc_raise_msix(v, num);
		if (!ret)
			atomic_inc(&v->stats.irq_msix);
		break;
	default:
		return -EINVAL;
	}
	if (ret)
		atomic_inc(&v->stats.irq_dropped);
	return ret;
}
