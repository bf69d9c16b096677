// SPDX-License-Identifier: GPL-2.0
/*
 * test-edma.c - src/edma-core.c against a register model of a DesignWare
 * eDMA v0 (unrolled map), built from the same public description: CTRL
 * channel counts, engine enables, doorbells (bit 31 stops a channel),
 * channel contexts in single-block and linked-list mode with the cycle
 * bit rules, interrupt status/mask/clear, error status.  A doorbell runs
 * the transfer at once, or later (model_run) when the model defers, so
 * that several channels can be in flight; a knob aborts the next transfer
 * part-way with chosen error bits; another leaves it stuck until stopped.
 *
 * The model also checks what the hardware would not forgive or what we
 * never want: RIE set, zero sizes, a list without LIE on its last data
 * element (no done would ever come), addresses outside local or host
 * memory, a doorbell while the engine is off or the channel is running.
 */
#include "unit.h"
#include "../../src/edma.h"

#define M_LOCAL_BUS	0x40000000ull	/* engine's view of local memory */
#define M_LOCAL_SIZE	(64 * 1024)
#define M_HOST_BASE	0x800000000ull	/* PCI addresses */
#define M_HOST_SIZE	(64 * 1024)

struct model {
	struct nepf_edma e;
	u32 regs[EDMA_REG_BLOCK_SIZE / 4];
	u32 ctrl;
	u8 local[M_LOCAL_SIZE];
	u8 host[M_HOST_SIZE];
	bool defer;			/* doorbell only arms the channel */
	bool stuck;			/* armed transfers never finish */
	bool abort_next;		/* abort the next transfer ... */
	u32 abort_err;			/* ... with these NEPF_EDMA_ERR_* */
	bool armed[2][EDMA_MAX_CH];
	unsigned int act_after_reads;	/* armed channels run after N reads */
	unsigned int doorbells, lists, singles, elems;
	char violation[160];		/* first rule broken, "" if none */
};

static u32 *reg(struct model *m, u32 off)
{
	return &m->regs[off / 4];
}

static void violate(struct model *m, const char *what)
{
	if (!m->violation[0])
		snprintf(m->violation, sizeof(m->violation), "%s", what);
}

static void *local_ptr(struct model *m, u64 bus, u64 len)
{
	if (bus < M_LOCAL_BUS || len > M_LOCAL_SIZE ||
	    bus - M_LOCAL_BUS > M_LOCAL_SIZE - len)
		return NULL;
	return m->local + (bus - M_LOCAL_BUS);
}

static void *host_ptr(struct model *m, u64 pci, u64 len)
{
	if (pci < M_HOST_BASE || len > M_HOST_SIZE ||
	    pci - M_HOST_BASE > M_HOST_SIZE - len)
		return NULL;
	return m->host + (pci - M_HOST_BASE);
}

static u32 ch_reg(int rd, unsigned int ch, u32 off)
{
	return EDMA_CH_BASE(rd, ch) + off;
}

static void set_cs(struct model *m, int rd, unsigned int ch, u32 cs)
{
	u32 *c = reg(m, ch_reg(rd, ch, EDMA_CH_CTRL1));

	*c = (*c & ~(3u << 5)) | (cs << 5);
}

static u32 st_off(int rd)
{
	return rd ? EDMA_REG_RD_INT_STATUS : EDMA_REG_WR_INT_STATUS;
}

static void finish_abort(struct model *m, int rd, unsigned int ch, u32 err)
{
	*reg(m, st_off(rd)) |= EDMA_INT_ABORT(ch);
	if (rd) {
		if (err & NEPF_EDMA_ERR_LOCAL)
			*reg(m, EDMA_REG_RD_ERR_STATUS_LO) |= 1u << ch;
		if (err & NEPF_EDMA_ERR_LL)
			*reg(m, EDMA_REG_RD_ERR_STATUS_LO) |= 1u << (16 + ch);
		if (err & NEPF_EDMA_ERR_UR)
			*reg(m, EDMA_REG_RD_ERR_STATUS_HI) |= 1u << ch;
		if (err & NEPF_EDMA_ERR_CA)
			*reg(m, EDMA_REG_RD_ERR_STATUS_HI) |= 1u << (8 + ch);
		if (err & NEPF_EDMA_ERR_CTO)
			*reg(m, EDMA_REG_RD_ERR_STATUS_HI) |= 1u << (16 + ch);
		if (err & NEPF_EDMA_ERR_POISON)
			*reg(m, EDMA_REG_RD_ERR_STATUS_HI) |= 1u << (24 + ch);
	} else {
		if (err & NEPF_EDMA_ERR_LOCAL)
			*reg(m, EDMA_REG_WR_ERR_STATUS) |= 1u << ch;
		if (err & NEPF_EDMA_ERR_LL)
			*reg(m, EDMA_REG_WR_ERR_STATUS) |= 1u << (16 + ch);
	}
	set_cs(m, rd, ch, EDMA_CS_HALTED);
}

/* One block; false (and an abort) when an address is outside memory. */
static bool copy_block(struct model *m, int rd, unsigned int ch, u64 sar,
		       u64 dar, u32 len)
{
	void *src = rd ? host_ptr(m, sar, len) : local_ptr(m, sar, len);
	void *dst = rd ? local_ptr(m, dar, len) : host_ptr(m, dar, len);

	if (!len)
		violate(m, "zero transfer size");
	if (!src || !dst) {
		finish_abort(m, rd, ch, !src && rd ? NEPF_EDMA_ERR_UR :
					NEPF_EDMA_ERR_LOCAL);
		return false;
	}
	memmove(dst, src, len);
	return true;
}

static u64 ctx64(struct model *m, int rd, unsigned int ch, u32 lo)
{
	return *reg(m, ch_reg(rd, ch, lo)) |
	       (u64)*reg(m, ch_reg(rd, ch, lo + 4)) << 32;
}

/* Walk the list from LLP with the cycle-bit rules; true if LIE was seen. */
static bool run_list(struct model *m, int rd, unsigned int ch, bool *ok)
{
	u32 ctl1 = *reg(m, ch_reg(rd, ch, EDMA_CH_CTRL1));
	u32 ccs = !!(ctl1 & EDMA_CTL_CCS);
	u64 at = ctx64(m, rd, ch, EDMA_CH_LLP_LO);
	bool lie = false;
	unsigned int hops;

	*ok = true;
	m->lists++;
	for (hops = 0; hops < 4096; hops++) {
		struct nepf_edma_lli *l = local_ptr(m, at, sizeof(*l));
		u32 ctl;

		if (!l) {
			finish_abort(m, rd, ch, NEPF_EDMA_ERR_LL);
			*ok = false;
			return lie;
		}
		ctl = le32_to_cpu(l->ctl);
		if ((ctl & EDMA_CTL_CB) != ccs)
			return lie;		/* not ours yet: stop */
		if (ctl & EDMA_CTL_LLP) {
			if (ctl & EDMA_CTL_TCB)
				ccs ^= 1;
			at = le32_to_cpu(l->sar_lo) |
			     (u64)le32_to_cpu(l->sar_hi) << 32;
			continue;
		}
		if (ctl & EDMA_CTL_RIE)
			violate(m, "RIE set in a list element");
		if (lie)
			violate(m, "LIE before the last data element");
		m->elems++;
		if (!copy_block(m, rd, ch,
				le32_to_cpu(l->sar_lo) |
				(u64)le32_to_cpu(l->sar_hi) << 32,
				le32_to_cpu(l->dar_lo) |
				(u64)le32_to_cpu(l->dar_hi) << 32,
				le32_to_cpu(l->size))) {
			*ok = false;
			return lie;
		}
		lie = ctl & EDMA_CTL_LIE;
		at += sizeof(*l);
	}
	violate(m, "list never ends");
	*ok = false;
	return lie;
}

static void run_channel(struct model *m, int rd, unsigned int ch)
{
	u32 ctl1 = *reg(m, ch_reg(rd, ch, EDMA_CH_CTRL1));
	bool ok, lie;

	m->armed[rd][ch] = false;
	if (m->abort_next) {
		m->abort_next = false;
		finish_abort(m, rd, ch, m->abort_err);
		return;
	}
	if (ctl1 & EDMA_CTL_RIE)
		violate(m, "RIE set in the channel context");
	if (ctl1 & EDMA_CTL_LLE) {
		lie = run_list(m, rd, ch, &ok);
		if (!ok)
			return;
		if (!lie)
			violate(m, "list without LIE: no done status");
	} else {
		m->singles++;
		if (!(ctl1 & EDMA_CTL_LIE))
			violate(m, "single block without LIE: no done status");
		lie = ctl1 & EDMA_CTL_LIE;
		if (!copy_block(m, rd, ch, ctx64(m, rd, ch, EDMA_CH_SAR_LO),
				ctx64(m, rd, ch, EDMA_CH_DAR_LO),
				*reg(m, ch_reg(rd, ch, EDMA_CH_SIZE))))
			return;
	}
	if (lie)
		*reg(m, st_off(rd)) |= EDMA_INT_DONE(ch);
	set_cs(m, rd, ch, EDMA_CS_STOPPED);
}

static void doorbell(struct model *m, int rd, u32 val)
{
	unsigned int ch = val & 7;
	u32 en = *reg(m, rd ? EDMA_REG_RD_ENGINE_EN : EDMA_REG_WR_ENGINE_EN);

	if (ch >= (rd ? EDMA_CTRL_NUM_RD(m->ctrl) : EDMA_CTRL_NUM_WR(m->ctrl))) {
		violate(m, "doorbell for a channel that does not exist");
		return;
	}
	if (val & EDMA_DOORBELL_STOP) {
		if (m->armed[rd][ch]) {
			m->armed[rd][ch] = false;
			finish_abort(m, rd, ch, 0);
		}
		return;
	}
	m->doorbells++;
	if (!(en & 1))
		violate(m, "doorbell with the engine off");
	if (m->armed[rd][ch])
		violate(m, "doorbell on a running channel");
	m->armed[rd][ch] = true;
	set_cs(m, rd, ch, EDMA_CS_RUNNING);
	if (!m->defer && !m->stuck)
		run_channel(m, rd, ch);
}

static void model_run(struct model *m);

static u32 model_rd(void *ctx, u32 off)
{
	struct model *m = ctx;
	u32 val;

	if (off == EDMA_REG_CTRL)
		return m->ctrl;
	if (off >= EDMA_REG_BLOCK_SIZE || off % 4) {
		violate(m, "read outside the register block");
		return 0;
	}
	val = *reg(m, off);
	/* An engine running beside the CPU: it moves between two reads. */
	if (m->act_after_reads && !--m->act_after_reads)
		model_run(m);
	return val;
}

static void model_wr(void *ctx, u32 off, u32 val)
{
	struct model *m = ctx;

	if (off >= EDMA_REG_BLOCK_SIZE || off % 4 || off == EDMA_REG_CTRL) {
		violate(m, "write outside the register block or to CTRL");
		return;
	}
	switch (off) {
	case EDMA_REG_WR_INT_CLEAR:
	case EDMA_REG_RD_INT_CLEAR:
		*reg(m, off == EDMA_REG_WR_INT_CLEAR ? EDMA_REG_WR_INT_STATUS :
			EDMA_REG_RD_INT_STATUS) &= ~val;
		/* Clearing the abort status clears the channel's errors. */
		for (unsigned int ch = 0; ch < EDMA_MAX_CH; ch++) {
			if (!(val & EDMA_INT_ABORT(ch)))
				continue;
			if (off == EDMA_REG_WR_INT_CLEAR) {
				*reg(m, EDMA_REG_WR_ERR_STATUS) &=
					~((1u << ch) | (1u << (16 + ch)));
			} else {
				*reg(m, EDMA_REG_RD_ERR_STATUS_LO) &=
					~((1u << ch) | (1u << (16 + ch)));
				*reg(m, EDMA_REG_RD_ERR_STATUS_HI) &=
					~(0x01010101u << ch);
			}
		}
		return;
	case EDMA_REG_WR_DOORBELL:
	case EDMA_REG_RD_DOORBELL:
		doorbell(m, off == EDMA_REG_RD_DOORBELL, val);
		return;
	case EDMA_REG_WR_INT_STATUS:
	case EDMA_REG_RD_INT_STATUS:
		violate(m, "write to a status register");
		return;
	}
	*reg(m, off) = val;
}

static const struct nepf_edma_io model_io = { .rd = model_rd, .wr = model_wr };

/* Run every armed channel, last channel first. */
static void model_run(struct model *m)
{
	for (int rd = 1; rd >= 0; rd--)
		for (int ch = EDMA_MAX_CH - 1; ch >= 0; ch--)
			if (m->armed[rd][ch])
				run_channel(m, rd, ch);
}

/* The interrupt line: a status bit that is not masked. */
static bool model_irq(struct model *m, int rd)
{
	return *reg(m, st_off(rd)) &
	       ~*reg(m, rd ? EDMA_REG_RD_INT_MASK : EDMA_REG_WR_INT_MASK);
}

static struct model *model_new(unsigned int nwr, unsigned int nrd)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->ctrl = nwr | (nrd << 16);
	m->e.io = &model_io;
	m->e.ctx = m;
	for (unsigned int i = 0; i < M_LOCAL_SIZE; i++)
		m->local[i] = (u8)(i * 7 + 1);
	for (unsigned int i = 0; i < M_HOST_SIZE; i++)
		m->host[i] = (u8)(i * 13 + 5);
	return m;
}

/* A list area at the end of local memory, room for @max elements. */
static struct nepf_edma_ll model_ll(struct model *m, unsigned int slot,
				    u32 max)
{
	u32 off = M_LOCAL_SIZE - (slot + 1) * 4096;
	struct nepf_edma_ll ll = {
		.virt = m->local + off, .bus = M_LOCAL_BUS + off, .max = max,
	};

	return ll;
}

static struct model *model_ready(unsigned int nwr, unsigned int nrd,
				 bool irq)
{
	struct model *m = model_new(nwr, nrd);

	if (nepf_edma_probe(&m->e))
		abort();
	nepf_edma_enable(&m->e, irq);
	return m;
}

UNIT_TEST(edma_probe_counts)
{
	struct model *m = model_new(2, 2);

	CHECK_EQ(nepf_edma_probe(&m->e), 0);
	CHECK_EQ(m->e.nr_ch[NEPF_EDMA_WRITE], 2);
	CHECK_EQ(m->e.nr_ch[NEPF_EDMA_READ], 2);
	m->ctrl = 4 | (2u << 16) | 0x0e000000;	/* other bits: ignored */
	CHECK_EQ(nepf_edma_probe(&m->e), 0);
	CHECK_EQ(m->e.nr_ch[NEPF_EDMA_WRITE], 4);
	CHECK_EQ(m->e.nr_ch[NEPF_EDMA_READ], 2);
	/* absent block, no channel one way, more than the map holds */
	m->ctrl = U32_MAX;
	CHECK_EQ(nepf_edma_probe(&m->e), -ENODEV);
	CHECK_EQ(m->e.nr_ch[NEPF_EDMA_WRITE], 0);
	m->ctrl = 0;
	CHECK_EQ(nepf_edma_probe(&m->e), -ENODEV);
	m->ctrl = 2;
	CHECK_EQ(nepf_edma_probe(&m->e), -ENODEV);
	m->ctrl = 9 | (1u << 16);
	CHECK_EQ(nepf_edma_probe(&m->e), -ENODEV);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

UNIT_TEST(edma_enable_masks)
{
	struct model *m = model_ready(2, 1, false);

	CHECK_EQ(*reg(m, EDMA_REG_WR_ENGINE_EN), 1);
	CHECK_EQ(*reg(m, EDMA_REG_RD_ENGINE_EN), 1);
	CHECK_EQ(*reg(m, EDMA_REG_WR_INT_MASK), EDMA_INT_ALL);
	CHECK_EQ(*reg(m, EDMA_REG_RD_INT_MASK), EDMA_INT_ALL);
	CHECK_EQ(*reg(m, EDMA_REG_WR_LL_ERR_EN), 0x00030003);
	CHECK_EQ(*reg(m, EDMA_REG_RD_LL_ERR_EN), 0x00010001);
	nepf_edma_enable(&m->e, true);
	/* only the channels that exist are unmasked */
	CHECK_EQ(*reg(m, EDMA_REG_WR_INT_MASK), 0x00fc00fc);
	CHECK_EQ(*reg(m, EDMA_REG_RD_INT_MASK), 0x00fe00fe);
	nepf_edma_disable(&m->e);
	CHECK_EQ(*reg(m, EDMA_REG_WR_ENGINE_EN), 0);
	CHECK_EQ(*reg(m, EDMA_REG_RD_ENGINE_EN), 0);
	CHECK_EQ(*reg(m, EDMA_REG_WR_INT_MASK), EDMA_INT_ALL);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

UNIT_TEST(edma_single_block_both_ways)
{
	struct model *m = model_ready(2, 2, false);
	struct nepf_edma_seg s = { .local = M_LOCAL_BUS + 100,
				   .pci = M_HOST_BASE + 3000, .len = 777 };
	u32 err = 1;

	/* host -> local */
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 1, NULL, &s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_DONE);
	CHECK_EQ(err, 0);
	CHECK(!memcmp(m->local + 100, m->host + 3000, 777));
	CHECK(m->local[99] == (u8)(99 * 7 + 1));
	CHECK(m->local[877] == (u8)(877 * 7 + 1));
	/* read once: a second look finds nothing */
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_BUSY);
	/* local -> host */
	s.local = M_LOCAL_BUS + 20000;
	s.pci = M_HOST_BASE + 40000;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 0, NULL, &s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_DONE);
	CHECK(!memcmp(m->host + 40000, m->local + 20000, 777));
	CHECK_EQ(nepf_edma_ch_state(&m->e, NEPF_EDMA_WRITE, 0),
		 EDMA_CS_STOPPED);
	CHECK_EQ(m->singles, 2);
	CHECK_EQ(m->lists, 0);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* Scattered local pages, one contiguous PCI range: the vmalloc case. */
UNIT_TEST(edma_linked_list_scatter)
{
	struct model *m = model_ready(1, 1, false);
	struct nepf_edma_ll ll = model_ll(m, 0, 8);
	struct nepf_edma_seg s[5];
	u64 pci = M_HOST_BASE + 512;
	u32 err;
	int i;

	for (i = 0; i < 5; i++) {
		s[i].local = M_LOCAL_BUS + (u64)(4 - i) * 8192 + 16 * i;
		s[i].pci = pci;
		s[i].len = 1000 + 100 * i;
		pci += s[i].len;
	}
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, &ll, s, 5), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err),
		 NEPF_EDMA_DONE);
	for (i = 0; i < 5; i++)
		CHECK(!memcmp(m->local + (s[i].local - M_LOCAL_BUS),
			      m->host + (s[i].pci - M_HOST_BASE), s[i].len));
	CHECK_EQ(m->lists, 1);
	CHECK_EQ(m->elems, 5);

	/* the same list memory again, the other way, fewer elements */
	for (i = 0; i < 3; i++)
		s[i].pci += 20000;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 0, &ll, s, 3), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_DONE);
	for (i = 0; i < 3; i++)
		CHECK(!memcmp(m->host + (s[i].pci - M_HOST_BASE),
			      m->local + (s[i].local - M_LOCAL_BUS), s[i].len));
	/* the old fourth and fifth elements were not run again */
	CHECK_EQ(m->elems, 8);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

UNIT_TEST(edma_start_rejects)
{
	struct model *m = model_ready(2, 2, false);
	struct nepf_edma_ll ll = model_ll(m, 0, 2);
	struct nepf_edma_seg s[3] = {
		{ M_LOCAL_BUS, M_HOST_BASE, 64 },
		{ M_LOCAL_BUS + 64, M_HOST_BASE + 64, 64 },
		{ M_LOCAL_BUS + 128, M_HOST_BASE + 128, 0 },
	};

	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 2, NULL, s, 1), -EINVAL);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, NULL, s, 0), -EINVAL);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, &ll, s, 3), -EINVAL);
	s[2].len = 64;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, &ll, s, 3), -E2BIG);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, NULL, s, 2), -E2BIG);
	CHECK_EQ(m->doorbells, 0);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* Abort part-way: a failure with its reason, never a done. */
UNIT_TEST(edma_abort_reports_failure)
{
	struct model *m = model_ready(2, 2, false);
	struct nepf_edma_ll ll = model_ll(m, 0, 4);
	struct nepf_edma_seg s[2] = {
		{ M_LOCAL_BUS, M_HOST_BASE, 512 },
		{ M_LOCAL_BUS + 4096, M_HOST_BASE + 512, 512 },
	};
	u32 err;

	m->abort_next = true;
	m->abort_err = NEPF_EDMA_ERR_UR;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 1, &ll, s, 2), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(err, NEPF_EDMA_ERR_UR);
	CHECK(!strcmp(nepf_edma_err_str(err),
		      "unsupported request from the host"));
	CHECK_EQ(nepf_edma_ch_state(&m->e, NEPF_EDMA_READ, 1), EDMA_CS_HALTED);
	/* the channel works again afterwards, with a clean status */
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 1, &ll, s, 2), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_DONE);
	CHECK_EQ(err, 0);

	m->abort_next = true;
	m->abort_err = NEPF_EDMA_ERR_CTO | NEPF_EDMA_ERR_POISON;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, NULL, s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(err, NEPF_EDMA_ERR_CTO | NEPF_EDMA_ERR_POISON);

	m->abort_next = true;
	m->abort_err = NEPF_EDMA_ERR_LOCAL;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 1, NULL, s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 1, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(err, NEPF_EDMA_ERR_LOCAL);

	/* a host address the model has no memory at: Unsupported Request */
	s[0].pci = M_HOST_BASE + M_HOST_SIZE;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, NULL, s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(err, NEPF_EDMA_ERR_UR);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* Done and abort both showing (a stop racing the end): abort wins. */
UNIT_TEST(edma_abort_wins_over_done)
{
	struct model *m = model_ready(1, 1, false);
	u32 err;

	*reg(m, EDMA_REG_WR_INT_STATUS) = EDMA_INT_DONE(0) | EDMA_INT_ABORT(0);
	set_cs(m, 0, 0, EDMA_CS_HALTED);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(*reg(m, EDMA_REG_WR_INT_STATUS), 0);
	free(m);
}

/*
 * A done bit while the channel runs, or before it took the doorbell (CS
 * 0), is a previous transfer's whose clear has not landed (vepc applies
 * INT_CLEAR late): not this transfer's end.  Seen in the guest: the
 * function posted the CQE before the data moved, and the data then went
 * to a buffer the host had unmapped.
 */
UNIT_TEST(edma_stale_done_before_the_channel_ends)
{
	struct model *m = model_ready(1, 1, false);
	u32 err;

	*reg(m, EDMA_REG_WR_INT_STATUS) = EDMA_INT_DONE(0);
	set_cs(m, 0, 0, 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_BUSY);
	set_cs(m, 0, 0, EDMA_CS_RUNNING);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_BUSY);
	set_cs(m, 0, 0, EDMA_CS_STOPPED);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_DONE);
	free(m);
}

/*
 * The engine ends the transfer between the function's two reads: a stale
 * done bit (vepc applies INT_CLEAR late) read before the transfer aborted
 * must not pass for its end.  Seen in the guest as another block's data
 * after a link loss: the function took an aborted host read for done and
 * stored what the buffer held before.
 */
UNIT_TEST(edma_abort_between_the_reads_is_an_abort)
{
	struct model *m = model_ready(1, 1, false);
	u32 err;

	*reg(m, EDMA_REG_RD_INT_STATUS) = EDMA_INT_DONE(0);	/* stale */
	set_cs(m, 1, 0, 0);			/* armed, not taken yet */
	m->armed[1][0] = true;
	m->abort_next = true;
	m->abort_err = NEPF_EDMA_ERR_UR;
	m->act_after_reads = 1;
	while (nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err) ==
	       NEPF_EDMA_BUSY && !m->violation[0])
		;
	CHECK_EQ(nepf_edma_ch_state(&m->e, NEPF_EDMA_READ, 0), EDMA_CS_HALTED);
	CHECK_EQ(err, NEPF_EDMA_ERR_UR);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* A stuck transfer is stopped by the doorbell's stop bit: abort. */
UNIT_TEST(edma_stuck_then_stopped)
{
	struct model *m = model_ready(2, 2, false);
	struct nepf_edma_seg s = { M_LOCAL_BUS, M_HOST_BASE, 4096 };
	u32 err;

	m->stuck = true;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 1, NULL, &s, 1), 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 1, &err),
		 NEPF_EDMA_BUSY);
	CHECK_EQ(nepf_edma_ch_state(&m->e, NEPF_EDMA_WRITE, 1),
		 EDMA_CS_RUNNING);
	nepf_edma_stop(&m->e, NEPF_EDMA_WRITE, 1);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 1, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(err, 0);
	CHECK(!strcmp(nepf_edma_err_str(err), "stopped"));
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* Four transfers in flight on four channels, finishing out of order. */
UNIT_TEST(edma_several_in_flight)
{
	struct model *m = model_ready(2, 2, true);
	struct nepf_edma_ll ll[2] = { model_ll(m, 0, 4), model_ll(m, 1, 4) };
	struct nepf_edma_seg s[4][2];
	u32 err;
	int i;

	m->defer = true;
	for (i = 0; i < 4; i++) {
		s[i][0] = (struct nepf_edma_seg){ M_LOCAL_BUS + i * 8192,
						  M_HOST_BASE + i * 8192, 2048 };
		s[i][1] = (struct nepf_edma_seg){ M_LOCAL_BUS + i * 8192 + 4096,
						  M_HOST_BASE + i * 8192 + 2048,
						  1024 };
	}
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, &ll[0], s[0], 2), 0);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 1, NULL, s[1], 1), 0);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 0, &ll[1], s[2], 2), 0);
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_WRITE, 1, NULL, s[3], 1), 0);
	CHECK_EQ(nepf_edma_pending(&m->e, NEPF_EDMA_READ), 0);
	CHECK(!model_irq(m, 0) && !model_irq(m, 1));
	model_run(m);
	CHECK(model_irq(m, 0) && model_irq(m, 1));
	CHECK_EQ(nepf_edma_pending(&m->e, NEPF_EDMA_READ), 3);
	CHECK_EQ(nepf_edma_pending(&m->e, NEPF_EDMA_WRITE), 3);
	/* collecting one channel leaves the others' status alone */
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_DONE);
	CHECK_EQ(nepf_edma_pending(&m->e, NEPF_EDMA_READ), 1);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err),
		 NEPF_EDMA_DONE);
	CHECK(!model_irq(m, 1));
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 0, &err),
		 NEPF_EDMA_DONE);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_WRITE, 1, &err),
		 NEPF_EDMA_DONE);
	CHECK(!model_irq(m, 0));
	CHECK(!memcmp(m->local, m->host, 2048));
	CHECK(!memcmp(m->local + 4096, m->host + 2048, 1024));
	CHECK(!memcmp(m->local + 8192, m->host + 8192, 2048));
	CHECK(!memcmp(m->host + 16384, m->local + 16384, 2048));
	CHECK(!memcmp(m->host + 16384 + 2048, m->local + 16384 + 4096, 1024));
	CHECK(!memcmp(m->host + 24576, m->local + 24576, 2048));
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* One channel aborts while another completes: each sees its own result. */
UNIT_TEST(edma_abort_is_per_channel)
{
	struct model *m = model_ready(2, 2, false);
	struct nepf_edma_seg s = { M_LOCAL_BUS, M_HOST_BASE, 256 };
	u32 err;

	m->stuck = true;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 0, NULL, &s, 1), 0);
	m->stuck = false;
	s.local += 4096;
	CHECK_EQ(nepf_edma_start(&m->e, NEPF_EDMA_READ, 1, NULL, &s, 1), 0);
	nepf_edma_stop(&m->e, NEPF_EDMA_READ, 0);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 1, &err),
		 NEPF_EDMA_DONE);
	CHECK_EQ(nepf_edma_status(&m->e, NEPF_EDMA_READ, 0, &err),
		 NEPF_EDMA_ABORT);
	CHECK_EQ(m->violation[0], 0);
	free(m);
}

/* ---- a channel's queue (nepf_edma_q_*) ---- */

struct q_case {
	struct nepf_edma_req r[4];
	struct nepf_edma_ll ll[4];
	struct nepf_edma_seg s[4][2];
	struct nepf_edma_req *ended[8];
	unsigned int nr_ended;
};

static struct q_case *qc;

static void q_case_end(struct nepf_edma_req *r)
{
	if (qc->nr_ended < ARRAY_SIZE(qc->ended))
		qc->ended[qc->nr_ended++] = r;
}

/*
 * Four host-to-local lists of two pieces each (the second piece of list i
 * lands after its first); list i's memory in list slot i of the model.
 */
static struct q_case *q_case_new(struct model *m)
{
	struct q_case *c = calloc(1, sizeof(*c));
	unsigned int i;

	if (!c)
		abort();
	for (i = 0; i < 4; i++) {
		c->ll[i] = model_ll(m, i, 4);
		c->s[i][0] = (struct nepf_edma_seg){ M_LOCAL_BUS + i * 4096,
						     M_HOST_BASE + i * 8192, 1024 };
		c->s[i][1] = (struct nepf_edma_seg){ M_LOCAL_BUS + i * 4096 + 1024,
						     M_HOST_BASE + i * 8192 + 4096, 512 };
		c->r[i].ll = &c->ll[i];
		c->r[i].seg = c->s[i];
		c->r[i].nr = 2;
		c->r[i].end = q_case_end;
	}
	qc = c;
	return c;
}

/* A q_case with its first @n lists submitted, in order, on read channel 0. */
static struct q_case *q_case_queued(struct model *m, struct nepf_edma_q *q,
				    unsigned int n)
{
	struct q_case *c = q_case_new(m);
	unsigned int i;

	nepf_edma_q_init(q, NEPF_EDMA_READ, 0);
	for (i = 0; i < n; i++)
		nepf_edma_q_submit(&m->e, q, &c->r[i]);
	return c;
}

static bool q_moved(struct model *m, unsigned int i)
{
	return !memcmp(m->local + i * 4096, m->host + i * 8192, 1024) &&
	       !memcmp(m->local + i * 4096 + 1024, m->host + i * 8192 + 4096, 512);
}

/*
 * Transfers queued on one channel start one at a time, in order, each as
 * the one before ends; an abort ends only its own transfer.
 */
UNIT_TEST(edma_queue_in_order)
{
	struct model *m = model_ready(1, 1, false);
	struct q_case *c = q_case_new(m);
	struct nepf_edma_q q;
	unsigned int i;

	m->defer = true;
	nepf_edma_q_init(&q, NEPF_EDMA_READ, 0);
	CHECK(!nepf_edma_q_submit(&m->e, &q, &c->r[0]));	/* idle: starts */
	for (i = 1; i < 4; i++)
		CHECK(nepf_edma_q_submit(&m->e, &q, &c->r[i]));	/* behind */
	CHECK_EQ(m->doorbells, 1);
	nepf_edma_q_poll(&m->e, &q);			/* still running */
	CHECK_EQ(c->nr_ended, 0);
	m->abort_next = true;			/* the first one aborts ... */
	m->abort_err = NEPF_EDMA_ERR_CA;
	for (i = 0; i < 4; i++) {
		model_run(m);
		nepf_edma_q_poll(&m->e, &q);
		CHECK_EQ(c->nr_ended, i + 1);
		CHECK(c->ended[i] == &c->r[i]);
		CHECK(c->r[i].ended);
		/* ... the next has started, on the doorbell of this look */
		CHECK_EQ(m->doorbells, i < 3 ? i + 2 : 4);
	}
	CHECK_EQ(c->r[0].res, NEPF_EDMA_ABORT);
	CHECK_EQ(c->r[0].err, NEPF_EDMA_ERR_CA);
	for (i = 1; i < 4; i++) {
		CHECK_EQ(c->r[i].res, NEPF_EDMA_DONE);
		CHECK(q_moved(m, i));
	}
	CHECK(!q.cur && !q.head);
	/* idle again: the next one starts at once */
	CHECK(!nepf_edma_q_submit(&m->e, &q, &c->r[0]));
	model_run(m);
	nepf_edma_q_poll(&m->e, &q);
	CHECK_EQ(c->r[0].res, NEPF_EDMA_DONE);
	CHECK(q_moved(m, 0));
	CHECK_EQ(m->violation[0], 0);		/* never a doorbell while running */
	free(c);
	free(m);
}

/*
 * A waiting transfer can be taken out (its waiter gave up) and never
 * starts; a running one cannot.  A request that cannot start ends at
 * once with its error, and the one behind it starts.
 */
UNIT_TEST(edma_queue_cancel_and_bad_start)
{
	struct model *m = model_ready(1, 1, false);
	struct q_case *c = q_case_new(m);
	struct nepf_edma_q q;

	m->defer = true;
	nepf_edma_q_init(&q, NEPF_EDMA_READ, 0);
	c->r[2].nr = 0;				/* nepf_edma_start() refuses */
	nepf_edma_q_submit(&m->e, &q, &c->r[0]);
	nepf_edma_q_submit(&m->e, &q, &c->r[1]);
	nepf_edma_q_submit(&m->e, &q, &c->r[2]);
	nepf_edma_q_submit(&m->e, &q, &c->r[3]);
	CHECK(!nepf_edma_q_cancel(&q, &c->r[0]));	/* running */
	CHECK(nepf_edma_q_cancel(&q, &c->r[1]));
	CHECK(!nepf_edma_q_cancel(&q, &c->r[1]));	/* out already */
	model_run(m);
	nepf_edma_q_poll(&m->e, &q);
	/* r0 done; r2 ended without starting, r3 runs */
	CHECK_EQ(c->nr_ended, 2);
	CHECK(c->ended[0] == &c->r[2] && c->r[2].ret == -EINVAL);
	CHECK(c->ended[1] == &c->r[0] && c->r[0].res == NEPF_EDMA_DONE);
	CHECK(q.cur == &c->r[3] && !q.head);
	model_run(m);
	nepf_edma_q_poll(&m->e, &q);
	CHECK_EQ(c->nr_ended, 3);
	CHECK(c->r[3].res == NEPF_EDMA_DONE && q_moved(m, 3));
	CHECK(!c->r[1].ended && !q_moved(m, 1));
	CHECK_EQ(m->doorbells, 2);
	/* the last waiting one out: the next to come queues behind r0 */
	CHECK(!nepf_edma_q_submit(&m->e, &q, &c->r[0]));
	CHECK(nepf_edma_q_submit(&m->e, &q, &c->r[3]));
	CHECK(nepf_edma_q_cancel(&q, &c->r[3]));
	CHECK(nepf_edma_q_submit(&m->e, &q, &c->r[1]));
	model_run(m);
	nepf_edma_q_poll(&m->e, &q);
	CHECK(q.cur == &c->r[1]);
	model_run(m);
	nepf_edma_q_poll(&m->e, &q);
	CHECK(c->r[1].res == NEPF_EDMA_DONE && q_moved(m, 1));
	CHECK(!q.cur && !q.head);
	CHECK_EQ(m->violation[0], 0);
	free(c);
	free(m);
}

/*
 * The link is lost: the transfers waiting their turn end without ever
 * starting (the link may be back, to a new host, when the running one
 * ends); the running one is left to its waiter, and nothing starts after
 * it.
 */
UNIT_TEST(edma_queue_flush_on_link_loss)
{
	struct model *m = model_ready(1, 1, false);
	struct nepf_edma_q q;
	struct q_case *c;
	unsigned int i;

	m->defer = true;
	c = q_case_queued(m, &q, 3);
	nepf_edma_q_flush(&q);
	CHECK_EQ(c->nr_ended, 2);
	for (i = 1; i < 3; i++) {
		CHECK(c->ended[i - 1] == &c->r[i]);
		CHECK_EQ(c->r[i].ret, -ENOLINK);
		CHECK_EQ(c->r[i].res, NEPF_EDMA_ABORT);
	}
	CHECK(nepf_edma_q_running(&q, &c->r[0]) && !q.head);
	model_run(m);
	CHECK(!nepf_edma_q_poll(&m->e, &q));
	CHECK(c->r[0].ended && c->r[0].res == NEPF_EDMA_DONE);
	CHECK(!q.cur && !q.head && q.tail == &q.head);
	CHECK_EQ(m->doorbells, 1);
	CHECK(q_moved(m, 0) && !q_moved(m, 1) && !q_moved(m, 2));
	CHECK_EQ(m->violation[0], 0);
	free(c);
	free(m);
}

/* A channel that does not stop: everything on it ends aborted. */
UNIT_TEST(edma_queue_fail)
{
	struct model *m = model_ready(1, 1, false);
	struct nepf_edma_q q;
	struct q_case *c;
	unsigned int i;

	m->stuck = true;
	c = q_case_queued(m, &q, 3);
	nepf_edma_q_poll(&m->e, &q);
	CHECK_EQ(c->nr_ended, 0);
	nepf_edma_q_fail(&q);
	CHECK_EQ(c->nr_ended, 3);
	for (i = 0; i < 3; i++)
		CHECK(c->ended[i] == &c->r[i] && c->r[i].res == NEPF_EDMA_ABORT);
	CHECK(!q.cur && !q.head && q.tail == &q.head);
	CHECK_EQ(m->doorbells, 1);
	free(c);
	free(m);
}

/*
 * Polling mode, several waiters on one channel: the waiter of the running
 * list may be asleep (in the guest: not scheduled) when its list ends.  A
 * waiter whose list waits its turn looks at the channel at its own
 * bounded interval: that look ends the running list, starts the next one
 * and names it, so that the glue wakes that list's waiter to poll it
 * (edma.c: nepf_edma_ended()).  Nothing depends on the sleeper.
 */
UNIT_TEST(edma_queue_polled_waiters_hand_over)
{
	struct model *m = model_ready(1, 1, false);
	struct q_case *c = q_case_new(m);
	struct nepf_edma_q q;
	unsigned int i;

	m->defer = true;
	nepf_edma_q_init(&q, NEPF_EDMA_READ, 0);
	for (i = 0; i < 3; i++)
		nepf_edma_q_submit(&m->e, &q, &c->r[i]);
	CHECK(nepf_edma_q_running(&q, &c->r[0]));
	CHECK(!nepf_edma_q_running(&q, &c->r[1]));
	/* r0 ends; its waiter sleeps; r2's waiter looks */
	model_run(m);
	CHECK(nepf_edma_q_poll(&m->e, &q) == &c->r[1]);
	CHECK(c->r[0].ended && c->r[0].res == NEPF_EDMA_DONE);
	CHECK(nepf_edma_q_running(&q, &c->r[1]));
	/* looking again while r1 runs starts nothing */
	CHECK(!nepf_edma_q_poll(&m->e, &q));
	/* r1 ends; r1's waiter sleeps too; r2's waiter looks: its own turn */
	model_run(m);
	CHECK(nepf_edma_q_poll(&m->e, &q) == &c->r[2]);
	CHECK(nepf_edma_q_running(&q, &c->r[2]));
	model_run(m);
	CHECK(!nepf_edma_q_poll(&m->e, &q));	/* the last: nothing starts */
	CHECK_EQ(c->nr_ended, 3);
	for (i = 0; i < 3; i++) {
		CHECK(c->ended[i] == &c->r[i]);
		CHECK_EQ(c->r[i].res, NEPF_EDMA_DONE);
		CHECK(q_moved(m, i));
		CHECK(!nepf_edma_q_running(&q, &c->r[i]));
	}
	CHECK_EQ(m->doorbells, 3);
	CHECK_EQ(m->violation[0], 0);
	free(c);
	free(m);
}

/*
 * A channel given up on (it did not confirm a stop in time) is looked at
 * again at the controller's reset: still running, it is asked to stop and
 * stays unused; once it has stopped, its late status is cleared and it
 * takes transfers again.
 */
UNIT_TEST(edma_queue_revive_after_fail)
{
	struct model *m = model_ready(1, 1, false);
	struct q_case *c = q_case_new(m);
	struct nepf_edma_q q;
	u32 st;

	m->stuck = true;
	nepf_edma_q_init(&q, NEPF_EDMA_READ, 0);
	nepf_edma_q_submit(&m->e, &q, &c->r[0]);
	nepf_edma_q_submit(&m->e, &q, &c->r[1]);
	CHECK(!nepf_edma_q_revive(&m->e, &q));	/* ours on it: no */
	nepf_edma_q_fail(&q);
	CHECK_EQ(c->nr_ended, 2);
	/* still running: a stop is asked, the channel stays unused */
	CHECK(!nepf_edma_q_revive(&m->e, &q));
	CHECK_EQ(nepf_edma_ch_state(&m->e, NEPF_EDMA_READ, 0), EDMA_CS_HALTED);
	/* stopped since: the abort it reported late is cleared, it is back */
	CHECK(nepf_edma_q_revive(&m->e, &q));
	st = *reg(m, EDMA_REG_RD_INT_STATUS);
	CHECK_EQ(st & (EDMA_INT_DONE(0) | EDMA_INT_ABORT(0)), 0);
	m->stuck = false;
	CHECK(!nepf_edma_q_submit(&m->e, &q, &c->r[2]));
	nepf_edma_q_poll(&m->e, &q);
	CHECK(c->r[2].ended && c->r[2].res == NEPF_EDMA_DONE);
	CHECK(q_moved(m, 2));
	CHECK_EQ(m->violation[0], 0);
	free(c);
	free(m);
}
