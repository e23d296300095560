/*
 * test_bulk.c - the bulk input reader (include/mcred/bulk.h): a table of
 * good CSV / JSON Lines inputs, each with failing twins; every truncated
 * prefix of a valid CSV; CRLF against LF and every read size; a 200,000-row
 * CSV through a pipe and a JSON Lines stream through a callback with flat
 * memory; a bad JSON line in the middle; idempotency keys; and every good
 * row building a credential with mc_credential_build.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

/* mcred.h first: bulk.h -> mcred.h -> issuer.h needs mc_bulk_reader,
 * which bulk.h declares only after its own include of mcred.h */
#include "mcred/mcred.h"
#include "mcred/bulk.h"
#include "testutil.h"

/* ASan's count of live heap bytes (weak: absent without ASan). */
size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

/* ---- A memory source that hands out at most `chunk` bytes per read -------- */

typedef struct memsrc {
	const char *data;
	size_t len, pos, chunk;
	size_t reads;
	int fail_at; /* fail the read with this index (1-based); 0 never */
} memsrc;

static mc_status mem_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	memsrc *m = ctx;
	if (m->fail_at && (int)++m->reads >= m->fail_at)
		return MC_ERR_IO;
	size_t n = m->len - m->pos;
	if (n > cap)
		n = cap;
	if (m->chunk && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	*got = n;
	return MC_OK;
}

/* ---- Transcript: one line per mc_bulk_next call ------------------------- */

/* Run the reader over input and describe every call:
 *   ROW <row> <line> <template|-> <external|-> <learner>
 *   BAD <row> <status> <path> | <msg>
 *   FAILED <status> <path> | <msg>
 *   END
 * Stops at END or FAILED (checking that both repeat). Caller frees. */
static char *transcript(mc_bulk_format fmt, unsigned flags, const char *in, size_t len, size_t chunk, size_t rbuf,
                        const char *deftpl)
{
	memsrc m = {in, len, 0, chunk, 0, 0};
	mc_bulk_opts o = {fmt, flags, rbuf, deftpl};
	mc_bulk_reader *r = NULL;
	mc_err e = {0};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &o, &r, &e), MC_OK);
	size_t cap = 4096 + 4 * len, n = 0;
	char *out = malloc(cap);
	ck_assert(out != NULL);
	out[0] = '\0';
	for (int guard = 0; guard < 100000; guard++) {
		mc_bulk_row row;
		e = (mc_err){0};
		mc_status st = mc_bulk_next(r, &row, &e);
		char line[8192];
		switch (row.kind) {
		case MC_BULK_ROW:
			ck_assert_int_eq(st, MC_OK);
			ck_assert_int_eq(strlen(row.key), 64);
			ck_assert_uint_eq(strlen(row.learner), row.learner_len);
			snprintf(line, sizeof line, "ROW %llu %llu %s %s %.6000s\n", (unsigned long long)row.row,
			         (unsigned long long)row.line, row.template_id ? row.template_id : "-",
			         row.external_id ? row.external_id : "-", row.learner);
			break;
		case MC_BULK_BAD_ROW:
			ck_assert_int_ne(st, MC_OK);
			ck_assert_int_eq(e.status, st);
			ck_assert(row.learner == NULL);
			snprintf(line, sizeof line, "BAD %llu %d %s | %s\n", (unsigned long long)row.row, (int)st, e.path,
			         e.msg);
			break;
		case MC_BULK_FAILED:
			ck_assert_int_ne(st, MC_OK);
			snprintf(line, sizeof line, "FAILED %d %s | %s\n", (int)st, e.path, e.msg);
			break;
		case MC_BULK_END:
			ck_assert_int_eq(st, MC_OK);
			snprintf(line, sizeof line, "END\n");
			break;
		default:
			ck_abort_msg("kind %d", (int)row.kind);
		}
		size_t l = strlen(line);
		if (n + l + 1 > cap) {
			cap = 2 * (n + l + 1);
			out = realloc(out, cap);
			ck_assert(out != NULL);
		}
		memcpy(out + n, line, l + 1);
		n += l;
		if (row.kind == MC_BULK_END || row.kind == MC_BULK_FAILED) {
			mc_bulk_row again;
			mc_err e2 = {0};
			mc_status st2 = mc_bulk_next(r, &again, &e2);
			ck_assert_int_eq(again.kind, row.kind);
			ck_assert_int_eq(st2, st);
			break;
		}
	}
	mc_bulk_close(r);
	return out;
}

static char *csv(const char *in)
{
	return transcript(MC_BULK_CSV, 0, in, strlen(in), 0, 0, NULL);
}

/* ---- Table: good inputs and their failing twins --------------------------- */

typedef struct bcase {
	const char *name;
	mc_bulk_format fmt;
	unsigned flags;
	const char *in;
	size_t len;      /* 0: strlen(in) (inputs with NUL give it) */
	const char *want; /* substring expected in the transcript */
	const char *not;  /* substring that must not appear (NULL: none) */
} bcase;

#define CSVH "learner_id,given_name,family_name,email\n"
#define DID "did:example:123"
#define GOOD_LEARNER "{\"id\":\"did:example:123\",\"givenName\":\"Anna\",\"familyName\":\"Berg\",\"email\":\"anna@example.org\"}"

static const bcase cases[] = {
	/* ---- CSV, good ---- */
	{"csv basic", MC_BULK_CSV, 0, CSVH DID ",Anna,Berg,anna@example.org\n", 0, "ROW 2 2 - - " GOOD_LEARNER "\nEND\n", "BAD"},
	{"csv crlf", MC_BULK_CSV, 0, "learner_id,given_name,family_name,email\r\n" DID ",Anna,Berg,anna@example.org\r\n", 0,
	 "ROW 2 2 - - " GOOD_LEARNER "\nEND\n", "BAD"},
	{"csv no final newline", MC_BULK_CSV, 0, CSVH DID ",Anna,Berg,anna@example.org", 0, "ROW 2 2 - - " GOOD_LEARNER "\nEND\n", NULL},
	{"csv bom", MC_BULK_CSV, 0, "\xEF\xBB\xBF" CSVH DID ",Anna,Berg,anna@example.org\n", 0, "ROW 2 2 - - " GOOD_LEARNER, "BAD"},
	{"csv aliases and case", MC_BULK_CSV, 0, "Learner ID,First Name,LAST_NAME,E-Mail\n" DID ",Anna,Berg,anna@example.org\n", 0,
	 "ROW 2 2 - - " GOOD_LEARNER, "BAD"},
	{"csv quoted fields", MC_BULK_CSV, 0, "name,email\n\"Berg, Anna \"\"A\"\"\",\"a@x.at\"\n", 0,
	 "ROW 2 2 - - {\"name\":\"Berg, Anna \\\"A\\\"\",\"email\":\"a@x.at\"}", "BAD"},
	{"csv empty optional omitted", MC_BULK_CSV, 0, "name,email,grade,issued\nAnna,a@x.at,,\n", 0,
	 "{\"name\":\"Anna\",\"email\":\"a@x.at\"}", "BAD"},
	{"csv dates", MC_BULK_CSV, 0, "name,student_id,issued,valid_until\nAnna,0815,2025-06-30,2026-06-30T00:00:00+02:00\n", 0,
	 "{\"name\":\"Anna\",\"studentId\":\"0815\",\"issued\":\"2025-06-30\",\"validUntil\":\"2026-06-30T00:00:00+02:00\"}", "BAD"},
	{"csv ignore unknown, newline in quotes", MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN,
	 "name,notes,email\nAnna,\"two\nlines\",a@x.at\nBob,,b@x.at\n", 0,
	 "ROW 2 2 - - {\"name\":\"Anna\",\"email\":\"a@x.at\"}\nROW 3 4 - - {\"name\":\"Bob\",\"email\":\"b@x.at\"}\nEND", "BAD"},
	{"csv utf-8 names", MC_BULK_CSV, 0, "name,external_id\nZo\xC3\xAB \xC3\x85ngstr\xC3\xB6m \xF0\x9F\x8E\x93,ext-1\n", 0,
	 "ROW 2 2 - ext-1 {\"name\":\"Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m \xF0\x9F\x8E\x93\",\"externalId\":\"ext-1\"}", "BAD"},
	{"csv template column", MC_BULK_CSV, 0, "template,name,email\nds-101,Anna,a@x.at\n", 0, "ROW 2 2 ds-101 - {\"name\"", "BAD"},
	{"csv blank lines skipped but counted", MC_BULK_CSV, 0, "name,email\n\nAnna,a@x.at\r\n\r\n\nBob,b@x.at\n\n", 0,
	 "ROW 3 3 - - {\"name\":\"Anna\",\"email\":\"a@x.at\"}\nROW 6 6 - - {\"name\":\"Bob\"", "BAD"},
	{"csv header only", MC_BULK_CSV, 0, "name,email\n", 0, "END\n", "ROW"},
	{"csv mailto and url ids", MC_BULK_CSV, 0, "id,name\nmailto:a@x.at,A\nhttps://x.at/u/1,B\n", 0,
	 "{\"id\":\"https://x.at/u/1\",\"name\":\"B\"}", "BAD"},
	{"csv escapes backslash", MC_BULK_CSV, 0, "name,email\nA\\B,a@x.at\n", 0, "{\"name\":\"A\\\\B\"", "BAD"},
	/* ---- CSV, failing twins ---- */
	{"csv bad did", MC_BULK_CSV, 0, CSVH "did:Example:123,Anna,Berg,anna@example.org\n", 0,
	 "BAD 2 9 row 2: learner_id | \"did:Example:123\" is not a DID", NULL},
	{"csv id not an iri", MC_BULK_CSV, 0, CSVH "anna@example.org,Anna,Berg,\n", 0, "BAD 2 9 row 2: learner_id |", NULL},
	{"csv unknown column", MC_BULK_CSV, 0, "Frist Name,family_name,email\nAnna,Berg,a@x.at\n", 0,
	 "FAILED 9 row 1: Frist Name | unknown column \"Frist Name\"", "ROW"},
	{"csv unknown column unnamed", MC_BULK_CSV, 0, "name,email,\nAnna,a@x.at,\n", 0, "FAILED 9 row 1: column 3 | column 3 has no name", NULL},
	{"csv unnamed column ignored", MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, "name,email,\nAnna,a@x.at,\n", 0, "ROW 2 2", "BAD"},
	{"csv bom not at start", MC_BULK_CSV, 0, "name,\xEF\xBB\xBF" "email\nAnna,a@x.at\n", 0, "FAILED 9 row 1: \xEF\xBB\xBF" "email | unknown column", NULL},
	{"csv double bom", MC_BULK_CSV, 0, "\xEF\xBB\xBF\xEF\xBB\xBF" "name,email\nAnna,a@x.at\n", 0, "FAILED 9 row 1: \xEF\xBB\xBFname", NULL},
	{"csv unterminated quote", MC_BULK_CSV, 0, "name,email\nAnna,a@x.at\n\"Berg, Anna,a@x.at\n", 0,
	 "ROW 2 2 - - {\"name\":\"Anna\",\"email\":\"a@x.at\"}\nBAD 3 9 row 3: name | has a quoted field that is not closed", NULL},
	{"csv quote in unquoted field", MC_BULK_CSV, 0, "name,email\nBe\"rg,a@x.at\nBob,b@x.at\n", 0,
	 "BAD 2 9 row 2: name | has a quote inside an unquoted field", NULL},
	{"csv text after closing quote", MC_BULK_CSV, 0, "name,email\n\"Berg\"x,a@x.at\nBob,b@x.at\n", 0,
	 "BAD 2 9 row 2: name | has characters after the closing quote", NULL},
	{"csv bad row continues", MC_BULK_CSV, 0, "name,email\n\"Berg\"x,a@x.at\nBob,b@x.at\n", 0, "ROW 3 3 - - {\"name\":\"Bob\"", NULL},
	{"csv bare cr", MC_BULK_CSV, 0, "name,email\rAnna,a@x.at\n", 0, "FAILED 9 row 1: column 2 | the header row has a carriage return", NULL},
	{"csv bare cr in row", MC_BULK_CSV, 0, "name,email\nAnna\r,a@x.at\nBob,b@x.at\n", 0, "BAD 2 9 row 2: name | has a carriage return without a line feed", NULL},
	{"csv leading space", MC_BULK_CSV, 0, "name,email\nAnna , a@x.at\n", 0, "BAD 2 9 row 2: name | has leading or trailing spaces (and 1 more problem in this row)", NULL},
	{"csv tab in value", MC_BULK_CSV, 0, "name,email\nAn\tna,a@x.at\n", 0, "BAD 2 9 row 2: name | contains a control character", NULL},
	{"csv newline in mapped value", MC_BULK_CSV, 0, "name,email\n\"An\nna\",a@x.at\n", 0, "BAD 2 9 row 2: name | contains a control character", NULL},
	{"csv bad date", MC_BULK_CSV, 0, "name,student_id,issued\nAnna,0815,30.06.2025\n", 0, "BAD 2 9 row 2: issued | \"30.06.2025\" is not an ISO 8601 date", NULL},
	{"csv datetime without zone", MC_BULK_CSV, 0, "name,student_id,issued\nAnna,0815,2025-06-30T12:00:00\n", 0, "BAD 2 9 row 2: issued |", NULL},
	{"csv valid_until before issued", MC_BULK_CSV, 0, "name,student_id,issued,valid_until\nAnna,0815,2025-06-30,2025-06-30\n", 0,
	 "BAD 2 9 row 2: valid_until | must be later than the date of issuing", NULL},
	{"csv ragged short", MC_BULK_CSV, 0, "name,email\nAnna\nBob,b@x.at\n", 0, "BAD 2 9 row 2 | has 1 field; the header has 2\nROW 3 3", NULL},
	{"csv ragged long", MC_BULK_CSV, 0, "name,email\nAnna,a@x.at,x\n", 0, "BAD 2 9 row 2 | has 3 fields; the header has 2", NULL},
	{"csv unknown column strict", MC_BULK_CSV, 0, "name,notes,email\nAnna,\"two\nlines\",a@x.at\n", 0, "FAILED 9 row 1: notes | unknown column", NULL},
	{"csv no identification", MC_BULK_CSV, 0, "name,email\nAnna,\n", 0, "BAD 2 8 row 2: email | the learner identification is missing", NULL},
	{"csv invalid utf-8 truncated", MC_BULK_CSV, 0, "name,external_id\nZo\xC3,ext-1\n", 0, "BAD 2 6 row 2: name | is not valid UTF-8", NULL},
	{"csv invalid utf-8 overlong", MC_BULK_CSV, 0, "name,external_id\nZo\xC0\xAF,ext-1\n", 0, "BAD 2 6 row 2: name | is not valid UTF-8", NULL},
	{"csv invalid utf-8 surrogate", MC_BULK_CSV, 0, "name,external_id\nZo\xED\xA0\x80,ext-1\n", 0, "BAD 2 6 row 2: name | is not valid UTF-8", NULL},
	{"csv invalid utf-8 at end", MC_BULK_CSV, 0, "name,external_id\nZoe,ext-1\xF0\x9F", 0, "BAD 2 6 row 2: external_id | is not valid UTF-8", NULL},
	{"csv invalid utf-8 in header", MC_BULK_CSV, 0, "name\xFF,email\nA,a@x.at\n", 0, "FAILED 6 row 1: column 1 | the header row is not valid UTF-8", NULL},
	{"csv nul byte", MC_BULK_CSV, 0, "name,email\nAn\0na,a@x.at\nBob,b@x.at\n", 35, "BAD 2 6 row 2: name | contains a NUL byte\nROW 3", NULL},
	{"csv template with space", MC_BULK_CSV, 0, "template,name,email\nds 101,Anna,a@x.at\n", 0, "BAD 2 9 row 2: template | a template id has no spaces", NULL},
	{"csv duplicate header", MC_BULK_CSV, 0, "name,email,E-Mail\nA,a@x.at,a@x.at\n", 0, "FAILED 9 row 1: E-Mail | duplicate column", NULL},
	{"csv duplicate header alias", MC_BULK_CSV, 0, "given_name,first_name,family_name,email\nA,A,B,a@x.at\n", 0, "FAILED 9 row 1: first_name | duplicate column", NULL},
	{"csv duplicate unknown header ignored", MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, "name,email,x,X\nA,a@x.at,1,2\n", 0, "FAILED 9 row 1: X | duplicate column", NULL},
	{"csv bad email", MC_BULK_CSV, 0, "name,email\nAnna,anna(at)x.at\n", 0, "BAD 2 9 row 2: email | \"anna(at)x.at\" is not an email address", NULL},
	{"csv given without family", MC_BULK_CSV, 0, "given_name,family_name,email\nAnna,,a@x.at\n", 0, "BAD 2 8 row 2: family_name | the family name is missing", NULL},
	{"csv no name at all", MC_BULK_CSV, 0, "given_name,family_name,email\n,,a@x.at\n", 0, "BAD 2 8 row 2: name | the learner's name is missing", NULL},
	{"csv header lacks name columns", MC_BULK_CSV, 0, "given_name,email\nAnna,a@x.at\n", 0, "FAILED 8 row 1 | the header has no name columns", NULL},
	{"csv header lacks identification", MC_BULK_CSV, 0, "name,grade\nAnna,1\n", 0, "FAILED 8 row 1 | the header has no learner identification", NULL},
	{"csv empty input", MC_BULK_CSV, 0, "", 0, "FAILED 8 row 1 | the CSV header row is missing", NULL},
	{"csv only blank lines", MC_BULK_CSV, 0, "\n\r\n\n", 0, "FAILED 8 row 1 | the CSV header row is missing", NULL},
	/* ---- JSON Lines, good ---- */
	{"jsonl learner format", MC_BULK_JSONL, 0,
	 "{\"id\":\"did:example:123\",\"givenName\":\"Anna\",\"familyName\":\"Berg\",\"email\":\"anna@example.org\",\"template\":\"t1\"}\n", 0,
	 "ROW 1 1 t1 - " GOOD_LEARNER "\nEND\n", NULL},
	{"jsonl snake case, crlf, no final newline", MC_BULK_JSONL, 0,
	 "{\"learner_id\":\"did:example:123\",\"given_name\":\"Anna\",\"family_name\":\"Berg\",\"email\":\"anna@example.org\"}\r\n"
	 "{\"name\":\"Bob\",\"external_id\":\"x-2\",\"grade\":\"A\"}", 0,
	 "ROW 1 1 - - " GOOD_LEARNER "\nROW 2 2 - x-2 {\"name\":\"Bob\",\"externalId\":\"x-2\",\"grade\":\"A\"}\nEND", NULL},
	{"jsonl null and empty omitted", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"grade\":null,\"issued\":\"\"}\n", 0,
	 "ROW 1 1 - - {\"name\":\"Bob\",\"email\":\"b@x.at\"}", NULL},
	{"jsonl escapes", MC_BULK_JSONL, 0, "{\"name\":\"B\\\"o\\\\b \\u00e9\",\"email\":\"b@x.at\"}\n", 0,
	 "{\"name\":\"B\\\"o\\\\b \xC3\xA9\",\"email\":\"b@x.at\"}", NULL},
	{"jsonl bom and blank lines", MC_BULK_JSONL, 0, "\xEF\xBB\xBF{\"name\":\"Bob\",\"email\":\"b@x.at\"}\n\n\r\n{\"name\":\"C\",\"email\":\"c@x.at\"}\n", 0,
	 "ROW 1 1 - - {\"name\":\"Bob\",\"email\":\"b@x.at\"}\nROW 4 4 - - {\"name\":\"C\"", NULL},
	{"jsonl unknown ignored", MC_BULK_JSONL, MC_BULK_IGNORE_UNKNOWN, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"notes\":[1,2]}\n", 0,
	 "ROW 1 1 - - {\"name\":\"Bob\",\"email\":\"b@x.at\"}", NULL},
	{"jsonl empty", MC_BULK_JSONL, 0, "", 0, "END\n", NULL},
	/* ---- JSON Lines, failing twins ---- */
	{"jsonl syntax", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",}\n", 0, "BAD 1 3 line 1: $", NULL},
	{"jsonl number grade", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"grade\":1}\n", 0, "BAD 1 7 line 1: grade | must be a string", NULL},
	{"jsonl duplicate key", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"name\":\"B\"}\n", 0, "BAD 1 5 line 1: $", NULL},
	{"jsonl two names for one field", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"e_mail\":\"c@x.at\"}\n", 0,
	 "BAD 1 9 line 1: e_mail | names the same field as \"email\"", NULL},
	{"jsonl unknown member", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b@x.at\",\"notes\":[1,2]}\n", 0, "BAD 1 9 line 1: notes | unknown member", NULL},
	{"jsonl not an object", MC_BULK_JSONL, 0, "[\"Bob\"]\n", 0, "BAD 1 7 line 1: $ | each line must be a JSON object", NULL},
	{"jsonl invalid utf-8", MC_BULK_JSONL, 0, "{\"name\":\"B\xC3\",\"email\":\"b@x.at\"}\n", 0, "BAD 1 6 line 1: $", NULL},
	{"jsonl raw nul", MC_BULK_JSONL, 0, "{\"name\":\"B\0\",\"email\":\"b@x.at\"}\n{\"name\":\"C\",\"email\":\"c@x.at\"}\n", 61,
	 "BAD 1 6 line 1: $", NULL},
	{"jsonl template_id alias", MC_BULK_JSONL, 0, "{\"template_id\":\"t-9\",\"name\":\"C\",\"email\":\"c@x.at\"}\n", 0, "ROW 1 1 t-9 -", NULL},
	{"jsonl nul escape", MC_BULK_JSONL, 0, "{\"name\":\"B\\u0000\",\"email\":\"b@x.at\"}\n", 0, "BAD 1 6 line 1: $", NULL},
	{"jsonl bad email", MC_BULK_JSONL, 0, "{\"name\":\"Bob\",\"email\":\"b at x\"}\n", 0, "BAD 1 9 line 1: email |", NULL},
	{"jsonl no identification", MC_BULK_JSONL, 0, "{\"name\":\"Bob\"}\n", 0, "BAD 1 8 line 1: learner_id | the learner identification is missing", NULL},
	{"jsonl whitespace line", MC_BULK_JSONL, 0, " \n{\"name\":\"Bob\",\"email\":\"b@x.at\"}\n", 0, "BAD 1 3 line 1: $", NULL},
};

START_TEST(table)
{
	const bcase *c = &cases[_i];
	size_t len = c->len ? c->len : strlen(c->in);
	/* the same outcome whatever the read size */
	char *t = transcript(c->fmt, c->flags, c->in, len, 0, 0, NULL);
	ck_assert_msg(strstr(t, c->want) != NULL, "%s:\n%s\nwanted:\n%s", c->name, t, c->want);
	if (c->not)
		ck_assert_msg(strstr(t, c->not) == NULL, "%s:\n%s\nmust not hold: %s", c->name, t, c->not);
	for (size_t chunk = 1; chunk <= 5; chunk += 2) {
		char *t2 = transcript(c->fmt, c->flags, c->in, len, chunk, 16, NULL);
		ck_assert_msg(strcmp(t, t2) == 0, "%s: read size %zu differs:\n%s\n---\n%s", c->name, chunk, t, t2);
		free(t2);
	}
	free(t);
}
END_TEST

/* ---- Limits: columns and record size ------------------------------------- */

static char *columns(size_t n, bool data)
{
	char *b = malloc(n * 16 + 64);
	ck_assert(b != NULL);
	size_t k = (size_t)sprintf(b, "name,email");
	for (size_t i = 2; i < n; i++)
		k += (size_t)sprintf(b + k, ",x%zu", i);
	k += (size_t)sprintf(b + k, "\nAnna,a@x.at");
	for (size_t i = 2; data && i < n; i++)
		k += (size_t)sprintf(b + k, ",v");
	sprintf(b + k, "\n");
	return b;
}

START_TEST(column_limit)
{
	char *ok = columns(MC_BULK_MAX_COLUMNS, true);
	char *t = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, ok, strlen(ok), 0, 0, NULL);
	ck_assert_msg(strstr(t, "ROW 2 2 - - {\"name\":\"Anna\",\"email\":\"a@x.at\"}\nEND") != NULL, "%s", t);
	free(t);
	free(ok);
	char *bad = columns(MC_BULK_MAX_COLUMNS + 1, true);
	t = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, bad, strlen(bad), 0, 0, NULL);
	ck_assert_msg(strstr(t, "FAILED 16 row 1 | the header has 257 columns") != NULL, "%s", t);
	free(t);
	free(bad);
	/* a row with far too many fields is ragged, and the next row is read */
	size_t n = 3000;
	char *wide = malloc(n * 2 + 64);
	size_t k = (size_t)sprintf(wide, "name,email\nA");
	for (size_t i = 0; i < n; i++)
		k += (size_t)sprintf(wide + k, ",");
	sprintf(wide + k, "\nBob,b@x.at\n");
	t = csv(wide);
	ck_assert_msg(strstr(t, "BAD 2 9 row 2 | has 3001 fields; the header has 2\nROW 3 3") != NULL, "%s", t);
	free(t);
	free(wide);
}
END_TEST

START_TEST(record_limit)
{
	/* longest accepted record: header line, then a row of exactly the limit */
	size_t lim = MC_BULK_MAX_RECORD;
	const char *tail = ",a@x.at";
	char *b = malloc(2 * lim + 256);
	for (int over = 0; over <= 1; over++) {
		for (int jsonl = 0; jsonl <= 1; jsonl++) {
			size_t k = 0;
			if (!jsonl) {
				k = (size_t)sprintf(b, "name,email\n");
				size_t fill = lim - strlen(tail) + (size_t)over;
				memset(b + k, 'n', fill);
				k += fill;
				k += (size_t)sprintf(b + k, "%s\r\nBob,b@x.at\n", tail);
			} else {
				const char *head = "{\"email\":\"a@x.at\",\"name\":\"";
				k = (size_t)sprintf(b, "%s", head);
				size_t fill = lim - strlen(head) - 2 + (size_t)over;
				memset(b + k, 'n', fill);
				k += fill;
				k += (size_t)sprintf(b + k, "\"}\r\n{\"name\":\"Bob\",\"email\":\"b@x.at\"}\n");
			}
			char *t = transcript(jsonl ? MC_BULK_JSONL : MC_BULK_CSV, 0, b, k, 0, 0, NULL);
			const char *want = over ? (jsonl ? "BAD 1 16 line 1 | line is longer than the limit"
			                                 : "BAD 2 16 row 2 | is longer than the limit")
			                        : (jsonl ? "ROW 1 1 - - {\"name\":\"nnn" : "ROW 2 2 - - {\"name\":\"nnn");
			ck_assert_msg(strstr(t, want) != NULL, "over=%d jsonl=%d: %.300s", over, jsonl, t);
			ck_assert_msg(strstr(t, "{\"name\":\"Bob\",\"email\":\"b@x.at\"}\nEND") != NULL, "%.300s", t);
			free(t);
		}
	}
	free(b);
}
END_TEST

/* ---- Properties ---------------------------------------------------------- */

static const char sample_csv[] =
	"\xEF\xBB\xBFlearner_id,given_name,family_name,email,student_id,external_id,grade,issued,valid_until,template,notes\n"
	"did:example:1,Anna,Berg,anna@example.org,1001,x-1,1,2025-06-30,,ds-101,\"two\nlines\"\n"
	"https://x.at/u/2,\"Bo, \"\"B\"\"\",Lind,,1002,x-2,pass,2025-07-01T10:00:00Z,2026-07-01,ds-101,\n"
	",Zo\xC3\xAB,\xC3\x85ngstr\xC3\xB6m,zoe@example.org,,,A,,,ds-102,\"\"\n"
	"did:example:4,Dan,Eck,,,,2,2025-06-30,2025-06-29,ds-101,late\n"
	"mailto:e@x.at,Eva,Fox,e@x.at,1005,x-5,,,,,\"a \"\"quoted\"\" note\"\n";

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Rows of a transcript, one per line, for comparison. */
static size_t split(char *t, char **lines, size_t cap)
{
	size_t n = 0;
	for (char *s = strtok(t, "\n"); s && n < cap; s = strtok(NULL, "\n"))
		lines[n++] = s;
	return n;
}

START_TEST(truncated_prefixes)
{
	size_t len = sizeof sample_csv - 1;
	char *full = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, sample_csv, len, 0, 0, NULL);
	char *fl[32];
	size_t nf = split(full, fl, 32);
	ck_assert_uint_eq(nf, 6); /* 4 rows, 1 bad (dates), END */
	ck_assert_msg(starts(fl[3], "BAD 5 9 row 5: valid_until"), "%s", fl[3]);
	size_t header_len = (size_t)(strchr(sample_csv, '\n') - sample_csv) + 1;
	for (size_t l = 0; l < len; l++) {
		char *t = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, sample_csv, l, 0, 0, NULL);
		char *tl[32];
		size_t n = split(t, tl, 32);
		ck_assert_uint_ge(n, 1);
		const char *last = tl[n - 1];
		if (l < header_len) {
			/* inside the header: a clean failure, or a shorter header and no rows */
			ck_assert_msg(n == 1 && (strncmp(last, "FAILED", 6) == 0 || strcmp(last, "END") == 0), "prefix %zu: %s",
			              l, t);
			free(t);
			continue;
		}
		ck_assert_msg(strcmp(last, "END") == 0, "prefix %zu ends with %s", l, last);
		/* every record but the last read is exactly as in the full input */
		for (size_t i = 0; i + 2 < n; i++)
			ck_assert_msg(strcmp(tl[i], fl[i]) == 0, "prefix %zu, record %zu: %s vs %s", l, i, tl[i], fl[i]);
		/* the last one is the full one, a rejected record, or the cut record */
		if (n >= 2) {
			const char *cut = tl[n - 2];
			ck_assert_uint_le(n - 2, nf - 2);
			bool same = strcmp(cut, fl[n - 2]) == 0;
			bool bad = strncmp(cut, "BAD", 3) == 0;
			bool row = strncmp(cut, "ROW", 3) == 0 && strncmp(cut, fl[n - 2], 6) == 0;
			ck_assert_msg(same || bad || row, "prefix %zu: %s", l, cut);
		}
		free(t);
	}
	free(full);
}
END_TEST

/* Every LF outside and inside quotes becomes CRLF. */
static char *to_crlf(const char *s, size_t *len)
{
	size_t n = strlen(s), k = 0;
	char *o = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			o[k++] = '\r';
		o[k++] = s[i];
	}
	o[k] = '\0';
	*len = k;
	return o;
}

START_TEST(crlf_equals_lf)
{
	size_t cl;
	char *crlf = to_crlf(sample_csv, &cl);
	char *a = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, sample_csv, sizeof sample_csv - 1, 0, 0, NULL);
	char *b = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, crlf, cl, 0, 0, NULL);
	ck_assert_str_eq(a, b);
	for (size_t chunk = 1; chunk < 40; chunk += 3) {
		char *c = transcript(MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, crlf, cl, chunk, 16, NULL);
		ck_assert_str_eq(a, c);
		free(c);
	}
	free(a);
	free(b);
	free(crlf);
}
END_TEST

START_TEST(jsonl_bad_line_in_middle)
{
	const char *in = "{\"name\":\"A\",\"email\":\"a@x.at\"}\n"
	                 "{\"name\":\"B\",\"email\":\"b@x.at\"}\n"
	                 "{\"name\":\"C\",\"email\":\"c@x.at\"\n"
	                 "{\"name\":\"D\",\"email\":\"d@x.at\",\"grade\":4}\n"
	                 "{\"name\":\"E\",\"email\":\"e@x.at\"}\n";
	char *t = transcript(MC_BULK_JSONL, 0, in, strlen(in), 0, 0, NULL);
	char *l[16];
	size_t n = split(t, l, 16);
	ck_assert_uint_eq(n, 6);
	ck_assert_msg(starts(l[0], "ROW 1 1 - - {\"name\":\"A\""), "%s", l[0]);
	ck_assert_msg(starts(l[1], "ROW 2 2 - - {\"name\":\"B\""), "%s", l[1]);
	ck_assert_msg(starts(l[2], "BAD 3 3 line 3: $"), "%s", l[2]);
	ck_assert_msg(starts(l[3], "BAD 4 7 line 4: grade | must be a string"), "%s", l[3]);
	ck_assert_msg(starts(l[4], "ROW 5 5 - - {\"name\":\"E\""), "%s", l[4]);
	ck_assert_str_eq(l[5], "END");
	free(t);
}
END_TEST

/* ---- Keys, default template, read failure, arguments ----------------------- */

static char last_ref[256];

static void first_key(mc_bulk_format fmt, const char *in, const char *deftpl, char key[MC_BULK_KEY_CHARS])
{
	memsrc m = {in, strlen(in), 0, 0, 0, 0};
	mc_bulk_opts o = {fmt, 0, 0, deftpl};
	mc_bulk_reader *r;
	mc_err e = {0};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &o, &r, &e), MC_OK);
	mc_bulk_row row;
	ck_assert_int_eq(mc_bulk_next(r, &row, &e), MC_OK);
	ck_assert_int_eq(row.kind, MC_BULK_ROW);
	memcpy(key, row.key, MC_BULK_KEY_CHARS);
	ck_assert(row.learner_ref != NULL);
	snprintf(last_ref, sizeof last_ref, "%s", row.learner_ref);
	mc_bulk_close(r);
}

START_TEST(idempotency_keys)
{
	char a[65], b[65], c[65], d[65], e[65], f[65], g[65];
	first_key(MC_BULK_CSV, "template,learner_id,name,external_id,grade\nt1,did:example:1,Anna,x-1,1\n", NULL, a);
	/* name and grade do not change the key; format does not either */
	first_key(MC_BULK_CSV, "template,learner_id,name,external_id,grade\nt1,did:example:1,Anna B,x-1,2\n", NULL, b);
	first_key(MC_BULK_JSONL, "{\"template\":\"t1\",\"id\":\"did:example:1\",\"name\":\"A\",\"externalId\":\"x-1\"}", NULL, c);
	/* the default template counts as the row's template */
	first_key(MC_BULK_CSV, "learner_id,name,external_id\ndid:example:1,Anna,x-1\n", "t1", d);
	ck_assert_str_eq(a, b);
	ck_assert_str_eq(a, c);
	ck_assert_str_eq(a, d);
	/* template, learner and external id each change it */
	first_key(MC_BULK_CSV, "template,learner_id,name,external_id\nt2,did:example:1,Anna,x-1\n", NULL, e);
	first_key(MC_BULK_CSV, "template,learner_id,name,external_id\nt1,did:example:2,Anna,x-1\n", NULL, f);
	first_key(MC_BULK_CSV, "template,learner_id,name,external_id\nt1,did:example:1,Anna,x-2\n", NULL, g);
	ck_assert_str_ne(a, e);
	ck_assert_str_ne(a, f);
	ck_assert_str_ne(a, g);
	/* parts cannot slide into each other: "t1"+"x" vs "t"+"1x" */
	first_key(MC_BULK_CSV, "template,email,name,external_id\nt1,a@x.at,A,\n", NULL, e);
	first_key(MC_BULK_CSV, "template,student_id,name\nt1,a@x.at,A\n", NULL, f);
	ck_assert_str_ne(e, f); /* same text, different kind of identifier */
	/* id wins over email for the learner part */
	first_key(MC_BULK_CSV, "template,learner_id,email,name,external_id\nt1,did:example:1,z@x.at,A,x-1\n", NULL, g);
	ck_assert_str_eq(a, g);
	ck_assert_str_eq(last_ref, "did:example:1");
	/* then email, then student id, else "" */
	first_key(MC_BULK_CSV, "email,student_id,name\nz@x.at,42,A\n", NULL, g);
	ck_assert_str_eq(last_ref, "z@x.at");
	first_key(MC_BULK_CSV, "email,student_id,name\n,42,A\n", NULL, g);
	ck_assert_str_eq(last_ref, "42");
	first_key(MC_BULK_JSONL, "{\"externalId\":\"x-9\",\"name\":\"A\"}", NULL, g);
	ck_assert_str_eq(last_ref, "");
}
END_TEST

START_TEST(read_failure_and_args)
{
	const char *in = "name,email\nAnna,a@x.at\nBob,b@x.at\n";
	memsrc m = {in, strlen(in), 0, 4, 0, 5};
	mc_bulk_opts o = {MC_BULK_CSV, 0, 16, NULL};
	mc_bulk_reader *r;
	mc_err e = {0};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &o, &r, &e), MC_OK);
	mc_bulk_row row;
	mc_status st;
	int rows = 0;
	while ((st = mc_bulk_next(r, &row, &e)) == MC_OK && row.kind == MC_BULK_ROW)
		rows++;
	ck_assert_int_eq(st, MC_ERR_IO);
	ck_assert_int_eq(row.kind, MC_BULK_FAILED);
	ck_assert_str_eq(e.path, "input");
	ck_assert_int_le(rows, 1);
	mc_bulk_close(r);

	mc_bulk_opts bad = {0, 0, 0, NULL};
	e = (mc_err){0};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &bad, &r, &e), MC_ERR_ARG);
	ck_assert(r == NULL);
	ck_assert_str_eq(e.path, "opts.format");
	mc_bulk_opts flags = {MC_BULK_CSV, 0x80, 0, NULL};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &flags, &r, NULL), MC_ERR_ARG);
	mc_bulk_opts tpl = {MC_BULK_CSV, 0, 0, "has space"};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &tpl, &r, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_bulk_open(NULL, &m, &o, &r, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_bulk_open_file(NULL, &o, &r, NULL), MC_ERR_ARG);
	ck_assert_int_eq(mc_bulk_next(NULL, &row, NULL), MC_ERR_ARG);
	mc_bulk_close(NULL);

	/* err keeps the first failure: a caller that does not reset it still
	 * gets each row's kind and status */
	const char *two = "name,email\nA,\nB,\nC,c@x.at\n";
	memsrc m2 = {two, strlen(two), 0, 0, 0, 0};
	ck_assert_int_eq(mc_bulk_open(mem_read, &m2, &o, &r, NULL), MC_OK);
	e = (mc_err){0};
	ck_assert_int_eq(mc_bulk_next(r, &row, &e), MC_ERR_MISSING);
	ck_assert_int_eq(mc_bulk_next(r, &row, &e), MC_ERR_MISSING);
	ck_assert_uint_eq(row.row, 3);
	ck_assert_str_eq(e.path, "row 2: email");
	ck_assert_int_eq(mc_bulk_next(r, &row, &e), MC_OK);
	ck_assert_int_eq(row.kind, MC_BULK_ROW);
	mc_bulk_close(r);
}
END_TEST

/* Every good row of the sample builds a credential. */
START_TEST(rows_build_credentials)
{
	size_t al, il;
	char *ach = tu_read("examples/achievement.json", &al);
	char *iss = tu_read("examples/issuer.json", &il);
	memsrc m = {sample_csv, sizeof sample_csv - 1, 0, 0, 0, 0};
	mc_bulk_opts o = {MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, 0, NULL};
	mc_bulk_reader *r;
	ck_assert_int_eq(mc_bulk_open(mem_read, &m, &o, &r, NULL), MC_OK);
	mc_bulk_row row;
	int built = 0;
	for (;;) {
		mc_err e = {0};
		mc_status st = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END)
			break;
		ck_assert_int_ne(row.kind, MC_BULK_FAILED);
		if (st != MC_OK)
			continue;
		char *cred = NULL;
		mc_build_opts bo = {"did:example:issuer", NULL, NULL};
		st = mc_credential_build(ach, al, iss, il, row.learner, row.learner_len, &bo, &cred, &e);
		ck_assert_msg(st == MC_OK, "row %llu: %s %s (%s)", (unsigned long long)row.row, e.path, e.msg, row.learner);
		mc_free(cred);
		built++;
	}
	ck_assert_int_eq(built, 4);
	mc_bulk_close(r);
	free(ach);
	free(iss);
}
END_TEST

/* ---- Streaming: 200,000 rows, flat memory ---------------------------------- */

#define BIG_ROWS 200000u

static size_t live_bytes(void)
{
#if defined(__SANITIZE_ADDRESS__)
	/* under ASan (make check) the process-wide measure must be there */
	ck_assert(__sanitizer_get_current_allocated_bytes != NULL);
#endif
	return __sanitizer_get_current_allocated_bytes ? __sanitizer_get_current_allocated_bytes() : 0;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			_exit(3);
		s += w;
		n -= (size_t)w;
	}
}

START_TEST(big_csv_through_pipe)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		char buf[65536];
		size_t k = (size_t)snprintf(buf, sizeof buf, "learner_id,given_name,family_name,email,grade,issued,template,notes\r\n");
		for (unsigned i = 0; i < BIG_ROWS; i++) {
			if (k > sizeof buf - 512) {
				write_all(p[1], buf, k);
				k = 0;
			}
			/* every 1000th row is bad (an email without @), every 7th has a
			 * quoted note with a line break */
			k += (size_t)snprintf(buf + k, sizeof buf - k,
			                      "did:example:%u,Given%u,Family,%s%u%sexample.org,%u,2025-06-30,ds-%u,%s\r\n", i, i,
			                      "learner", i, i % 1000 == 999 ? "." : "@", i % 5 + 1, i % 3,
			                      i % 7 == 0 ? "\"line one\r\nline \"\"two\"\"\"" : "");
		}
		write_all(p[1], buf, k);
		close(p[1]);
		_exit(0);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "rb");
	ck_assert(f != NULL);
	mc_bulk_opts o = {MC_BULK_CSV, MC_BULK_IGNORE_UNKNOWN, 512, NULL};
	mc_bulk_reader *r;
	ck_assert_int_eq(mc_bulk_open_file(f, &o, &r, NULL), MC_OK);
	size_t mem0 = 0, live0 = 0, live_max = 0;
	unsigned good = 0, bad = 0;
	uint64_t line = 2;
	for (;;) {
		mc_bulk_row row;
		mc_err e = {0};
		mc_status st = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END)
			break;
		ck_assert_int_ne(row.kind, MC_BULK_FAILED);
		unsigned i = good + bad;
		ck_assert_uint_eq(row.row, i + 2);
		ck_assert_uint_eq(row.line, line);
		line += i % 7 == 0 ? 2 : 1;
		if (st == MC_OK) {
			good++;
		} else {
			bad++;
			ck_assert_int_eq(i % 1000, 999);
			ck_assert(strstr(e.path, ": email") != NULL);
		}
		if (i == 1000) {
			mem0 = mc_bulk_memory(r);
			live0 = live_bytes();
		} else if (i > 1000 && i % 5000 == 0) {
			ck_assert_uint_eq(mc_bulk_memory(r), mem0);
			size_t lb = live_bytes();
			if (lb > live_max)
				live_max = lb;
		}
	}
	ck_assert_uint_eq(good + bad, BIG_ROWS);
	ck_assert_uint_eq(bad, BIG_ROWS / 1000);
	/* the reader's own memory: fixed buffers, a fraction of a MiB */
	ck_assert_uint_le(mem0, 512u * 1024u);
	/* the whole process under ASan: no growth with the number of rows */
	if (live0)
		ck_assert_msg(live_max <= live0 + 64u * 1024u, "heap grew from %zu to %zu bytes", live0, live_max);
	mc_bulk_close(r);
	fclose(f);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

/* JSON Lines generated on the fly by the read callback: the input never
 * exists in memory as a whole. */
typedef struct gensrc {
	unsigned next, rows;
	char pend[512];
	size_t plen, ppos;
	size_t bytes;
} gensrc;

static mc_status gen_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	gensrc *g = ctx;
	size_t n = 0;
	while (n < cap) {
		if (g->ppos == g->plen) {
			if (g->next == g->rows)
				break;
			unsigned i = g->next++;
			g->plen = (size_t)snprintf(g->pend, sizeof g->pend,
			                           i % 2 ? "{\"id\":\"did:example:%u\",\"givenName\":\"G\",\"familyName\":\"F\","
			                                   "\"externalId\":\"x-%u\",\"template\":\"t\"}\n"
			                                 : "{\"learner_id\":\"did:example:%u\",\"name\":\"N\",\"grade\":%u}\n",
			                           i, i);
			g->ppos = 0;
		}
		size_t k = g->plen - g->ppos;
		if (k > cap - n)
			k = cap - n;
		memcpy(buf + n, g->pend + g->ppos, k);
		g->ppos += k;
		n += k;
	}
	g->bytes += n;
	*got = n;
	return MC_OK;
}

START_TEST(big_jsonl_through_callback)
{
	gensrc g = {0, 100000, {0}, 0, 0, 0};
	mc_bulk_opts o = {MC_BULK_JSONL, 0, 100, NULL};
	mc_bulk_reader *r;
	ck_assert_int_eq(mc_bulk_open(gen_read, &g, &o, &r, NULL), MC_OK);
	size_t mem0 = mc_bulk_memory(r), live0 = 0, live_max = 0;
	unsigned good = 0, bad = 0;
	for (;;) {
		mc_bulk_row row;
		mc_err e = {0};
		mc_status st = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END)
			break;
		ck_assert_int_ne(row.kind, MC_BULK_FAILED);
		ck_assert_uint_eq(row.line, good + bad + 1);
		if (st == MC_OK)
			good++;
		else {
			bad++;
			ck_assert_int_eq(st, MC_ERR_TYPE); /* the number grade of even lines */
		}
		if (good + bad == 1000)
			live0 = live_bytes();
		else if ((good + bad) % 5000 == 0 && live_bytes() > live_max)
			live_max = live_bytes();
	}
	ck_assert_uint_eq(good, 50000);
	ck_assert_uint_eq(bad, 50000);
	ck_assert_uint_eq(mc_bulk_memory(r), mem0);
	if (live0)
		ck_assert_msg(live_max <= live0 + 64u * 1024u, "heap grew from %zu to %zu bytes", live0, live_max);
	ck_assert_uint_gt(g.bytes, 5u * 1000u * 1000u);
	mc_bulk_close(r);
}
END_TEST

static Suite *bulk_suite(void)
{
	Suite *s = suite_create("bulk");
	TCase *tc = tcase_create("table");
	tcase_add_loop_test(tc, table, 0, (int)(sizeof cases / sizeof cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, column_limit);
	tcase_add_test(tc, record_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("properties");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, truncated_prefixes);
	tcase_add_test(tc, crlf_equals_lf);
	tcase_add_test(tc, jsonl_bad_line_in_middle);
	tcase_add_test(tc, idempotency_keys);
	tcase_add_test(tc, read_failure_and_args);
	tcase_add_test(tc, rows_build_credentials);
	suite_add_tcase(s, tc);
	tc = tcase_create("streaming");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, big_csv_through_pipe);
	tcase_add_test(tc, big_jsonl_through_callback);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(bulk_suite)
