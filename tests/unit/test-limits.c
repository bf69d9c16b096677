// SPDX-License-Identifier: GPL-2.0
/*
 * test-limits.c - nvme_epf/limits, the text the module publishes
 * (cfg-limits.c) and the nvme-epf tool checks values against, is the one the
 * tool tests' fake module enforces (tests/pkg/kernel-limits): a range
 * changed on one side only fails here, naming both texts.
 */
#include "unit.h"
#include "cfg-limits.h"

static char text[4096], fake[4096];

UNIT_TEST(limits_published_equal_tool_fake)
{
	const char *path = NEPF_TOP "/tests/pkg/kernel-limits";
	size_t n = nepf_limits_text(text, sizeof(text));
	size_t len;
	FILE *f = fopen(path, "r");

	CHECK(f);
	len = fread(fake, 1, sizeof(fake) - 1, f);
	fclose(f);
	fake[len] = '\0';
	CHECK(n > 0 && n < sizeof(text) - 1);
	CHECK_EQ(strlen(text), n);
	if (strcmp(text, fake)) {
		fprintf(stderr, "nvme_epf/limits (src/cfg-limits.c):\n%s%s differs:\n%s",
			text, path, fake);
		CHECK(!strcmp(text, fake));
	}
}

/* Never past the buffer, always terminated, whatever its size. */
UNIT_TEST(limits_text_bounded)
{
	size_t full = nepf_limits_text(text, sizeof(text));
	size_t size;

	for (size = 1; size <= full + 1; size++) {
		memset(fake, 'x', sizeof(fake));
		CHECK(nepf_limits_text(fake, size) < size);
		CHECK_EQ(fake[size - 1 < full ? size - 1 : full], '\0');
		CHECK_EQ(fake[size], 'x');
		CHECK(!strncmp(fake, text, strlen(fake)));
	}
	CHECK_EQ(nepf_limits_text(fake, 0), 0);
}
