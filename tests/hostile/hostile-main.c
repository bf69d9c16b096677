// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-main.c - nvme_hostile.ko: a test-only PCI driver with no ID
 * table, bound by hand to the NVMe device under test:
 *
 *   echo $BDF > /sys/bus/pci/drivers/nvme/unbind
 *   echo nvme_hostile > /sys/bus/pci/devices/$BDF/driver_override
 *   echo $BDF > /sys/bus/pci/drivers_probe
 *   echo run > /sys/kernel/debug/nvme_hostile/run   # runs every case
 *   echo dma > /sys/kernel/debug/nvme_hostile/run   # unmapped-memory cases
 *                            # only, for nvme_epf dma_min_len=1 (*-dma)
 *   cat /sys/kernel/debug/nvme_hostile/run          # PASS:/FAIL: lines
 *
 * It owns the controller while bound; unbind it and clear
 * driver_override to give the device back to the nvme driver.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "hostile.h"

#define H_OUT_SIZE	(64 * 1024)

static DEFINE_MUTEX(h_lock);		/* the bound device and the report */
static struct hostile *h_dev;
static char *h_report;
static size_t h_report_len;
static struct dentry *h_dir;

void h_out(struct hostile *h, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (h->out_len >= h->out_size)
		return;
	va_start(ap, fmt);
	n = vscnprintf(h->out + h->out_len, h->out_size - h->out_len, fmt, ap);
	va_end(ap);
	h->out_len += n;
}

static int h_alloc_queue(struct hostile *h, struct hq *q, u16 qid, bool cq)
{
	q->qid = qid;
	q->cq = cq;
	q->size = HQ_DEPTH;
	q->ring = dma_alloc_coherent(&h->pdev->dev, PAGE_SIZE, &q->dma, GFP_KERNEL);
	return q->ring ? 0 : -ENOMEM;
}

static void h_free_queue(struct hostile *h, struct hq *q)
{
	if (q->ring)
		dma_free_coherent(&h->pdev->dev, PAGE_SIZE, q->ring, q->dma);
}

static void h_free(struct hostile *h)
{
	struct device *dev = &h->pdev->dev;

	h_free_queue(h, &h->asq);
	h_free_queue(h, &h->acq);
	h_free_queue(h, &h->iosq);
	h_free_queue(h, &h->iocq);
	if (h->buf)
		dma_free_coherent(dev, H_BUF_SIZE, h->buf, h->buf_dma);
	if (h->list)
		dma_free_coherent(dev, PAGE_SIZE, h->list, h->list_dma);
	if (h->unmapped)
		__free_page(h->unmapped);
	kfree(h);
}

static int h_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct hostile *h;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->pdev = pdev;
	h->bar = pcim_iomap(pdev, 0, 0);
	ret = -ENOMEM;
	if (!h->bar)
		goto err;
	if (h_alloc_queue(h, &h->asq, 0, false) || h_alloc_queue(h, &h->acq, 0, true) ||
	    h_alloc_queue(h, &h->iosq, HQ_IOQID, false) ||
	    h_alloc_queue(h, &h->iocq, HQ_IOQID, true))
		goto err;
	h->buf = dma_alloc_coherent(dev, H_BUF_SIZE, &h->buf_dma, GFP_KERNEL);
	h->list = dma_alloc_coherent(dev, PAGE_SIZE, &h->list_dma, GFP_KERNEL);
	/* Never DMA-mapped: the checking IOMMU refuses the device there. */
	h->unmapped = alloc_page(GFP_KERNEL);
	if (!h->buf || !h->list || !h->unmapped)
		goto err;
	h->cap = h_rd64(h, NVME_REG_CAP);
	h->dstrd = 4U << NVME_CAP_STRIDE(h->cap);
	h->timeout_ms = max_t(u32, NVME_CAP_TIMEOUT(h->cap) * 500, 2000);
	h->mqes = NVME_CAP_MQES(h->cap);
	pci_set_drvdata(pdev, h);
	mutex_lock(&h_lock);
	h_dev = h;
	mutex_unlock(&h_lock);
	dev_info(dev, "nvme_hostile bound: CAP %#llx (test only: misbehaves on purpose)\n",
		 h->cap);
	return 0;
err:
	h_free(h);
	return ret;
}

static void h_remove(struct pci_dev *pdev)
{
	struct hostile *h = pci_get_drvdata(pdev);

	mutex_lock(&h_lock);
	h_dev = NULL;
	mutex_unlock(&h_lock);
	/* Leave no queue pointing at memory about to be freed. */
	h_disable(h);
	h_free(h);
}

static struct pci_driver h_driver = {
	.name = "nvme_hostile",
	.id_table = NULL,	/* driver_override only */
	.probe = h_probe,
	.remove = h_remove,
};

static ssize_t h_run_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct hostile *h;
	ssize_t ret = count;
	char kbuf[8] = "";

	if (copy_from_user(kbuf, ubuf, min(count, sizeof(kbuf) - 1)))
		return -EFAULT;

	mutex_lock(&h_lock);
	h = h_dev;
	if (!h) {
		ret = -ENODEV;
		goto out;
	}
	kvfree(h_report);
	h_report_len = 0;
	h->out = kvzalloc(H_OUT_SIZE, GFP_KERNEL);
	if (!h->out) {
		h_report = NULL;
		ret = -ENOMEM;
		goto out;
	}
	h->out_size = H_OUT_SIZE;
	h->out_len = 0;
	h->passed = 0;
	h->failed = 0;
	h_run_cases(h, count >= 3 && !strncmp(kbuf, "dma", 3),
		    count >= 7 && !strncmp(kbuf, "windows", 7));
	h_report = h->out;
	h_report_len = h->out_len;
	h->out = NULL;
out:
	mutex_unlock(&h_lock);
	return ret;
}

static ssize_t h_run_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&h_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, h_report ?: "",
				      h_report_len);
	mutex_unlock(&h_lock);
	return ret;
}

static const struct file_operations h_run_fops = {
	.owner = THIS_MODULE,
	.write = h_run_write,
	.read = h_run_read,
	.llseek = default_llseek,
};

static int __init h_init(void)
{
	int ret;

	h_dir = debugfs_create_dir("nvme_hostile", NULL);
	debugfs_create_file("run", 0600, h_dir, NULL, &h_run_fops);
	ret = pci_register_driver(&h_driver);
	if (ret)
		debugfs_remove_recursive(h_dir);
	return ret;
}

static void __exit h_exit(void)
{
	pci_unregister_driver(&h_driver);
	debugfs_remove_recursive(h_dir);
	kvfree(h_report);
}

module_init(h_init);
module_exit(h_exit);
MODULE_DESCRIPTION("Test only: a misbehaving NVMe host driver for nvme-epf");
MODULE_LICENSE("GPL");
