/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - tracepoints of nvme_epf (trace system "nvme_epf"), for ftrace,
 * trace-cmd and perf; `nvme-epf trace` shows them live.
 *
 *   nvme_epf_cmd_fetch	a command fetched from an SQ (CDW10-15 as sent)
 *   nvme_epf_cmd_done	its completion: status, LBA range, data length,
 *			PRP/SGL, latency from fetch to completion
 *   nvme_epf_ctrl	CC/CSTS transitions (enable, reset, shutdown, CFS)
 *   nvme_epf_queue	I/O queue creation and deletion (with status)
 *   nvme_epf_link	link up/down
 *   nvme_epf_irq	an interrupt raised to the host
 *
 * port.h includes this file (declarations only); trace.c, the only unit
 * that defines CREATE_TRACE_POINTS, includes ctrl.h first, so that the
 * event bodies see the complete structures.  In userspace builds of the
 * core, tests/shim/uport.h turns the calls into nothing.  The events
 * copy the controller name into a fixed array (no __string: its helpers
 * changed in 6.10) and print opcodes from literal tables (perf and
 * trace-cmd can read them).  The layout (arguments aligned, no line
 * ending in an open parenthesis) is checkpatch's.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nvme_epf

#if !defined(NEPF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define NEPF_TRACE_H

#include <linux/tracepoint.h>

#define NEPF_TRACE_NAME	16

/* Opcode names by queue: admin (SQ 0) or NVM command set. */
#define nepf_trace_opcode(sqid, opc)					\
	((sqid) ?							\
	 __print_symbolic(opc, { 0x00, "flush" }, { 0x01, "write" },	\
			  { 0x02, "read" }, { 0x04, "write_uncor" },	\
			  { 0x05, "compare" }, { 0x08, "write_zeroes" },	\
			  { 0x09, "dsm" }, { 0x0c, "verify" }) :	\
	 __print_symbolic(opc, { 0x00, "delete_sq" }, { 0x01, "create_sq" }, \
			  { 0x02, "get_log_page" }, { 0x04, "delete_cq" }, \
			  { 0x05, "create_cq" }, { 0x06, "identify" },	\
			  { 0x08, "abort" }, { 0x09, "set_features" },	\
			  { 0x0a, "get_features" }, { 0x0c, "async_event" }, \
			  { 0x18, "keep_alive" }))

/* PSDT: 0 PRP, 1 SGL (buffer), 2 SGL (segment) */
#define nepf_trace_psdt(psdt)						\
	__print_symbolic(psdt, { 0, "prp" }, { 1, "sgl" }, { 2, "sgl-seg" }, \
			 { 3, "rsvd" })

TRACE_EVENT(nvme_epf_cmd_fetch,
	    TP_PROTO(const struct nepf_cmd *cmd),
	    TP_ARGS(cmd),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(u16, sqid)
			     __field(u16, cid)
			     __field(u8, opcode)
			     __field(u8, psdt)
			     __field(u32, nsid)
			     __array(u32, cdw, 6)),
	    TP_fast_assign(strscpy(__entry->name, cmd->ctrl->name, NEPF_TRACE_NAME);
			   __entry->sqid = cmd->sqid;
			   __entry->cid = cmd->sqe.cid;
			   __entry->opcode = cmd->sqe.opcode;
			   __entry->psdt = nvme_sqe_psdt(&cmd->sqe) >> 6;
			   __entry->nsid = nvme_sqe_nsid(&cmd->sqe);
			   __entry->cdw[0] = nvme_sqe_cdw(&cmd->sqe, 10);
			   __entry->cdw[1] = nvme_sqe_cdw(&cmd->sqe, 11);
			   __entry->cdw[2] = nvme_sqe_cdw(&cmd->sqe, 12);
			   __entry->cdw[3] = nvme_sqe_cdw(&cmd->sqe, 13);
			   __entry->cdw[4] = nvme_sqe_cdw(&cmd->sqe, 14);
			   __entry->cdw[5] = nvme_sqe_cdw(&cmd->sqe, 15);),
	    TP_printk("%s sq%u cid %u %s nsid %u %s cdw10 %#x %#x %#x %#x %#x %#x",
		      __entry->name, __entry->sqid, __entry->cid,
		      nepf_trace_opcode(__entry->sqid, __entry->opcode),
		      __entry->nsid, nepf_trace_psdt(__entry->psdt),
		      __entry->cdw[0], __entry->cdw[1], __entry->cdw[2],
		      __entry->cdw[3], __entry->cdw[4], __entry->cdw[5])
);

/* SLBA and NLB are 0 for commands without an LBA range (Flush, DSM, admin). */
#define nepf_trace_lba(cmd)						\
	((cmd)->sqid && (cmd)->sqe.opcode != 0x00 && (cmd)->sqe.opcode != 0x09)

TRACE_EVENT(nvme_epf_cmd_done,
	    TP_PROTO(const struct nepf_cmd *cmd, u64 lat_ns),
	    TP_ARGS(cmd, lat_ns),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(u16, sqid)
			     __field(u16, cid)
			     __field(u8, opcode)
			     __field(u8, psdt)
			     __field(u16, status)
			     __field(u32, nsid)
			     __field(u32, nlb)
			     __field(u64, slba)
			     __field(u32, len)
			     __field(u32, result)
			     __field(u64, lat_ns)),
	    TP_fast_assign(strscpy(__entry->name, cmd->ctrl->name, NEPF_TRACE_NAME);
			   __entry->sqid = cmd->sqid;
			   __entry->cid = cmd->sqe.cid;
			   __entry->opcode = cmd->sqe.opcode;
			   __entry->psdt = nvme_sqe_psdt(&cmd->sqe) >> 6;
			   __entry->status = cmd->status;
			   __entry->nsid = nvme_sqe_nsid(&cmd->sqe);
			   __entry->slba = nepf_trace_lba(cmd) ?
					   nvme_sqe_slba(&cmd->sqe) : 0;
			   __entry->nlb = nepf_trace_lba(cmd) ?
					  nvme_sqe_nlb(&cmd->sqe) : 0;
			   __entry->len = cmd->data_len;
			   __entry->result = cmd->result;
			   __entry->lat_ns = lat_ns;),
	    TP_printk("%s sq%u cid %u %s nsid %u slba %llu nlb %u len %u %s status %#x%s%s result %#x lat %llu ns",
		      __entry->name, __entry->sqid, __entry->cid,
		      nepf_trace_opcode(__entry->sqid, __entry->opcode),
		      __entry->nsid, __entry->slba, __entry->nlb, __entry->len,
		      nepf_trace_psdt(__entry->psdt), __entry->status & 0x7ff,
		      __entry->status & 0x4000 ? " dnr" : "",
		      __entry->status & 0x2000 ? " more" : "",
		      __entry->result, __entry->lat_ns)
);

TRACE_EVENT(nvme_epf_ctrl,
	    TP_PROTO(const struct nepf_ctrl *ctrl, u32 cc, u32 csts),
	    TP_ARGS(ctrl, cc, csts),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(u32, cc)
			     __field(u32, csts)),
	    TP_fast_assign(strscpy(__entry->name, ctrl->name, NEPF_TRACE_NAME);
			   __entry->cc = cc;
			   __entry->csts = csts;),
	    TP_printk("%s cc %#x (en %u shn %u) csts %#x (rdy %u cfs %u shst %u)",
		      __entry->name, __entry->cc, __entry->cc & 1,
		      (__entry->cc >> 14) & 3, __entry->csts, __entry->csts & 1,
		      (__entry->csts >> 1) & 1, (__entry->csts >> 2) & 3)
);

/* Status ffffh: Delete I/O SQ completes later (commands still running). */
TRACE_EVENT(nvme_epf_queue,
	    TP_PROTO(const struct nepf_ctrl *ctrl, const struct nvme_sqe *sqe,
		     u16 status),
	    TP_ARGS(ctrl, sqe, status),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(u8, opcode)
			     __field(u16, qid)
			     __field(u32, size)
			     __field(u32, cdw11)
			     __field(u16, status)),
	    TP_fast_assign(u32 dw10 = nvme_sqe_cdw(sqe, 10);

			   strscpy(__entry->name, ctrl->name, NEPF_TRACE_NAME);
			   __entry->opcode = sqe->opcode;
			   __entry->qid = dw10 & 0xffff;
			   __entry->size = (dw10 >> 16) + 1;
			   __entry->cdw11 = nvme_sqe_cdw(sqe, 11);
			   __entry->status = status;),
	    TP_printk("%s %s qid %u size %u cdw11 %#x status %#x",
		      __entry->name, nepf_trace_opcode(0, __entry->opcode),
		      __entry->qid, __entry->size, __entry->cdw11,
		      __entry->status)
);

TRACE_EVENT(nvme_epf_link,
	    TP_PROTO(const struct nepf_ctrl *ctrl, bool up),
	    TP_ARGS(ctrl, up),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(bool, up)),
	    TP_fast_assign(strscpy(__entry->name, ctrl->name, NEPF_TRACE_NAME);
			   __entry->up = up;),
	    TP_printk("%s link %s", __entry->name, __entry->up ? "up" : "down")
);

TRACE_EVENT(nvme_epf_irq,
	    TP_PROTO(const struct nepf_ctrl *ctrl, u16 vector),
	    TP_ARGS(ctrl, vector),
	    TP_STRUCT__entry(__array(char, name, NEPF_TRACE_NAME)
			     __field(u16, vector)),
	    TP_fast_assign(strscpy(__entry->name, ctrl->name, NEPF_TRACE_NAME);
			   __entry->vector = vector;),
	    TP_printk("%s vector %u", __entry->name, __entry->vector)
);

#endif /* NEPF_TRACE_H */

/* Out of tree: this file is found through -I$(src) (Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
