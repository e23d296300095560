/*
 * bench.h - helpers every benchmark in bench/ shares: a monotonic clock and
 * reading an input file whole (benchmarks run from the repository root).
 */
#ifndef MC_BENCH_H
#define MC_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Wall clock, or with BENCH_CLOCK=cpu the process's CPU time: on a shared,
 * loaded machine the CPU clock gives what a dedicated core would (the
 * figures of a single-threaded benchmark), the wall clock what this run got. */
static inline double now_s(void)
{
	static int cpu = -1;
	if (cpu < 0) {
		const char *c = getenv("BENCH_CLOCK");
		cpu = c && c[0] == 'c';
	}
	struct timespec ts;
	clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whole file, NUL-terminated; *len (if not NULL) gets its size. Exits on
 * failure: a benchmark without its input has nothing to measure. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench: cannot open %s (run from the repository root)\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "bench: cannot read %s\n", path);
		exit(1);
	}
	b[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return b;
}

/* The credential built from dir/{achievement,issuer,learner}.json with the
 * given issuer (a did:key for offline verification), a fixed id and
 * validFrom (caller frees with mc_free). Exits on failure. Needs
 * mcred/mcred.h included before this header. */
#ifdef MCRED_H
static inline char *bench_credential(const char *dir, const char *did)
{
	char p[512];
	size_t an, in, ln;
	snprintf(p, sizeof p, "%s/achievement.json", dir);
	char *a = slurp(p, &an);
	snprintf(p, sizeof p, "%s/issuer.json", dir);
	char *i = slurp(p, &in);
	snprintf(p, sizeof p, "%s/learner.json", dir);
	char *l = slurp(p, &ln);
	mc_build_opts bo = {.issuer_id = did,
	                    .credential_id = "urn:uuid:00000000-0000-4000-8000-000000000001",
	                    .valid_from = "2025-01-01T00:00:00Z"};
	char *out = NULL;
	mc_err err = {0};
	if (mc_credential_build(a, an, i, in, l, ln, &bo, &out, &err) != MC_OK) {
		fprintf(stderr, "bench: building the credential of %s failed: %s at %s\n", dir, err.msg, err.path);
		exit(1);
	}
	free(a);
	free(i);
	free(l);
	return out;
}
#endif

#endif
