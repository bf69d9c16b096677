// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - runs the unit tests, one process each, and prints
 * "PASS: unit/<name>" or "FAIL: unit/<name>" per test.  Arguments select
 * tests by substring; NEPF_VERBOSE=1 shows the core's messages;
 * UNIT_PREFIX replaces "unit" (the ThreadSanitizer build says "unit-tsan").
 */
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"

static struct unit_test *tests;
static const char *prefix = "unit";
int unit_failed;

void unit_register(struct unit_test *t)
{
	struct unit_test **p = &tests;

	/* Sorted by name: a stable order whatever the link order. */
	while (*p && strcmp((*p)->name, t->name) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

static bool selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return true;
	return false;
}

static bool run_one(struct unit_test *t)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		/*
		 * A hang is a failure too.  60 s, not 20: the concurrency
		 * tests spin threads against each other, and under TSan on a
		 * 2-core machine at load 13 one of 1.4 s took over 20 s.
		 */
		alarm(60);
		t->fn();
		fflush(NULL);
		_exit(unit_failed ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	if (WIFSIGNALED(status))
		fprintf(stderr, "%s/%s: killed by signal %d\n", prefix, t->name,
			WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	struct unit_test *t;
	int failed = 0, run = 0;

	if (getenv("UNIT_PREFIX"))
		prefix = getenv("UNIT_PREFIX");

	for (t = tests; t; t = t->next) {
		bool ok;

		if (!selected(t->name, argc, argv))
			continue;
		ok = run_one(t);
		printf("%s: %s/%s\n", ok ? "PASS" : "FAIL", prefix, t->name);
		failed += !ok;
		run++;
	}
	if (!run) {
		printf("FAIL: %s/none-selected\n", prefix);
		return 1;
	}
	return failed ? 1 : 0;
}
