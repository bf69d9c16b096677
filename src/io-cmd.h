/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io-cmd.h - the NVM command set's hooks into the core.
 *
 * nepf_io_exec() (ctrl.h) starts an I/O command; the backend ends it with
 * nepf_io_done() (backend.h): inside its submit, nepf_io_exec() returns
 * true and the caller finishes the command; later, nepf_io_done() hands
 * the status to nepf_cmd_backend_done().  nepf_cmd_finish() (core.c)
 * then calls nepf_io_finish() before it posts the completion: read data
 * goes to the host there, Compare compares there, and buffers are freed.
 */
#ifndef NEPF_IO_CMD_H
#define NEPF_IO_CMD_H

#include "ctrl.h"

/*
 * Process context; may change cmd->status (e.g. a transfer error).  True:
 * the command went back to the backend for its next step (Copy), and ends
 * in nepf_io_done() again instead of being completed now (steps that end
 * inside their submit are run on here, until one does not or none is left).
 */
bool nepf_io_finish(struct nepf_cmd *cmd);

/* NVMe status for a backend result (exposed for the tests). */
u16 nepf_io_result_status(enum nepf_io_result result, enum nepf_io_op op);

#endif /* NEPF_IO_CMD_H */
