// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-host.c - simulated host memory and environment for the fuzzers.
 * Accesses outside the memory fail like an unmapped PCI address would.
 */
#include "fuzz-host.h"

struct fuzz_host fuzz_host;

/*
 * MDTS in bytes for targets that do not link the core (core.c has the
 * real one, which rounds to what Identify can express).
 */
__attribute__((weak)) u32 nepf_ctrl_max_xfer(const struct nepf_ctrl *ctrl)
{
	return ctrl->cfg.mdts_kb * 1024;
}

/*
 * Data buffers for targets that do not link the core (bufpool.c keeps
 * buffers for reuse; here each goes straight to env, which counts them).
 */
__attribute__((weak)) void *nepf_buf_get(struct nepf_ctrl *ctrl, u32 len)
{
	return ctrl->env->alloc_buf(ctrl, len);
}

__attribute__((weak)) void nepf_buf_put(struct nepf_ctrl *ctrl, void *buf,
					u32 len)
{
	if (buf)
		ctrl->env->free_buf(ctrl, buf, len);
}

/*
 * Host accesses for targets that do not link the core (core.c has the
 * real ones); the controller is never cut here, so the generation only
 * has to match.
 */
__attribute__((weak)) int nepf_host_read(struct nepf_ctrl *ctrl, u32 gen,
					 u64 pci_addr, void *buf, size_t len)
{
	if (gen != ctrl->gen)
		fuzz_fail("host read of a stale generation");
	return ctrl->env->host_read(ctrl, pci_addr, buf, len);
}

__attribute__((weak)) int nepf_host_write(struct nepf_ctrl *ctrl, u32 gen,
					  u64 pci_addr, const void *buf,
					  size_t len)
{
	if (gen != ctrl->gen)
		fuzz_fail("host write of a stale generation");
	return ctrl->env->host_write(ctrl, pci_addr, buf, len);
}

__attribute__((weak)) int nepf_host_xfer_segs(struct nepf_ctrl *ctrl, u32 gen,
					      const struct nepf_seg *seg,
					      unsigned int nr, void *buf,
					      bool to_host)
{
	if (gen != ctrl->gen)
		fuzz_fail("host transfer of a stale generation");
	return ctrl->env->host_xfer_segs(ctrl, seg, nr, buf, to_host);
}

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz invariant broken: %s\n", what);
	abort();
}

void fuzz_host_reset(const u8 *data, size_t size)
{
	size = min_t(size_t, size, FUZZ_HOST_MEM);
	memcpy(fuzz_host.mem, data, size);
	memset(fuzz_host.mem + size, 0, FUZZ_HOST_MEM - size);
	fuzz_host.accesses = 0;
	fuzz_host.bufs = 0;
}

static int fuzz_access(u64 addr, size_t len)
{
	if (++fuzz_host.accesses > FUZZ_MAX_ACCESSES)
		fuzz_fail("too many host accesses for one command");
	if (!len)
		fuzz_fail("zero-length host access");
	if (addr >= FUZZ_HOST_MEM || len > FUZZ_HOST_MEM - addr)
		return -EFAULT;
	return 0;
}

static int fuzz_host_read(struct nepf_ctrl *ctrl, u64 addr, void *buf, size_t len)
{
	if (fuzz_access(addr, len))
		return -EFAULT;
	memcpy(buf, fuzz_host.mem + addr, len);
	return 0;
}

static int fuzz_host_write(struct nepf_ctrl *ctrl, u64 addr, const void *buf,
			   size_t len)
{
	if (fuzz_access(addr, len))
		return -EFAULT;
	memcpy(fuzz_host.mem + addr, buf, len);
	return 0;
}

/*
 * A command's segments at once, as the kernel glue's DMA takes them (so
 * the fuzzers walk the path the board runs): every segment is tried, the
 * first failure is returned.
 */
static int fuzz_host_xfer_segs(struct nepf_ctrl *ctrl,
			       const struct nepf_seg *seg, unsigned int nr,
			       void *buf, bool to_host)
{
	u8 *p = buf;
	unsigned int i;
	int ret = 0, r;

	if (!nr)
		fuzz_fail("empty segment batch");
	for (i = 0; i < nr; p += seg[i].len, i++) {
		if (seg[i].addr == NEPF_SEG_BITBUCKET)
			continue;
		if (to_host)
			r = fuzz_host_write(ctrl, seg[i].addr, p, seg[i].len);
		else
			r = fuzz_host_read(ctrl, seg[i].addr, p, seg[i].len);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

/*
 * CQ rings kept mapped, as the kernel glue does: the handle is freed when
 * the core ends it, so a write after that is a use after free (ASan).
 */
struct fuzz_cq_map {
	u64 addr;
	size_t size;
};

static void *fuzz_cq_created(struct nepf_ctrl *ctrl, const struct nepf_cq *cq)
{
	struct fuzz_cq_map *m = malloc(sizeof(*m));

	if (m) {
		m->addr = cq->pci_addr;
		m->size = (size_t)cq->size * NVME_CQE_SIZE;
	}
	return m;	/* NULL: the core writes with host_write */
}

static void fuzz_cq_deleted(struct nepf_ctrl *ctrl, void *map)
{
	free(map);
}

static int fuzz_cq_write(struct nepf_ctrl *ctrl, void *map, u32 off,
			 const void *buf, size_t len)
{
	struct fuzz_cq_map *m = map;

	if (off > m->size || len > m->size - off)
		fuzz_fail("CQE written outside its kept ring");
	return fuzz_host_write(ctrl, m->addr + off, buf, len);
}

static int fuzz_raise_irq(struct nepf_ctrl *ctrl, u16 vector)
{
	return 0;
}

static void fuzz_defer(struct nepf_ctrl *ctrl, struct nepf_cmd *cmd)
{
	if (!fuzz_host.finish)
		fuzz_fail("defer without a finish function");
	fuzz_host.finish(cmd);
}

/* Buffers carry their size in front, to check free_buf's length. */
static void *fuzz_alloc_buf(struct nepf_ctrl *ctrl, size_t len)
{
	size_t *p;

	if (!len)
		fuzz_fail("zero-length data buffer");
	/* Large buffers fail, like a kernel allocation may (no MDTS). */
	if (len > FUZZ_MAX_BUF)
		return NULL;
	p = malloc(sizeof(*p) + len);
	if (!p)
		return NULL;
	*p = len;
	fuzz_host.bufs++;
	/* Uninitialised on purpose: MSan-like poisoning by pattern. */
	memset(p + 1, 0xa5, len);
	return p + 1;
}

static void fuzz_free_buf(struct nepf_ctrl *ctrl, void *buf, size_t len)
{
	size_t *p = (size_t *)buf - 1;

	if (*p != len)
		fuzz_fail("free_buf length differs from alloc_buf");
	fuzz_host.bufs--;
	free(p);
}

const struct nepf_env_ops fuzz_env_ops = {
	.host_read = fuzz_host_read,
	.host_write = fuzz_host_write,
	.host_xfer_segs = fuzz_host_xfer_segs,
	.raise_irq = fuzz_raise_irq,
	.defer = fuzz_defer,
	.alloc_buf = fuzz_alloc_buf,
	.free_buf = fuzz_free_buf,
	.cq_created = fuzz_cq_created,
	.cq_deleted = fuzz_cq_deleted,
	.cq_write = fuzz_cq_write,
};
