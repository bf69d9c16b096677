// SPDX-License-Identifier: GPL-2.0
/*
 * test-identify.c - Identify data the Linux host reads at probe.
 */
#include "unit.h"

#define DNR	NVME_STATUS_DNR

static u8 buf[4096];

UNIT_TEST(identify_ctrl)
{
	struct nepf_ctrl_config cfg;
	struct nvme_id_ctrl *id = (void *)buf;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.mdts_kb = 128;
	cfg.sgl = true;
	cfg.cntlid = 7;
	s = sim_new(&cfg);
	CHECK_EQ(sim_enable(s, 32), 0);
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK_EQ(le16_to_cpu(id->vid), 0x1b36);
	CHECK_EQ(le16_to_cpu(id->ssvid), 0x1af4);
	CHECK(!memcmp(id->sn, "NEPF0001            ", 20));
	CHECK(!memcmp(id->mn, "nvme-epf virtual", 16));
	CHECK_EQ(id->mn[16], ' ');
	CHECK_EQ(id->mn[39], ' ');
	CHECK(!memcmp(id->fr, "0.1     ", 8));
	CHECK_EQ(id->ieee[0], 0x00);
	CHECK_EQ(id->ieee[1], 0x54);
	CHECK_EQ(id->ieee[2], 0x52);
	CHECK_EQ(id->mdts, 5);			/* 128 KiB = 2^5 * 4 KiB */
	CHECK_EQ(nepf_ctrl_max_xfer(&s->ctrl), 128 * 1024);
	CHECK_EQ(le16_to_cpu(id->cntlid), 7);
	CHECK_EQ(le32_to_cpu(id->ver), NVME_VS(2, 0, 0));
	CHECK_EQ(id->cntrltype, NVME_CTRL_CNTRLTYPE_IO);
	CHECK_EQ(le32_to_cpu(id->oaes), NVME_CTRL_OAES_NS_ATTR);
	CHECK_EQ(id->aerl, 3);
	CHECK_EQ(id->elpe, 63);
	CHECK_EQ(id->npss, 0);
	CHECK(id->lpa & NVME_CTRL_LPA_CMD_EFFECTS);
	CHECK_EQ(id->sqes, 0x66);
	CHECK_EQ(id->cqes, 0x44);
	CHECK_EQ(le32_to_cpu(id->nn), NEPF_MAX_NAMESPACES);
	CHECK_EQ(le16_to_cpu(id->oncs),
		 NVME_CTRL_ONCS_COMPARE | NVME_CTRL_ONCS_WRITE_UNCOR |
		 NVME_CTRL_ONCS_DSM |
		 NVME_CTRL_ONCS_WRITE_ZEROES | NVME_CTRL_ONCS_SAVE_FEAT |
		 NVME_CTRL_ONCS_TIMESTAMP | NVME_CTRL_ONCS_VERIFY |
		 NVME_CTRL_ONCS_COPY);
	CHECK_EQ(le16_to_cpu(id->ocfs), NVME_CTRL_OCFS_FMT0 | NVME_CTRL_OCFS_FMT2);
	/*
	 * Format NVM and Device Self-test (bgop.c), block erase sanitize;
	 * Get LBA Status (lba-status.c)
	 */
	CHECK_EQ(le16_to_cpu(id->oacs), NVME_CTRL_OACS_FORMAT |
		 NVME_CTRL_OACS_SELF_TEST | NVME_CTRL_OACS_LBA_STATUS);
	CHECK_EQ(le32_to_cpu(id->sanicap), NVME_CTRL_SANICAP_BES);
	CHECK_EQ(id->fna, 0);
	CHECK(le16_to_cpu(id->edstt) >= 1);
	CHECK_EQ(id->vwc, 0);			/* no namespace with a cache */
	CHECK_EQ(le32_to_cpu(id->sgls) & 3, NVME_CTRL_SGLS_SUPPORTED);
	CHECK_EQ(le16_to_cpu(id->kas), 0);
	CHECK(!strncmp(id->subnqn, "nqn.", 4));
	CHECK(le16_to_cpu(id->psd[0].max_power));
	CHECK_EQ(id->rsvd1024[0] | id->vs[0], 0);	/* zeroed, not garbage */
	sim_free(s);
}

UNIT_TEST(identify_ctrl_limits)
{
	struct nepf_ctrl_config cfg;
	struct nvme_id_ctrl *id = (void *)buf;
	struct nepf_ns *ns;
	struct sim *s;

	sim_default_config(&cfg);
	cfg.mdts_kb = 0;			/* the largest: 1 MiB */
	s = sim_new(&cfg);
	ns = sim_add_ns(s, 1, 8, 9);
	ns->volatile_cache = true;		/* before enable: VWC present */
	CHECK_EQ(sim_enable(s, 32), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CTRL, 0, 0, buf), 0);
	CHECK_EQ(id->mdts, 8);
	CHECK_EQ(id->sgls, 0);
	CHECK_EQ(id->vwc, NVME_CTRL_VWC_PRESENT | NVME_CTRL_VWC_FLUSH_NO_ALL);
	sim_free(s);

	cfg.mdts_kb = 4;			/* below the smallest expressible */
	s = sim_new(&cfg);
	CHECK_EQ(nepf_ctrl_mdts(&s->ctrl), 1);
	sim_free(s);
	cfg.mdts_kb = 1000;			/* rounded down to 512 KiB */
	s = sim_new(&cfg);
	CHECK_EQ(nepf_ctrl_mdts(&s->ctrl), 7);
	sim_free(s);
	cfg.mdts_kb = 4096;			/* more than a seglist holds */
	s = sim_new(&cfg);
	CHECK_EQ(nepf_ctrl_max_xfer(&s->ctrl), NEPF_MAX_XFER_KB * 1024);
	sim_free(s);
}

UNIT_TEST(identify_ns)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_id_ns *id = (void *)buf;
	struct nepf_ns *ns = sim_add_ns(s, 2, 1000, 12);
	u8 zero[16] = { 0 };

	ns->cfg.readonly = true;
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 2, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(id->nsze), 1000);
	CHECK_EQ(le64_to_cpu(id->ncap), 1000);
	/* formats 512 and 4096, no metadata; this one in 4096 */
	CHECK_EQ(id->nlbaf, 1);
	CHECK_EQ(id->flbas, 1);
	CHECK_EQ(id->lbaf[0].ds, 9);
	CHECK_EQ(id->lbaf[1].ds, 12);
	CHECK_EQ(id->lbaf[0].ms, 0);
	CHECK_EQ(id->lbaf[1].ms, 0);
	CHECK_EQ(id->lbaf[2].ds, 0);
	CHECK_EQ(id->nsattr, NVME_NS_ATTR_RO);
	CHECK(memcmp(id->nguid, zero, 16));	/* synthesized, stable */
	memcpy(zero, id->nguid, 16);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 2, 0, buf), 0);
	CHECK(!memcmp(zero, id->nguid, 16));

	/* inactive but valid: zeroes; invalid: Invalid Namespace */
	memset(buf, 0xa5, sizeof(buf));
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 1, 0, buf), 0);
	CHECK_EQ(le64_to_cpu(id->nsze), 0);
	CHECK_EQ(buf[4095], 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, 0, 0, buf), NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, NEPF_MAX_NAMESPACES + 1, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS, NVME_NSID_ALL, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	sim_free(s);
}

UNIT_TEST(identify_active_ns_list)
{
	struct sim *s = unit_sim_enabled();
	__le32 *list = (void *)buf;

	sim_add_ns(s, 1, 8, 9);
	sim_add_ns(s, 3, 8, 9);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 1);
	CHECK_EQ(le32_to_cpu(list[1]), 3);
	CHECK_EQ(le32_to_cpu(list[2]), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_ACTIVE_LIST, 1, 0, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 3);
	CHECK_EQ(le32_to_cpu(list[1]), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_ACTIVE_LIST_CS, 0, NVME_CSI_NVM, buf), 0);
	CHECK_EQ(le32_to_cpu(list[1]), 3);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_ACTIVE_LIST, 0xfffffffe, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	nepf_ctrl_detach_ns(&s->ctrl, 1);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_ACTIVE_LIST, 0, 0, buf), 0);
	CHECK_EQ(le32_to_cpu(list[0]), 3);
	sim_free(s);
}

UNIT_TEST(identify_ns_descriptors)
{
	struct sim *s = unit_sim_enabled();
	struct nepf_ns *ns = sim_add_ns(s, 1, 8, 9);
	struct nvme_ns_id_desc *d = (void *)buf;

	memset(ns->cfg.nguid, 0x11, 16);
	memset(ns->cfg.uuid, 0x22, 16);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_DESC_LIST, 1, 0, buf), 0);
	CHECK_EQ(d->nidt, NVME_NIDT_NGUID);
	CHECK_EQ(d->nidl, 16);
	CHECK_EQ(buf[4], 0x11);
	d = (void *)(buf + 20);
	CHECK_EQ(d->nidt, NVME_NIDT_UUID);
	CHECK_EQ(buf[24], 0x22);
	d = (void *)(buf + 40);
	CHECK_EQ(d->nidt, NVME_NIDT_CSI);
	CHECK_EQ(d->nidl, 1);
	CHECK_EQ(buf[44], NVME_CSI_NVM);
	CHECK_EQ(buf[45], 0);			/* end of list */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_DESC_LIST, 2, 0, buf),
		 NVME_SC_INVALID_NS | DNR);
	sim_free(s);
}

UNIT_TEST(identify_command_set_specific)
{
	struct sim *s = unit_sim_enabled();
	struct nvme_id_ctrl_nvm *cn = (void *)buf;
	struct nvme_id_ns_cs_indep *ind = (void *)buf;

	sim_add_ns(s, 1, 8, 9);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CS_CTRL, 0, NVME_CSI_NVM, buf), 0);
	CHECK_EQ(cn->wzsl, 5);
	CHECK_EQ(cn->vsl, 5);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CS_CTRL, 0, NVME_CSI_ZNS, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CS_NS, 1, NVME_CSI_NVM, buf), 0);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_CS_NS, 1, NVME_CSI_KV, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_CS_INDEP, 1, 0, buf), 0);
	CHECK_EQ(ind->nstat, NVME_NSTAT_NRDY);	/* ready */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_NS_CS_INDEP, 2, 0, buf), 0);
	CHECK_EQ(ind->nstat, 0);			/* inactive */
	CHECK_EQ(sim_identify(s, 0x42, 0, 0, buf), NVME_SC_INVALID_FIELD | DNR);
	/* no virtualization management: CNS 14h/15h do not apply */
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_PRIMARY_CTRL_CAP, 0, 0, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	CHECK_EQ(sim_identify(s, NVME_ID_CNS_SCNDRY_CTRL_LIST, 0, 0, buf),
		 NVME_SC_INVALID_FIELD | DNR);
	sim_free(s);
}
