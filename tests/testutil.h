/*
 * testutil.h - shared helpers for the Check-based unit tests. Each
 * tests/test_<module>.c is its own binary; Check forks one process per test
 * case, so a crash in one case is reported, not fatal to the run.
 */
#ifndef MC_TESTUTIL_H
#define MC_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mcred/mcred.h"

/* Folder of the official vectors: $MCRED_VECTORS or ../shared/vectors.
 * A missing folder is a test FAILURE (never a skip): CI must not pass by
 * not finding its conformance data. */
static inline const char *tu_vectors(void)
{
	const char *v = getenv("MCRED_VECTORS");
	if (!v || !*v)
		v = "../shared/vectors";
	struct stat st;
	ck_assert_msg(stat(v, &st) == 0 && S_ISDIR(st.st_mode),
	              "vector folder %s missing: set MCRED_VECTORS", v);
	return v;
}

/* Read a whole file; fails the test when unreadable. Caller frees. */
static inline char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	ck_assert(n >= 0);
	char *b = malloc((size_t)n + 1);
	ck_assert(b != NULL);
	ck_assert(fread(b, 1, (size_t)n, f) == (size_t)n);
	b[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return b;
}

/* Read <vectors>/<rel>. */
static inline char *tu_vector(const char *rel, size_t *len)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", tu_vectors(), rel);
	return tu_read(p, len);
}

/* Strip trailing whitespace/newlines in place (vector .txt files end in \n
 * or not; the value is what matters). Returns s. */
static inline char *tu_chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

static inline void tu_hex(const unsigned char *b, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[b[i] >> 4];
		out[2 * i + 1] = hx[b[i] & 15];
	}
	out[2 * n] = '\0';
}

#define TU_MAIN(make_suite)                                              \
	int main(void)                                                   \
	{                                                                \
		if (mc_init() != MC_OK)                                  \
			return EXIT_FAILURE;                             \
		SRunner *sr = srunner_create(make_suite());              \
		srunner_run_all(sr, CK_NORMAL);                          \
		int failed = srunner_ntests_failed(sr);                  \
		srunner_free(sr);                                        \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;             \
	}

#endif /* MC_TESTUTIL_H */
