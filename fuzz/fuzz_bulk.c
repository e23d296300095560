/*
 * fuzz_bulk.c - libFuzzer target for the bulk input reader (CSV and JSON
 * Lines). The first byte picks the format (bit 0), MC_BULK_IGNORE_UNKNOWN
 * (bit 1) and a read size (bits 2-7); the rest is the input.
 * Invariants checked: nothing crashes or leaks; the stream always ends
 * (END or FAILED) within one call per input byte; every good row's learner
 * document is strict JSON and its key 64 hex digits; row numbers only grow
 * and never pass line numbers;
 * JSON Lines never fails as a whole; the reader's memory does not change;
 * reading a byte at a time gives the same rows as reading at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/bulk.h"
#include "mcred/mcred.h"

/* Inputs beyond this only make runs slower, not deeper (the record limit
 * is 64 KiB, so a longer input adds nothing a shorter one cannot reach). */
#define FUZZ_MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct src {
	const uint8_t *p;
	size_t len, pos, chunk;
} src;

static mc_status rd(void *ctx, char *buf, size_t cap, size_t *got)
{
	src *s = ctx;
	size_t n = s->len - s->pos;
	if (n > cap)
		n = cap;
	if (s->chunk && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	*got = n;
	return MC_OK;
}

/* FNV-1a over everything a run reports, to compare two runs. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

static uint64_t run(const uint8_t *in, size_t len, mc_bulk_format fmt, unsigned flags, size_t chunk, size_t rbuf)
{
	src s = {in, len, 0, chunk};
	mc_bulk_opts o = {fmt, flags, rbuf, NULL};
	mc_bulk_reader *r = NULL;
	if (mc_bulk_open(rd, &s, &o, &r, NULL) != MC_OK)
		abort();
	uint64_t h = 1469598103934665603u, last_row = 0;
	size_t mem = mc_bulk_memory(r);
	for (size_t calls = 0;; calls++) {
		if (calls > len + 2)
			abort(); /* no progress */
		mc_bulk_row row;
		mc_err e = {0};
		mc_status st = mc_bulk_next(r, &row, &e);
		h = mix(h, &row.kind, sizeof row.kind);
		h = mix(h, &st, sizeof st);
		if (row.kind == MC_BULK_END || row.kind == MC_BULK_FAILED) {
			if (row.kind == MC_BULK_FAILED && (fmt == MC_BULK_JSONL || st == MC_OK))
				abort();
			h = mix(h, e.path, strlen(e.path));
			break;
		}
		if (row.row <= last_row || row.line < row.row || (fmt == MC_BULK_JSONL && row.line != row.row))
			abort();
		last_row = row.row;
		h = mix(h, &row.row, sizeof row.row);
		h = mix(h, &row.line, sizeof row.line);
		if (row.kind == MC_BULK_ROW) {
			if (st != MC_OK || !row.learner || strlen(row.learner) != row.learner_len)
				abort();
			if (mc_json_check(row.learner, row.learner_len, NULL) != MC_OK)
				abort();
			if (strlen(row.key) != 64 || strspn(row.key, "0123456789abcdef") != 64)
				abort();
			h = mix(h, row.learner, row.learner_len);
			h = mix(h, row.key, 64);
		} else if (row.kind == MC_BULK_BAD_ROW) {
			if (st == MC_OK || e.status != st || row.learner)
				abort();
			h = mix(h, e.path, strlen(e.path));
			h = mix(h, e.msg, strlen(e.msg));
		} else {
			abort();
		}
	}
	if (mc_bulk_memory(r) < mem || (fmt == MC_BULK_JSONL && mc_bulk_memory(r) != mem))
		abort(); /* CSV adds the header copy once; nothing else grows */
	mc_bulk_close(r);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		if (mc_init() != MC_OK)
			abort();
		init = 1;
	}
	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	mc_bulk_format fmt = (data[0] & 1) ? MC_BULK_JSONL : MC_BULK_CSV;
	unsigned flags = (data[0] & 2) ? MC_BULK_IGNORE_UNKNOWN : 0;
	size_t chunk = (size_t)(data[0] >> 2) + 1;
	const uint8_t *in = data + 1;
	size_t len = size - 1;
	uint64_t a = run(in, len, fmt, flags, 0, 0);
	uint64_t b = run(in, len, fmt, flags, chunk, 16);
	if (a != b)
		abort(); /* the read size changed the outcome */
	return 0;
}
