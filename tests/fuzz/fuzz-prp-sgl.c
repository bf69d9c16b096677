// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-prp-sgl.c - libFuzzer target: PRP and SGL walking.
 *
 * Input: [0] flags (bit 0: SGLs accepted, bits 2:1: page size 4K << n,
 * bit 3: a Controller Memory Buffer at FUZZ_CMB, which no list, segment
 * or data range may touch: no host read of it, no segment in it),
 * [1..4] transfer length (le32, masked to 4 MiB), [5..8] MDTS in bytes
 * (le32, 0 = none), [9..72] the SQE, then the host memory from address 0
 * (PRP lists and SGL segments live there).  Any walk must end, stay in
 * bounds and, when it succeeds, describe exactly the transfer length.
 *
 * fuzz-sources: src/prp-sgl.c
 */
#include "fuzz-host.h"
#include "prp-sgl.h"

#define HDR	(9 + NVME_SQE_SIZE)
/* The CMB (flags bit 3): inside the host memory, so a missed check reads. */
#define FUZZ_CMB	0x8000ULL
#define FUZZ_CMB_SIZE	0x4000U

static bool in_cmb(u64 addr, u64 len)
{
	return len && addr < FUZZ_CMB + FUZZ_CMB_SIZE &&
	       (addr >= FUZZ_CMB || FUZZ_CMB - addr < len);
}

static int cmb_host_read(struct nepf_ctrl *ctrl, u64 addr, void *buf,
			 size_t len)
{
	if (in_cmb(addr, len))
		fuzz_fail("a list or segment read from the CMB");
	return fuzz_env_ops.host_read(ctrl, addr, buf, len);
}

static void check_seglist(const struct nepf_seglist *sl, u32 len,
			  const struct nvme_sqe *sqe, bool cmb)
{
	u64 sum = 0;
	unsigned int i;

	if (sl->nr > NEPF_MAX_SEGS)
		fuzz_fail("seglist overflow");
	for (i = 0; i < sl->nr; i++) {
		const struct nepf_seg *s = &sl->seg[i];

		if (!s->len)
			fuzz_fail("empty segment");
		if (s->addr == NEPF_SEG_BITBUCKET) {
			if (NVME_OPC_XFER(sqe->opcode) != 2)
				fuzz_fail("bit bucket in a host-to-controller transfer");
		} else if (s->addr + s->len - 1 < s->addr) {
			fuzz_fail("segment wraps the address space");
		} else if (cmb && in_cmb(s->addr, s->len)) {
			fuzz_fail("data segment in the CMB");
		}
		sum += s->len;
	}
	if (sum != len)
		fuzz_fail("segments do not add up to the transfer length");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct nepf_seg room[NEPF_MAX_SEGS];
	static struct nepf_seglist sl;
	static struct nepf_env_ops cmb_env;
	static u8 cmb_mem[FUZZ_CMB_SIZE];
	struct nepf_xfer_limits lim;
	struct nepf_ctrl ctrl = { .name = "fuzz", .env = &fuzz_env_ops };
	struct nvme_sqe sqe;
	bool cmb;
	u32 len;
	u16 status;

	if (size < HDR)
		return 0;
	cmb = data[0] & 8;
	if (cmb) {
		cmb_env = fuzz_env_ops;
		cmb_env.host_read = cmb_host_read;
		ctrl.env = &cmb_env;
		ctrl.cmb = cmb_mem;
		ctrl.cfg.cmb_size = FUZZ_CMB_SIZE;
		ctrl.cmb_msc = FUZZ_CMB | NVME_CMBMSC_CRE | NVME_CMBMSC_CMSE;
	}
	lim.gen = ctrl.gen;
	lim.sgl = data[0] & 1;
	lim.page_size = 4096U << ((data[0] >> 1) & 3);
	len = fuzz_le32(data + 1) & ((4U << 20) - 1);
	lim.max_len = fuzz_le32(data + 5);
	memcpy(&sqe, data + 9, sizeof(sqe));
	fuzz_host_reset(data + HDR, size - HDR);

	memset(room, 0x5a, sizeof(room));
	nepf_seglist_setup(&sl, room, NEPF_MAX_SEGS);
	status = nepf_map_data_lim(&ctrl, &sqe, len, &lim, &sl);
	if (fuzz_host.bufs)
		fuzz_fail("fetch buffer leaked");
	if (status & ~(NVME_STATUS_DNR | NVME_SCT_MASK | NVME_SC_MASK))
		fuzz_fail("status has stray bits");
	if (!status)
		check_seglist(&sl, len, &sqe, cmb);
	else if (lim.max_len && len > lim.max_len &&
		 status != (NVME_SC_INVALID_FIELD | NVME_STATUS_DNR))
		fuzz_fail("MDTS exceeded without Invalid Field");
	return 0;
}
