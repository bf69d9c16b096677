// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-io-cmd.c - libFuzzer target: NVM command decoding and validation.
 *
 * Input: [0] namespace flags (bit 0 read-only, 1 native write zeroes,
 * 2 discard, 3 volatile cache, 4 4K blocks, 5 SGLs, 6 second namespace),
 * [1] backend result, [2..5] capacity in blocks - 1 (le32), [6] MDTS in
 * 4 KiB units (0 = none), [7..70] the SQE, then the host memory.
 *
 * The backend is a checker: it aborts if it is handed an LBA range
 * outside the namespace or a buffer that does not match the length.  It
 * ends every I/O inside its submit, so nepf_io_exec() says the command
 * ended and the harness finishes it there (a Copy runs all its steps in
 * nepf_io_finish()); the stand-in for the core's deferral would finish
 * it synchronously too.  Every command must complete exactly once, free
 * its buffers and drop its namespace reference.
 *
 * fuzz-sources: src/prp-sgl.c src/io-cmd.c
 */
#include "fuzz-host.h"
#include "io-cmd.h"

#define HDR	(7 + NVME_SQE_SIZE)

static struct nepf_ctrl ctrl;
static struct nepf_ns ns[2];
static struct nepf_cmd cmd;
static enum nepf_io_result backend_result;
static unsigned int completions;

static void check_range(const struct nepf_ns *n, u64 pos, u64 len)
{
	u64 cap = n->nr_blocks << n->lba_shift;
	u64 bmask = (1ULL << n->lba_shift) - 1;

	if (!len || pos > cap || len > cap - pos)
		fuzz_fail("backend I/O outside the namespace");
	if ((pos | len) & bmask)
		fuzz_fail("backend I/O not block aligned");
}

static void fake_submit(struct nepf_io *io)
{
	unsigned int i;

	if (io->cmd != &cmd || io->ns != cmd.ns)
		fuzz_fail("io not linked to its command");
	switch (io->op) {
	case NEPF_IO_READ:
	case NEPF_IO_WRITE:
		/* Copy reads its source ranges into parts of its buffer. */
		if (!io->buf || (u8 *)io->buf < (u8 *)cmd.buf ||
		    (u8 *)io->buf + io->len > (u8 *)cmd.buf + cmd.data_len ||
		    (cmd.sqe.opcode != nvme_cmd_copy && io->len != cmd.data_len))
			fuzz_fail("data buffer does not match the length");
		fallthrough;
	case NEPF_IO_WRITE_ZEROES:
		check_range(io->ns, io->pos, io->len);
		if (io->op != NEPF_IO_READ && io->ns->cfg.readonly)
			fuzz_fail("write reached a read-only namespace");
		if (io->op == NEPF_IO_READ)
			memset(io->buf, 0x3c, io->len);
		break;
	case NEPF_IO_DISCARD:
		if (!io->nr_ranges || io->nr_ranges > NVME_DSM_MAX_RANGES ||
		    !io->ns->can_discard || io->ns->cfg.readonly)
			fuzz_fail("bad discard");
		for (i = 0; i < io->nr_ranges; i++)
			check_range(io->ns, io->ranges[i].pos, io->ranges[i].len);
		break;
	case NEPF_IO_FLUSH:
		break;
	default:
		fuzz_fail("unknown backend op");
	}
	nepf_io_done(io, backend_result);
}

static const struct nepf_backend_ops fake_backend = {
	.name = "fuzz",
	.submit = fake_submit,
};

/* The core's side, reduced to what an I/O command needs. */
void nepf_cmd_backend_done(struct nepf_cmd *c, u16 status)
{
	c->status = status;
	c->ctrl->env->defer(c->ctrl, c);
}

static void fake_finish(struct nepf_cmd *c)
{
	if (nepf_io_finish(c))
		return;			/* Copy's next step was submitted */
	if (c->ns)
		nepf_ns_put(c->ns);
	completions++;
}

static void setup(const u8 *data)
{
	u8 f = data[0];
	int i;

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.name = "fuzz";
	ctrl.env = &fuzz_env_ops;
	ctrl.page_size = 4096;
	ctrl.cfg.mdts_kb = data[6] * 4;
	ctrl.cfg.sgl = f & BIT(5);
	spin_lock_init(&ctrl.log_lock);
	for (i = 0; i < 2; i++) {
		nepf_ns_uncor_free(&ns[i]);	/* Write Uncorrectable's set */
		memset(&ns[i], 0, sizeof(ns[i]));
		nepf_ns_init(&ns[i]);
		ns[i].nsid = i + 1;
		ns[i].ops = &fake_backend;
		ns[i].cfg.readonly = f & BIT(0);
		ns[i].can_write_zeroes = f & BIT(1);
		ns[i].can_discard = f & BIT(2);
		ns[i].volatile_cache = f & BIT(3);
		ns[i].lba_shift = f & BIT(4) ? 12 : 9;
		ns[i].nr_blocks = (u64)fuzz_le32(data + 2) + 1;
	}
	ctrl.ns[0] = &ns[0];
	if (f & BIT(6))
		ctrl.ns[1] = &ns[1];
	backend_result = data[1] % (NEPF_IO_ERR_READONLY + 1);
	fuzz_host.finish = fake_finish;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u16 status;

	if (size < HDR)
		return 0;
	setup(data);
	fuzz_host_reset(data + HDR, size - HDR);
	memset(&cmd, 0, sizeof(cmd));
	cmd.ctrl = &ctrl;
	cmd.sqid = 1;
	cmd.cqid = 1;
	memcpy(&cmd.sqe, data + 7, sizeof(cmd.sqe));
	completions = 0;

	if (nepf_io_exec(&cmd))
		fake_finish(&cmd);	/* ended inside the submit */

	status = cmd.status;
	if (completions != 1)
		fuzz_fail("command did not complete exactly once");
	if (fuzz_host.bufs || cmd.buf || cmd.segs)
		fuzz_fail("buffers left behind");
	if (nepf_ns_users(&ns[0]) || nepf_ns_users(&ns[1]))
		fuzz_fail("namespace reference leaked");
	if (status & ~(NVME_STATUS_DNR | NVME_SCT_MASK | NVME_SC_MASK))
		fuzz_fail("status has stray bits");
	return 0;
}
