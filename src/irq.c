// SPDX-License-Identifier: GPL-2.0
/*
 * irq.c - raising interrupts to the host.
 *
 * The endpoint cannot be told which interrupt type the host driver uses,
 * and the host changes it at run time (the Linux nvme driver starts with
 * one vector, then reallocates MSI-X vectors after the controller is
 * enabled).  Asking the EPC (pci_epc_get_msix/msi: its lock and config
 * space reads) on every raise costs more than the raise itself, so the
 * answer is kept (nepf_irq_refresh()) and the raise path never asks: it
 * is asked again at every register poll (cc_work: controller enable and
 * reset, the vectors the host unmasked, and in between every cc_poll_ms,
 * which bounds how long a host that changes them unannounced goes
 * unnoticed), at each Create I/O CQ (the Linux host has just set up its
 * vectors) and after a raise that failed for MSI.  The ledger counts the
 * calls made outside the register poll apart (epc_get_msi_io): 0 per I/O
 * while nothing fails.  MSI-X is preferred, then MSI, then INTx, like the
 * in-tree nvmet endpoint driver.
 * Interrupt coalescing (Features 08h/09h) is the core's: this file only
 * raises.
 */
#include <linux/module.h>
#include "glue.h"

static int nepf_raise(struct nepf_irq *irq, u8 type, u16 nr)
{
	struct nepf_costs __percpu *costs = irq->ctrl->costs;
	int ret;

	nepf_cost_inc(costs, EPC_RAISE_IRQ);
	nepf_cost_inc(costs, EPC_LOCKED);
	ret = nepf_epc_raise_irq(irq->epf, type, nr);
	if (ret)
		return ret;
	if (type == NEPF_IRQ_MSIX)
		nepf_cost_inc(costs, IRQ_MSIX);
	else if (type == NEPF_IRQ_MSI)
		nepf_cost_inc(costs, IRQ_MSI);
	else
		nepf_cost_inc(costs, IRQ_INTX);
	return 0;
}

/*
 * A masked message (0-based; INTx is 0) is not sent now: the core keeps
 * it pending and sends it when the host unmasks it.  MSI-X: the vector's
 * Mask bit in the table (the PBA shows it pending); INTx and MSI: INTMS
 * (NVMe 2.0, 3.1.4.3).
 */
static bool nepf_irq_masked(struct nepf_irq *irq, u8 type, u16 msg)
{
	if (type == NEPF_IRQ_MSIX)
		return nepf_regs_msix_hold(irq->ctrl, msg);
	return nepf_regs_irq_hold(irq->ctrl, msg);
}

/*
 * Ask the EPC which vectors the host enabled now (its lock, twice).
 * @cmd_path: asked for a command (Create I/O CQ, a failed raise), not by
 * the time-driven register poll.
 */
void nepf_irq_refresh(struct nepf_irq *irq, bool cmd_path)
{
	struct nepf_costs __percpu *costs = irq->ctrl->costs;
	int n = 0;

	if (irq->msix_capable) {
		nepf_cost_inc(costs, EPC_GET_MSIX);
		nepf_cost_inc(costs, EPC_LOCKED);
		if (cmd_path)
			nepf_cost_inc(costs, EPC_GET_MSI_IO);
		n = nepf_epc_get_msix(irq->epf);
	}
	WRITE_ONCE(irq->nr_msix, max(n, 0));
	n = 0;
	if (irq->msi_capable) {
		nepf_cost_inc(costs, EPC_GET_MSI);
		nepf_cost_inc(costs, EPC_LOCKED);
		if (cmd_path)
			nepf_cost_inc(costs, EPC_GET_MSI_IO);
		n = nepf_epc_get_msi(irq->epf);
	}
	WRITE_ONCE(irq->nr_msi, max(n, 0));
}

/* Vectors the host enabled for @type, 0 if that type is off. */
static int nepf_irq_enabled(struct nepf_irq *irq, u8 type)
{
	if (type == NEPF_IRQ_MSIX)
		return READ_ONCE(irq->nr_msix);
	if (type == NEPF_IRQ_MSI)
		return READ_ONCE(irq->nr_msi);
	return 0;
}

/*
 * Raise NVMe interrupt vector @vector (0-based).  The PCI vector number is
 * @vector + 1.  A vector the host did not enable falls back to vector 0's
 * message rather than being lost: the host then polls every queue that
 * shares it, which is always correct, only slower.  While MSI-X or MSI is
 * enabled, INTx is never used: the host disabled it (PCI_COMMAND bit 10).
 */
int nepf_irq_raise(struct nepf_irq *irq, u16 vector)
{
	static const u8 order[] = { NEPF_IRQ_MSIX, NEPF_IRQ_MSI };
	int i, n, ret;
	u16 msg;

	trace_nvme_epf_irq(irq->ctrl, vector);

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		n = nepf_irq_enabled(irq, order[i]);
		if (!n)
			continue;
		msg = vector < n ? vector : 0;
		if (nepf_irq_masked(irq, order[i], msg))
			return 0;
		ret = nepf_raise(irq, order[i], msg + 1);
		if (!ret)
			return 0;
		/*
		 * The EPC refuses a masked MSI-X vector (DesignWare: -EPERM)
		 * and, where it checks, the Function Mask: pending, retried
		 * by the register poll.
		 */
		if (order[i] == NEPF_IRQ_MSIX) {
			nepf_regs_msix_pend(irq->ctrl, msg);
			return 0;
		}
		/* The host may have changed its interrupts meanwhile. */
		nepf_irq_refresh(irq, true);
		goto err;
	}
	/*
	 * INTx is a pulse here (assert then deassert); the host's handler
	 * looks at the completion queues anyway.  Every EPC accepts the
	 * request or fails it (features->intx_capable is recent).
	 */
	if (nepf_irq_masked(irq, NEPF_IRQ_INTX, 0))
		return 0;
	ret = nepf_raise(irq, NEPF_IRQ_INTX, 0);
	if (!ret)
		return 0;
err:
	atomic64_inc(&irq->nr_errors);
	dev_warn_ratelimited(&irq->epf->dev, "cannot raise interrupt vector %u: %d\n",
			     vector, ret);
	return ret;
}

int nepf_irq_init(struct nepf_irq *irq, struct pci_epf *epf,
		  struct nepf_ctrl *ctrl,
		  const struct pci_epc_features *features)
{
	irq->epf = epf;
	irq->ctrl = ctrl;
	irq->msix_capable = features->msix_capable;
	irq->msi_capable = features->msi_capable;
	irq->nr_msix = 0;
	irq->nr_msi = 0;
	atomic64_set(&irq->nr_errors, 0);
	return 0;
}

void nepf_irq_exit(struct nepf_irq *irq)
{
	irq->ctrl = NULL;
}
