// SPDX-License-Identifier: GPL-2.0
/*
 * The host-visible type-0 configuration space, built from what the function
 * programmed (write_header, set_bar, set_msi, set_msix). A per-byte write
 * mask makes BAR sizing, command bits and the MSI/MSI-X control fields
 * behave like hardware; everything else is read-only.
 */
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vepc.h"

static void cfg_w8(struct vepc *v, int off, u8 val, u8 wmask)
{
	v->cfg[off] = val;
	v->wmask[off] = wmask;
}

static void cfg_w16(struct vepc *v, int off, u16 val, u16 wmask)
{
	cfg_w8(v, off, val & 0xff, wmask & 0xff);
	cfg_w8(v, off + 1, val >> 8, wmask >> 8);
}

static void cfg_w32(struct vepc *v, int off, u32 val, u32 wmask)
{
	cfg_w16(v, off, val & 0xffff, wmask & 0xffff);
	cfg_w16(v, off + 2, val >> 16, wmask >> 16);
}

static u32 cfg_r(struct vepc *v, int off, int size)
{
	u32 val = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		val = (val << 8) | v->cfg[off + i];
	return val;
}

void vepc_cfg_reset(struct vepc *v)
{
	unsigned long flags;

	spin_lock_irqsave(&v->cfg_lock, flags);
	memset(v->cfg, 0, sizeof(v->cfg));
	memset(v->wmask, 0, sizeof(v->wmask));
	cfg_w32(v, PCI_VENDOR_ID, 0xffffffff, 0);
	cfg_w16(v, PCI_COMMAND, 0, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		PCI_COMMAND_PARITY | PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
	cfg_w8(v, PCI_CACHE_LINE_SIZE, 0, 0xff);
	cfg_w8(v, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL, 0);
	cfg_w8(v, PCI_INTERRUPT_LINE, 0, 0xff);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
}

void vepc_cfg_write_header(struct vepc *v, const struct pci_epf_header *hdr)
{
	unsigned long flags;

	spin_lock_irqsave(&v->cfg_lock, flags);
	cfg_w16(v, PCI_VENDOR_ID, hdr->vendorid, 0);
	cfg_w16(v, PCI_DEVICE_ID, hdr->deviceid, 0);
	cfg_w8(v, PCI_REVISION_ID, hdr->revid, 0);
	cfg_w8(v, PCI_CLASS_PROG, hdr->progif_code, 0);
	cfg_w8(v, PCI_CLASS_DEVICE, hdr->subclass_code, 0);
	cfg_w8(v, PCI_CLASS_DEVICE + 1, hdr->baseclass_code, 0);
	cfg_w8(v, PCI_CACHE_LINE_SIZE, hdr->cache_line_size, 0xff);
	cfg_w16(v, PCI_SUBSYSTEM_VENDOR_ID, hdr->subsys_vendor_id, 0);
	cfg_w16(v, PCI_SUBSYSTEM_ID, hdr->subsys_id, 0);
	cfg_w8(v, PCI_INTERRUPT_PIN, hdr->interrupt_pin, 0);
	v->hdr_set = true;
	spin_unlock_irqrestore(&v->cfg_lock, flags);
}

/* BAR0 only: 64-bit memory BAR whose writable bits encode its size. */
void vepc_cfg_set_bar(struct vepc *v, bool set)
{
	u32 type = 0, lo_mask = 0, hi_mask = 0;
	unsigned long flags;

	if (set) {
		type = PCI_BASE_ADDRESS_MEM_TYPE_64 |
		       (v->bar_flags & PCI_BASE_ADDRESS_MEM_PREFETCH);
		lo_mask = ~(u32)(v->bar_size - 1) & PCI_BASE_ADDRESS_MEM_MASK;
		hi_mask = 0xffffffff;
	}
	spin_lock_irqsave(&v->cfg_lock, flags);
	cfg_w32(v, PCI_BASE_ADDRESS_0, type, lo_mask);
	cfg_w32(v, PCI_BASE_ADDRESS_1, 0, hi_mask);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
}

/*
 * Capability list: MSI (64-bit) and MSI-X, each only if the function set it
 * up and the module parameters do not hide it (fallback tests).
 */
void vepc_cfg_build_caps(struct vepc *v)
{
	bool msi = v->msi_count && !vepc_no_msi;
	bool msix = v->msix_count && !vepc_no_msix;
	unsigned long flags;
	u8 first = 0;

	spin_lock_irqsave(&v->cfg_lock, flags);
	memset(v->cfg + VEPC_CAP_MSI, 0, VEPC_CFG_SIZE - VEPC_CAP_MSI);
	memset(v->wmask + VEPC_CAP_MSI, 0, VEPC_CFG_SIZE - VEPC_CAP_MSI);
	if (msix) {
		/* Table Size is N-1 and must stay readable (see notes) */
		cfg_w8(v, VEPC_CAP_MSIX + PCI_CAP_LIST_ID, PCI_CAP_ID_MSIX, 0);
		cfg_w8(v, VEPC_CAP_MSIX + PCI_CAP_LIST_NEXT, 0, 0);
		cfg_w16(v, VEPC_CAP_MSIX + PCI_MSIX_FLAGS, v->msix_count - 1,
			PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
		cfg_w32(v, VEPC_CAP_MSIX + PCI_MSIX_TABLE,
			v->msix_offset | v->msix_bir, 0);
		cfg_w32(v, VEPC_CAP_MSIX + PCI_MSIX_PBA,
			(v->msix_offset + v->msix_count * PCI_MSIX_ENTRY_SIZE) |
			v->msix_bir, 0);
		first = VEPC_CAP_MSIX;
	}
	if (msi) {
		cfg_w8(v, VEPC_CAP_MSI + PCI_CAP_LIST_ID, PCI_CAP_ID_MSI, 0);
		cfg_w8(v, VEPC_CAP_MSI + PCI_CAP_LIST_NEXT, first, 0);
		cfg_w16(v, VEPC_CAP_MSI + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT |
			FIELD_PREP(PCI_MSI_FLAGS_QMASK, ilog2(v->msi_count)),
			PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
		cfg_w32(v, VEPC_CAP_MSI + PCI_MSI_ADDRESS_LO, 0, 0xfffffffc);
		cfg_w32(v, VEPC_CAP_MSI + PCI_MSI_ADDRESS_HI, 0, 0xffffffff);
		cfg_w16(v, VEPC_CAP_MSI + PCI_MSI_DATA_64, 0, 0xffff);
		first = VEPC_CAP_MSI;
	}
	cfg_w8(v, PCI_CAPABILITY_LIST, first, 0);
	cfg_w16(v, PCI_STATUS, first ? PCI_STATUS_CAP_LIST : 0, 0);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
}

u32 vepc_cfg_read(struct vepc *v, int where, int size)
{
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&v->cfg_lock, flags);
	val = cfg_r(v, where, size);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
	return val;
}

void vepc_cfg_write(struct vepc *v, int where, int size, u32 val)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&v->cfg_lock, flags);
	for (i = 0; i < size; i++, val >>= 8)
		v->cfg[where + i] = (v->cfg[where + i] & ~v->wmask[where + i]) |
				    (val & v->wmask[where + i]);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
}

u16 vepc_cfg_cmd(struct vepc *v)
{
	return vepc_cfg_read(v, PCI_COMMAND, 2);
}

u8 vepc_cfg_msi_mme(struct vepc *v)
{
	u16 ctrl = vepc_cfg_read(v, VEPC_CAP_MSI + PCI_MSI_FLAGS, 2);

	if (!v->msi_count || vepc_no_msi || !(ctrl & PCI_MSI_FLAGS_ENABLE))
		return 0;
	return FIELD_GET(PCI_MSI_FLAGS_QSIZE, ctrl);
}

/* The message the host programmed, if MSI is enabled. */
bool vepc_cfg_msi(struct vepc *v, u64 *addr, u16 *data, unsigned int *nvec)
{
	int c = VEPC_CAP_MSI;
	unsigned long flags;
	u16 ctrl;

	if (!v->msi_count || vepc_no_msi)
		return false;
	spin_lock_irqsave(&v->cfg_lock, flags);
	ctrl = cfg_r(v, c + PCI_MSI_FLAGS, 2);
	*addr = cfg_r(v, c + PCI_MSI_ADDRESS_LO, 4) |
		(u64)cfg_r(v, c + PCI_MSI_ADDRESS_HI, 4) << 32;
	*data = cfg_r(v, c + PCI_MSI_DATA_64, 2);
	spin_unlock_irqrestore(&v->cfg_lock, flags);
	*nvec = 1U << FIELD_GET(PCI_MSI_FLAGS_QSIZE, ctrl);
	return ctrl & PCI_MSI_FLAGS_ENABLE;
}

bool vepc_cfg_msix(struct vepc *v, unsigned int *nvec, bool *masked)
{
	u16 ctrl;

	if (!v->msix_count || vepc_no_msix)
		return false;
	ctrl = vepc_cfg_read(v, VEPC_CAP_MSIX + PCI_MSIX_FLAGS, 2);
	*nvec = v->msix_count;
	*masked = ctrl & PCI_MSIX_FLAGS_MASKALL;
	return ctrl & PCI_MSIX_FLAGS_ENABLE;
}
