// SPDX-License-Identifier: GPL-2.0
/*
 * Host driver for the self-test device (protocol in vepc-selftest.h). Tests
 * are run by writing a command to /sys/kernel/debug/vepc/selftest; the
 * write fails with EIO if the case failed and reading the file gives the
 * last result line:
 *   irq msix|msi|intx     allocate that interrupt type, fire every vector
 *   bar                   host MMIO writes seen by the function
 *   read|write|copy SIZE DMA   data through a window (DMA=0) or DMA (1)
 *   unmapped DMA          endpoint read of a page the host unmapped: must
 *                         fail and be refused by the checking IOMMU
 */
#define pr_fmt(fmt) "vepc-selftest: " fmt

#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "vepc.h"
#include "vepc-compat.h"
#include "vepc-selftest.h"

struct vst_vec {
	int idx;
};

struct vst_host {
	struct mutex		lock;	/* one test at a time */
	struct pci_dev		*pdev;
	void __iomem		*bar;
	unsigned int		irq_type;
	int			nvec;
	struct vst_vec		vec[VST_MSIX];
	atomic_t		hits[VST_MSIX];
	struct completion	done;
	u32			seq;
	char			result[160];
	struct dentry		*file;
	struct vepc		*v;
};

static struct vst_host vst = {
	.lock = __MUTEX_INITIALIZER(vst.lock),
};

static irqreturn_t vst_irq(int irq, void *arg)
{
	struct vst_vec *vec = arg;

	atomic_inc(&vst.hits[vec->idx]);
	complete(&vst.done);
	return IRQ_HANDLED;
}

static void vst_free_irqs(void)
{
	int i;

	for (i = 0; i < vst.nvec; i++)
		free_irq(pci_irq_vector(vst.pdev, i), &vst.vec[i]);
	if (vst.nvec)
		pci_free_irq_vectors(vst.pdev);
	vst.nvec = 0;
}

static int vst_setup_irqs(unsigned int type)
{
	int n, i, ret;

	vst_free_irqs();
	n = pci_alloc_irq_vectors(vst.pdev, 1,
				  type == PCI_IRQ_MSIX ? VST_MSIX : VST_MSI, type);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		vst.vec[i].idx = i;
		ret = request_irq(pci_irq_vector(vst.pdev, i), vst_irq,
				  IRQF_SHARED, "vepc-selftest", &vst.vec[i]);
		if (ret) {
			vst.nvec = i;
			vst_free_irqs();
			return ret;
		}
	}
	vst.nvec = n;
	/* with several types allowed, use the one the core picked */
	if (vst.pdev->msix_enabled)
		vst.irq_type = PCI_IRQ_MSIX;
	else if (vst.pdev->msi_enabled)
		vst.irq_type = PCI_IRQ_MSI;
	else
		vst.irq_type = PCI_IRQ_INTX;
	return 0;
}

/* Run one command; @vec is the 0-based vector to complete on. */
static int vst_cmd(u32 cmd, int vec, u32 *crc)
{
	void __iomem *b = vst.bar;
	u32 st;

	reinit_completion(&vst.done);
	iowrite32(cmd, b + VST_CMD);
	iowrite32(vst.irq_type, b + VST_IRQ_TYPE);
	iowrite32(vec + 1, b + VST_IRQ_NUM);
	iowrite32(VST_ST_BUSY, b + VST_STATUS);
	iowrite32(++vst.seq, b + VST_SEQ);
	if (!wait_for_completion_timeout(&vst.done, 10 * HZ))
		return -ETIMEDOUT;
	if (ioread32(b + VST_DONE_SEQ) != vst.seq)
		return -EPROTO;	/* interrupt overtook the result */
	st = ioread32(b + VST_STATUS);
	if (crc)
		*crc = ioread32(b + VST_CRC);
	return st == VST_ST_OK ? 0 : -EIO;
}

static void vst_args(u64 src, u64 dst, u32 size, bool dma, u32 seed)
{
	void __iomem *b = vst.bar;

	iowrite32(lower_32_bits(src), b + VST_SRC);
	iowrite32(upper_32_bits(src), b + VST_SRC + 4);
	iowrite32(lower_32_bits(dst), b + VST_DST);
	iowrite32(upper_32_bits(dst), b + VST_DST + 4);
	iowrite32(size, b + VST_SIZE);
	iowrite32(dma ? VST_FLAG_DMA : 0, b + VST_FLAGS);
	iowrite32(seed, b + VST_SEED);
}

#define vst_res(fmt, ...) \
	scnprintf(vst.result, sizeof(vst.result), fmt, ##__VA_ARGS__)

static int vst_test_irq(const char *kind)
{
	unsigned int type;
	int i, j, ret, before[VST_MSIX];

	if (!strcmp(kind, "msix"))
		type = PCI_IRQ_MSIX;
	else if (!strcmp(kind, "msi"))
		type = PCI_IRQ_MSI;
	else if (!strcmp(kind, "intx"))
		type = PCI_IRQ_INTX;
	else
		return -EINVAL;
	ret = vst_setup_irqs(type);
	if (ret) {
		vst_res("irq %s: no vectors (%d)", kind, ret);
		return -EIO;
	}
	for (i = 0; i < vst.nvec; i++) {
		for (j = 0; j < vst.nvec; j++)
			before[j] = atomic_read(&vst.hits[j]);
		ret = vst_cmd(VST_CMD_IRQ, i, NULL);
		for (j = 0; !ret && j < vst.nvec; j++)
			if (atomic_read(&vst.hits[j]) != before[j] + !!(i == j))
				ret = -EBADE;
		if (ret) {
			vst_res("irq %s: vector %d of %d: %d", kind, i, vst.nvec, ret);
			return -EIO;
		}
	}
	vst_res("irq %s: ok, %d vectors", kind, vst.nvec);
	return 0;
}

static int vst_test_bar(void)
{
	u8 pat[VST_SCRATCH_LEN];
	u32 crc = 0;
	int ret;

	if (ioread32(vst.bar + VST_MAGIC) != VST_MAGIC_VAL) {
		vst_res("bar: magic 0x%08x", ioread32(vst.bar + VST_MAGIC));
		return -EIO;
	}
	get_random_bytes(pat, sizeof(pat));
	memcpy_toio(vst.bar + VST_SCRATCH, pat, sizeof(pat));
	ret = vst_cmd(VST_CMD_BAR, 0, &crc);
	if (ret || crc != crc32_le(~0, pat, sizeof(pat))) {
		vst_res("bar: %d, function saw crc 0x%08x", ret, crc);
		return -EIO;
	}
	vst_res("bar: ok");
	return 0;
}

static int vst_test_data(u32 cmd, const char *name, u32 size, bool dma)
{
	struct device *dev = &vst.pdev->dev;
	u32 seed = get_random_u32(), crc = 0, want;
	dma_addr_t src_dma, dst_dma;
	u8 *src, *dst;
	int ret = -ENOMEM;
	u32 i;

	src = dma_alloc_coherent(dev, size, &src_dma, GFP_KERNEL);
	dst = dma_alloc_coherent(dev, size, &dst_dma, GFP_KERNEL);
	if (!src || !dst)
		goto out;
	get_random_bytes(src, size);
	memset(dst, 0, size);
	vst_args(src_dma, dst_dma, size, dma, seed);
	ret = vst_cmd(cmd, 0, &crc);
	if (ret)
		goto out;
	if (cmd == VST_CMD_WRITE) {
		for (i = 0; i < size && dst[i] == vst_pattern(seed, i); i++)
			;
		if (i < size)
			ret = -EBADE;
		want = crc32_le(~0, dst, size);
	} else {
		want = crc32_le(~0, src, size);
		if (cmd == VST_CMD_COPY && memcmp(src, dst, size))
			ret = -EBADE;
	}
	if (!ret && crc != want)
		ret = -EBADMSG;
out:
	if (src)
		dma_free_coherent(dev, size, src, src_dma);
	if (dst)
		dma_free_coherent(dev, size, dst, dst_dma);
	vst_res("%s %u via %s: %s (%d)", name, size, dma ? "dma" : "window",
		ret ? "FAILED" : "ok", ret);
	return ret ? -EIO : 0;
}

/*
 * The function reads a page the host has just unmapped: the checking IOMMU
 * must refuse it. A DMA read then fails; a window read "succeeds" with
 * all-ones data like on hardware, so the refusal count is what tells.
 */
static int vst_test_unmapped(bool dma)
{
	struct device *dev = &vst.pdev->dev;
	void *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int refused = atomic_read(&vst.v->stats.refusals);
	dma_addr_t addr;
	bool ok;
	int ret;

	if (!buf)
		return -ENOMEM;
	addr = dma_map_single(dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, addr)) {
		kfree(buf);
		return -ENOMEM;
	}
	dma_unmap_single(dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	vst_args(addr, 0, PAGE_SIZE, dma, 0);
	ret = vst_cmd(VST_CMD_READ, 0, NULL);
	kfree(buf);
	refused = atomic_read(&vst.v->stats.refusals) - refused;
	ok = refused == 1 && (dma ? ret == -EIO : ret == 0);
	vst_res("unmapped read via %s: %s (status %d, %d refusals)",
		dma ? "dma" : "window", ok ? "refused as expected" : "WRONG",
		ret, refused);
	return ok ? 0 : -EIO;
}

static ssize_t vst_write(struct file *f, const char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char buf[64], op[16], arg[16] = "";
	unsigned int size = 0, dma = 0;
	int n, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	n = sscanf(buf, "%15s %15s %u", op, arg, &dma);
	if (n < 1)
		return -EINVAL;
	mutex_lock(&vst.lock);
	if (!vst.pdev) {
		vst_res("no self-test device on the host side");
		ret = -ENODEV;
	} else if (!strcmp(op, "irq")) {
		ret = vst_test_irq(arg);
	} else if (!strcmp(op, "bar")) {
		ret = vst_test_bar();
	} else if (!strcmp(op, "unmapped")) {
		ret = vst_test_unmapped(arg[0] == '1');
	} else if (n == 3 && !kstrtouint(arg, 0, &size) && size && size <= SZ_4M) {
		if (!strcmp(op, "read"))
			ret = vst_test_data(VST_CMD_READ, op, size, dma);
		else if (!strcmp(op, "write"))
			ret = vst_test_data(VST_CMD_WRITE, op, size, dma);
		else if (!strcmp(op, "copy"))
			ret = vst_test_data(VST_CMD_COPY, op, size, dma);
		else
			ret = -EINVAL;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&vst.lock);
	return ret ? ret : len;
}

static ssize_t vst_read(struct file *f, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	char buf[sizeof(vst.result) + 1];
	int n;

	mutex_lock(&vst.lock);
	n = scnprintf(buf, sizeof(buf), "%s\n", vst.result);
	mutex_unlock(&vst.lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations vst_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vst_read,
	.write = vst_write,
};

static int vst_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);
	vst.bar = pcim_iomap(pdev, 0, 0);
	if (!vst.bar)
		return -ENOMEM;
	mutex_lock(&vst.lock);
	vst.pdev = pdev;
	vst.seq = ioread32(vst.bar + VST_SEQ);
	ret = vst_setup_irqs(PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (ret)
		vst.pdev = NULL;
	mutex_unlock(&vst.lock);
	return ret;
}

static void vst_remove(struct pci_dev *pdev)
{
	mutex_lock(&vst.lock);
	vst_free_irqs();
	vst.pdev = NULL;
	mutex_unlock(&vst.lock);
}

static const struct pci_device_id vst_pci_ids[] = {
	{ PCI_DEVICE(VST_VENDOR, VST_DEVICE) },
	{ }
};

static struct pci_driver vst_pci_driver = {
	.name = "vepc_selftest_host",
	.id_table = vst_pci_ids,
	.probe = vst_probe,
	.remove = vst_remove,
};

int vepc_selftest_host_register(struct vepc *v)
{
	init_completion(&vst.done);
	vst.v = v;
	vst.file = debugfs_create_file("selftest", 0600, v->debugfs, NULL,
				       &vst_fops);
	return pci_register_driver(&vst_pci_driver);
}

void vepc_selftest_host_unregister(void)
{
	pci_unregister_driver(&vst_pci_driver);
	debugfs_remove(vst.file);
}
