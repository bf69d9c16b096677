/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - the unit test runner's interface.
 *
 *	UNIT_TEST(name) { ... CHECK(cond); CHECK_EQ(a, b); ... }
 *
 * defines a test "unit/<name>"; each runs in its own process, so a crash or
 * a sanitizer report fails that test only.  CHECK* print where and why,
 * then return from the test.
 */
#ifndef NEPF_UNIT_H
#define NEPF_UNIT_H

#include <stdio.h>
#include "simhost.h"

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
extern int unit_failed;

#define UNIT_TEST(tname)						\
	static void unit_fn_##tname(void);				\
	static struct unit_test unit_##tname = {			\
		.name = #tname, .fn = unit_fn_##tname };		\
	__attribute__((constructor)) static void unit_reg_##tname(void)	\
	{								\
		unit_register(&unit_##tname);				\
	}								\
	static void unit_fn_##tname(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			unit_failed = 1;				\
			return;						\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long __a = (unsigned long long)(a);	\
		unsigned long long __b = (unsigned long long)(b);	\
		if (__a != __b) {					\
			fprintf(stderr, "%s:%d: %s == %#llx, expected %s == %#llx\n", \
				__FILE__, __LINE__, #a, __a, #b, __b);	\
			unit_failed = 1;				\
			return;						\
		}							\
	} while (0)

/* An enabled controller with the default configuration. */
static inline struct sim *unit_sim_enabled(void)
{
	struct sim *s = sim_new(NULL);

	if (sim_enable(s, 32))
		abort();
	return s;
}

#endif /* NEPF_UNIT_H */
