// SPDX-License-Identifier: GPL-2.0
/* kiocb->ki_complete(iocb, ret) has no res2 argument (5.16+) */
#include <linux/fs.h>
_Static_assert(__builtin_types_compatible_p(typeof(((struct kiocb *)0)->ki_complete),
	void (*)(struct kiocb *, long)), "");
