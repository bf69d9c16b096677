/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend-priv.h - helpers shared by the kernel backends (backend*.c only).
 */
#ifndef NEPF_BACKEND_PRIV_H
#define NEPF_BACKEND_PRIV_H

#include <linux/workqueue.h>
#include "backend.h"

/* Synchronous backend work (flush, fallocate, buffered file I/O). */
extern struct workqueue_struct *nepf_backend_wq;

/* Map a kernel error of an I/O to the outcome io-cmd.c understands. */
static inline enum nepf_io_result
nepf_io_result_errno(enum nepf_io_op op, int err)
{
	switch (err) {
	case 0:
		return NEPF_IO_OK;
	case -ENOSPC:
	case -EDQUOT:
		return NEPF_IO_ERR_NOSPC;
	case -EOPNOTSUPP:
	case -ENOTSUPP:
		return NEPF_IO_ERR_NOTSUPP;
	case -EROFS:
	case -EPERM:
	case -EACCES:
		return op == NEPF_IO_READ ? NEPF_IO_ERR_READ : NEPF_IO_ERR_READONLY;
	case -ENOMEM:
	case -EAGAIN:
	case -EINVAL:
		return NEPF_IO_ERR_INTERNAL;
	}
	/* -EIO, -ENODATA, -ENOLINK...: the medium or the path failed. */
	switch (op) {
	case NEPF_IO_READ:
		return NEPF_IO_ERR_READ;
	case NEPF_IO_FLUSH:
		return NEPF_IO_ERR_INTERNAL;
	default:
		return NEPF_IO_ERR_WRITE;
	}
}

#endif /* NEPF_BACKEND_PRIV_H */
