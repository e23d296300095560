/*
 * bulk.c - streaming reader for bulk issuance input (include/mcred/bulk.h,
 * docs/bulk.md): RFC 4180 CSV and JSON Lines, one record at a time, each
 * turned into a learner document plus row metadata.
 *
 * Shape: a byte source (fixed read buffer, three bytes of push-back for the
 * BOM check) feeds one of two record scanners. The CSV scanner is a four
 * state machine that unquotes into a fixed record buffer and keeps scanning
 * (without storing) past any problem, so it always resynchronises at the
 * next record boundary; the JSON Lines scanner cuts lines and hands them to
 * the strict parser. Both end in the same table of named fields, checked by
 * one validator and written by one emitter. Nothing is allocated per row
 * except the parsed tree of a JSON line, freed before mc_bulk_next returns.
 *
 * Deliberate choices: values are never trimmed or otherwise repaired (a
 * leading space is an error naming the field); empty lines are skipped in
 * both formats (spreadsheets and `echo >>` leave them) but still counted.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"
#include "mcred/bulk.h"
#include "mcred/store.h"
#include "model/model.h"

/* An id the reader accepts must fit the store that will keep it. */
_Static_assert(MC_BULK_MAX_ID <= MC_STORE_ID_MAX, "bulk ids longer than the store accepts");
/* The record buffer is indexed with size_t and sized below from these. */
_Static_assert(MC_BULK_MAX_RECORD < SIZE_MAX / 4 && MC_BULK_MAX_COLUMNS <= 65536, "limits out of range");

/* ---- Fields ------------------------------------------------------------- */

enum field {
	F_ID,
	F_GIVEN,
	F_FAMILY,
	F_NAME,
	F_EMAIL,
	F_STUDENT,
	F_EXTERNAL,
	F_GRADE,
	F_ISSUED,
	F_UNTIL,
	F_TEMPLATE,
	F__N
};

/* Accepted names, compared after folding ASCII case and dropping '_', '-',
 * '.' and spaces ("Given Name", "given-name", "givenName" all match
 * "givenname"). The first name of each row is the documented one; the
 * learner-format member name is always among them, so JSON Lines rows
 * written in the docs/model.md format are accepted as they are. */
static const char *const field_names[F__N][7] = {
	[F_ID] = {"learner_id", "id", "learner_did", "did", NULL},
	[F_GIVEN] = {"given_name", "first_name", "forename", NULL},
	[F_FAMILY] = {"family_name", "last_name", "surname", NULL},
	[F_NAME] = {"name", "full_name", NULL},
	[F_EMAIL] = {"email", "email_address", "mail", NULL},
	[F_STUDENT] = {"student_id", "student_number", "matriculation_number", NULL},
	[F_EXTERNAL] = {"external_id", NULL},
	[F_GRADE] = {"grade", NULL},
	[F_ISSUED] = {"issued", "issue_date", "issued_on", "date_issued", NULL},
	[F_UNTIL] = {"valid_until", "expires", "expiry_date", "expiration_date", NULL},
	[F_TEMPLATE] = {"template", "template_id", NULL},
};

/* Member names of the learner document (docs/model.md); F_TEMPLATE is
 * metadata, not a learner member. */
static const char *const learner_key[F__N] = {
	[F_ID] = "id",           [F_GIVEN] = "givenName", [F_FAMILY] = "familyName",   [F_NAME] = "name",
	[F_EMAIL] = "email",     [F_STUDENT] = "studentId", [F_EXTERNAL] = "externalId", [F_GRADE] = "grade",
	[F_ISSUED] = "issued",   [F_UNTIL] = "validUntil", [F_TEMPLATE] = NULL,
};

/* Longest header name worth folding; longer ones are unknown. */
#define NAME_FOLD_MAX 64

/* Fold a column name into out; false when it cannot be a known name. */
static bool fold_name(const char *s, char out[NAME_FOLD_MAX])
{
	size_t n = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '_' || c == '-' || c == '.' || c == ' ')
			continue;
		if (n + 1 >= NAME_FOLD_MAX)
			return false;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	return true;
}

/* Field of a column or member name; -1 if unknown. */
static int field_of(const char *name)
{
	char a[NAME_FOLD_MAX], b[NAME_FOLD_MAX];
	if (!fold_name(name, a) || !a[0])
		return -1;
	for (int f = 0; f < F__N; f++)
		for (int i = 0; field_names[f][i]; i++)
			if (fold_name(field_names[f][i], b) && strcmp(a, b) == 0)
				return f;
	return -1;
}

/* ---- The reader ----------------------------------------------------------- */

/* Capacities, fixed at open. The record buffer holds the unquoted fields of
 * one record, each NUL-terminated (unquoting never lengthens a field). The
 * output holds the learner document: its values come from the record and
 * at most double through escaping ('"' and '\\'; control characters are
 * refused), plus member names and punctuation. */
#define REC_CAP (MC_BULK_MAX_RECORD + MC_BULK_MAX_COLUMNS + 2u)
#define OUT_CAP (2u * MC_BULK_MAX_RECORD + 512u)
#define READ_MIN 16u

/* Message room for one problem of the current record. */
#define PROB_MSG 300

struct mc_bulk_reader {
	/* settings */
	mc_bulk_format format;
	unsigned flags;
	char *default_template; /* owned copy or NULL */
	/* byte source */
	mc_bulk_read_fn read;
	void *ctx;
	char *in;      /* read buffer */
	size_t in_cap; /* its size */
	size_t in_pos; /* next unread byte */
	size_t in_len; /* bytes in it */
	bool in_eof;   /* the source said end */
	unsigned char pb[3]; /* push-back (BOM check), consumed first */
	size_t npb;
	size_t pb_pos;
	bool started; /* BOM check done */
	/* position */
	uint64_t line; /* line of the next byte, 1-based */
	uint64_t row;  /* records so far, the header and empty lines included */
	/* current record */
	char *rec;
	size_t rec_len;
	uint64_t rec_line;
	size_t nf;                          /* fields seen (may exceed MC_BULK_MAX_COLUMNS) */
	size_t fstart[MC_BULK_MAX_COLUMNS]; /* offsets of the stored fields in rec */
	/* first syntax problem of the current record (CSV scanner) */
	mc_status bad_st;
	size_t bad_field; /* field index, or SIZE_MAX for the whole record */
	char bad_msg[PROB_MSG];
	/* CSV header */
	bool have_header;
	char *hdr;                          /* copy of the header record */
	size_t ncols;
	const char *hname[MC_BULK_MAX_COLUMNS]; /* names as written */
	int colmap[MC_BULK_MAX_COLUMNS];        /* field or -1 (ignored) */
	/* row being checked */
	const char *val[F__N]; /* NULL when absent or empty */
	const char *src[F__N]; /* column / member name for messages */
	unsigned nprob;
	mc_status prob_st;
	char prob_path[MC_ERR_PATH_MAX];
	char prob_msg[MC_ERR_MSG_MAX];
	/* output */
	char *out;
	size_t out_len;
	/* failure that ended the stream (status MC_OK while none) */
	mc_err fatal;
	bool ended;
};

/* ---- Failing --------------------------------------------------------------- */

static mc_status fail_stream(mc_bulk_reader *r, mc_status st, const char *path, const char *fmt, ...)
	MC__PRINTF(4, 5);
static mc_status fail_stream(mc_bulk_reader *r, mc_status st, const char *path, const char *fmt, ...)
{
	if (r->fatal.status == MC_OK) {
		r->fatal.status = st;
		snprintf(r->fatal.path, sizeof r->fatal.path, "%s", path ? path : "");
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->fatal.msg, sizeof r->fatal.msg, fmt, ap);
		va_end(ap);
	}
	return r->fatal.status;
}

/* First syntax problem of the record being scanned. */
static void flag(mc_bulk_reader *r, mc_status st, size_t field, const char *fmt, ...) MC__PRINTF(4, 5);
static void flag(mc_bulk_reader *r, mc_status st, size_t field, const char *fmt, ...)
{
	if (r->bad_st != MC_OK)
		return;
	r->bad_st = st;
	r->bad_field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->bad_msg, sizeof r->bad_msg, fmt, ap);
	va_end(ap);
}

/* Where a record is, for err->path: "row 17" (CSV) or "line 5" (JSONL). */
static void where(const mc_bulk_reader *r, uint64_t row, char *out, size_t cap)
{
	snprintf(out, cap, "%s %llu", r->format == MC_BULK_CSV ? "row" : "line", (unsigned long long)row);
}

/* Record one problem of the current row: the first is kept, the rest are
 * counted. name is the column / member name (NULL: the row as a whole). */
static void row_fail(mc_bulk_reader *r, uint64_t row, mc_status st, const char *name, const char *fmt, ...)
	MC__PRINTF(5, 6);
static void row_fail(mc_bulk_reader *r, uint64_t row, mc_status st, const char *name, const char *fmt, ...)
{
	if (r->nprob++ > 0)
		return;
	char w[48];
	where(r, row, w, sizeof w);
	r->prob_st = st;
	if (name)
		snprintf(r->prob_path, sizeof r->prob_path, "%s: %.120s", w, name);
	else
		snprintf(r->prob_path, sizeof r->prob_path, "%s", w);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->prob_msg, sizeof r->prob_msg, fmt, ap);
	va_end(ap);
}

/* ---- Byte source ----------------------------------------------------------- */

enum { B_EOF = -1, B_FAIL = -2 };

static bool refill(mc_bulk_reader *r)
{
	if (r->in_eof || r->fatal.status != MC_OK)
		return false;
	size_t got = 0;
	mc_status st = r->read(r->ctx, r->in, r->in_cap, &got);
	if (st != MC_OK) {
		fail_stream(r, st, "input", "reading the input failed near line %llu", (unsigned long long)r->line);
		return false;
	}
	if (got > r->in_cap) {
		fail_stream(r, MC_ERR_ARG, "read", "the read callback returned %zu bytes for a %zu-byte buffer", got,
		            r->in_cap);
		return false;
	}
	if (got == 0) {
		r->in_eof = true;
		return false;
	}
	r->in_pos = 0;
	r->in_len = got;
	return true;
}

static inline int raw_byte(mc_bulk_reader *r)
{
	if (r->in_pos == r->in_len && !refill(r))
		return r->fatal.status != MC_OK ? B_FAIL : B_EOF;
	return (unsigned char)r->in[r->in_pos++];
}

static inline int next_byte(mc_bulk_reader *r)
{
	if (r->pb_pos < r->npb)
		return r->pb[r->pb_pos++];
	return raw_byte(r);
}

/* Drop a UTF-8 byte order mark at the very start of the input; anywhere
 * else U+FEFF is an ordinary character (and an unknown column name). */
static bool skip_bom(mc_bulk_reader *r)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
	r->started = true;
	for (size_t i = 0; i < 3; i++) {
		int c = raw_byte(r);
		if (c == B_FAIL)
			return false;
		if (c == B_EOF)
			break;
		r->pb[r->npb++] = (unsigned char)c;
		if (c != bom[i])
			return true;
	}
	if (r->npb == 3)
		r->npb = 0; /* a complete BOM: forget it */
	return true;
}

/* ---- UTF-8 check, one byte at a time --------------------------------------- */

typedef struct u8state {
	unsigned need;         /* continuation bytes still expected */
	unsigned char lo, hi;  /* range of the next continuation byte */
} u8state;

/* RFC 3629 table: no overlongs, no surrogates, nothing above U+10FFFF. */
static inline bool u8_step(u8state *s, unsigned char c)
{
	if (s->need) {
		if (c < s->lo || c > s->hi) {
			s->need = 0;
			return false;
		}
		s->lo = 0x80;
		s->hi = 0xBF;
		s->need--;
		return true;
	}
	if (c < 0x80)
		return true;
	s->lo = 0x80;
	s->hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		s->need = 1;
	else if (c == 0xE0)
		s->need = 2, s->lo = 0xA0;
	else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
		s->need = 2;
	else if (c == 0xED)
		s->need = 2, s->hi = 0x9F;
	else if (c == 0xF0)
		s->need = 3, s->lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		s->need = 3;
	else if (c == 0xF4)
		s->need = 3, s->hi = 0x8F;
	else
		return false;
	return true;
}

/* ---- CSV scanner ------------------------------------------------------------ */

enum rec_result { REC_OK, REC_BLANK, REC_EOF, REC_FAIL };
enum csv_state { S_START, S_UNQ, S_QUO, S_QQ };

static inline void put(mc_bulk_reader *r, bool storing, int c)
{
	if (storing)
		r->rec[r->rec_len++] = (char)c;
}

static inline void end_field(mc_bulk_reader *r, bool storing)
{
	if (storing) {
		r->rec[r->rec_len++] = '\0';
		if (r->nf + 1 < MC_BULK_MAX_COLUMNS)
			r->fstart[r->nf + 1] = r->rec_len;
	}
	r->nf++;
}

/* Scan one record into rec/fstart/nf. Syntax problems are flagged (the
 * first one kept) and scanning goes on to the end of the record, so the
 * next call starts at a record boundary whatever was wrong here. */
static enum rec_result csv_record(mc_bulk_reader *r)
{
	r->rec_len = 0;
	r->nf = 0;
	r->fstart[0] = 0;
	r->bad_st = MC_OK;
	r->rec_line = r->line;
	enum csv_state state = S_START;
	u8state u8 = {0, 0x80, 0xBF};
	size_t raw = 0;        /* record bytes, line terminator excluded */
	bool overflow = false; /* past MC_BULK_MAX_RECORD: scan, do not store */
	bool cr = false;       /* a CR outside quotes waits for its LF */
	bool any = false;
	for (;;) {
		int c = next_byte(r);
		if (c == B_FAIL)
			return REC_FAIL;
		bool storing = !overflow && r->nf < MC_BULK_MAX_COLUMNS;
		if (c == B_EOF) {
			if (!any)
				return REC_EOF;
			if (cr)
				flag(r, MC_ERR_VALUE, r->nf, "has a carriage return without a line feed");
			if (state == S_QUO)
				flag(r, MC_ERR_VALUE, r->nf, "has a quoted field that is not closed at the end of the input");
			break;
		}
		any = true;
		if (cr) {
			cr = false;
			if (c == '\n') {
				r->line++;
				if (raw == 0 && r->nf == 0 && state == S_START)
					return REC_BLANK;
				break;
			}
			flag(r, MC_ERR_VALUE, r->nf, "has a carriage return without a line feed");
			raw++;
		}
		if (state != S_QUO && (c == '\n' || c == '\r')) {
			if (c == '\r') {
				cr = true;
				continue;
			}
			r->line++;
			if (raw == 0 && r->nf == 0 && state == S_START)
				return REC_BLANK;
			break;
		}
		if (++raw > MC_BULK_MAX_RECORD && !overflow) {
			overflow = true;
			storing = false;
			flag(r, MC_ERR_TOO_LARGE, SIZE_MAX, "is longer than the limit of MC_BULK_MAX_RECORD (%u) bytes",
			     MC_BULK_MAX_RECORD);
		}
		if (c == 0)
			flag(r, MC_ERR_JSON_ENCODING, r->nf, "contains a NUL byte");
		if (!u8_step(&u8, (unsigned char)c))
			flag(r, MC_ERR_JSON_ENCODING, r->nf, "is not valid UTF-8");
		if (c == '\n')
			r->line++; /* inside quotes */
		switch (state) {
		case S_START:
			if (c == '"')
				state = S_QUO;
			else if (c == ',')
				end_field(r, storing);
			else {
				put(r, storing, c);
				state = S_UNQ;
			}
			break;
		case S_UNQ:
			if (c == ',') {
				end_field(r, storing);
				state = S_START;
			} else {
				if (c == '"')
					flag(r, MC_ERR_VALUE, r->nf,
					     "has a quote inside an unquoted field (quote the whole field and double the quote)");
				put(r, storing, c);
			}
			break;
		case S_QUO:
			if (c == '"')
				state = S_QQ;
			else
				put(r, storing, c);
			break;
		case S_QQ:
			if (c == '"') {
				put(r, storing, c);
				state = S_QUO;
			} else if (c == ',') {
				end_field(r, storing);
				state = S_START;
			} else {
				flag(r, MC_ERR_VALUE, r->nf, "has characters after the closing quote of a field");
				put(r, storing, c);
				state = S_UNQ;
			}
			break;
		}
	}
	if (u8.need)
		flag(r, MC_ERR_JSON_ENCODING, r->nf, "is not valid UTF-8");
	end_field(r, !overflow && r->nf < MC_BULK_MAX_COLUMNS);
	return REC_OK;
}

/* Name of field i of the current record for messages. */
static const char *col_name(const mc_bulk_reader *r, size_t i, char *tmp, size_t cap)
{
	if (r->have_header && i < r->ncols && r->hname[i][0])
		return r->hname[i];
	snprintf(tmp, cap, "column %zu", i + 1);
	return tmp;
}

/* Known column names for the unknown-column message. */
static void known_list(char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (int f = 0; f < F__N; f++) {
		int k = snprintf(out + n, cap - n, "%s%s", f ? ", " : "", field_names[f][0]);
		if (k < 0 || (size_t)k >= cap - n)
			return;
		n += (size_t)k;
	}
}

/* Read the header record and map its columns. Any problem ends the stream:
 * without a trustworthy header no row can be read. */
static mc_status csv_header(mc_bulk_reader *r)
{
	enum rec_result rr;
	do {
		rr = csv_record(r);
		r->row++;
	} while (rr == REC_BLANK);
	if (rr == REC_FAIL)
		return r->fatal.status;
	if (rr == REC_EOF)
		return fail_stream(r, MC_ERR_MISSING, "row 1", "the CSV header row is missing (empty input)");
	char w[48], path[MC_ERR_PATH_MAX], tmp[32];
	where(r, r->row, w, sizeof w);
	if (r->bad_st != MC_OK) {
		if (r->bad_field == SIZE_MAX || r->bad_field >= MC_BULK_MAX_COLUMNS)
			snprintf(path, sizeof path, "%s", w);
		else
			snprintf(path, sizeof path, "%s: column %zu", w, r->bad_field + 1);
		return fail_stream(r, r->bad_st, path, "the header row %s", r->bad_msg);
	}
	if (r->nf > MC_BULK_MAX_COLUMNS)
		return fail_stream(r, MC_ERR_TOO_LARGE, w,
		                   "the header has %zu columns; at most MC_BULK_MAX_COLUMNS (%u) are accepted", r->nf,
		                   MC_BULK_MAX_COLUMNS);
	r->hdr = malloc(r->rec_len + 1);
	if (!r->hdr)
		return fail_stream(r, MC_ERR_NOMEM, w, "out of memory reading the header");
	memcpy(r->hdr, r->rec, r->rec_len);
	r->hdr[r->rec_len] = '\0';
	r->ncols = r->nf;
	r->have_header = true;
	bool seen[F__N] = {false};
	for (size_t i = 0; i < r->ncols; i++) {
		r->hname[i] = r->hdr + r->fstart[i];
		int f = field_of(r->hname[i]);
		r->colmap[i] = f;
		const char *nm = col_name(r, i, tmp, sizeof tmp);
		snprintf(path, sizeof path, "%s: %.120s", w, nm);
		/* duplicates: the same folded name twice, known or not */
		char a[NAME_FOLD_MAX], b[NAME_FOLD_MAX];
		bool fa = fold_name(r->hname[i], a);
		for (size_t j = 0; j < i; j++) {
			bool same = (f >= 0 && r->colmap[j] == f) ||
			            (fa && fold_name(r->hname[j], b) && a[0] && strcmp(a, b) == 0) ||
			            strcmp(r->hname[i], r->hname[j]) == 0;
			if (same && (r->hname[i][0] || !(r->flags & MC_BULK_IGNORE_UNKNOWN)))
				return fail_stream(r, MC_ERR_VALUE, path,
				                   "duplicate column: \"%.100s\" (column %zu) and \"%.100s\" (column %zu) name "
				                   "the same field",
				                   r->hname[j], j + 1, r->hname[i], i + 1);
		}
		if (f < 0) {
			if (r->flags & MC_BULK_IGNORE_UNKNOWN)
				continue;
			char known[256];
			known_list(known, sizeof known);
			if (!r->hname[i][0])
				return fail_stream(r, MC_ERR_VALUE, path, "column %zu has no name (known columns: %s)", i + 1,
				                   known);
			return fail_stream(r, MC_ERR_VALUE, path,
			                   "unknown column \"%.100s\" (known columns: %s; or ignore unknown columns)",
			                   r->hname[i], known);
		}
		seen[f] = true;
	}
	if (!seen[F_ID] && !seen[F_EMAIL] && !seen[F_STUDENT] && !seen[F_EXTERNAL])
		return fail_stream(r, MC_ERR_MISSING, w,
		                   "the header has no learner identification column: add learner_id, email, student_id "
		                   "or external_id");
	if (!seen[F_NAME] && !(seen[F_GIVEN] && seen[F_FAMILY]))
		return fail_stream(r, MC_ERR_MISSING, w,
		                   "the header has no name columns: add name, or given_name and family_name");
	return MC_OK;
}

/* ---- JSON Lines scanner -------------------------------------------------------- */

static enum rec_result jsonl_line(mc_bulk_reader *r, bool *overflow)
{
	r->rec_len = 0;
	r->rec_line = r->line;
	size_t raw = 0;
	bool any = false;
	*overflow = false;
	for (;;) {
		int c = next_byte(r);
		if (c == B_FAIL)
			return REC_FAIL;
		if (c == B_EOF) {
			if (!any)
				return REC_EOF;
			break;
		}
		any = true;
		if (c == '\n') {
			r->line++;
			break;
		}
		/* one byte more than the limit is kept: it may be the CR of CRLF */
		if (raw <= MC_BULK_MAX_RECORD)
			r->rec[r->rec_len++] = (char)c;
		raw++;
	}
	if (r->rec_len > 0 && r->rec[r->rec_len - 1] == '\r' && raw == r->rec_len) {
		r->rec_len--;
		raw--;
	}
	if (raw > MC_BULK_MAX_RECORD)
		*overflow = true;
	else if (raw == 0)
		return REC_BLANK;
	r->rec[r->rec_len] = '\0';
	return REC_OK;
}

/* Take the members of a parsed line into val/src, copying the strings into
 * the record buffer (the line is no longer needed; decoded strings are
 * never longer than their JSON text, so they fit). */
static void jsonl_take(mc_bulk_reader *r, const cJSON *obj, uint64_t row)
{
	size_t used = 0;
	for (const cJSON *m = obj->child; m; m = m->next) {
		int f = field_of(m->string);
		if (f < 0) {
			if (!(r->flags & MC_BULK_IGNORE_UNKNOWN))
				row_fail(r, row, MC_ERR_VALUE, m->string, "unknown member (known: see docs/bulk.md)");
			continue;
		}
		if (r->src[f]) {
			row_fail(r, row, MC_ERR_VALUE, m->string, "names the same field as \"%.100s\"", r->src[f]);
			continue;
		}
		r->src[f] = m->string;
		if (cJSON_IsNull(m))
			continue;
		if (!cJSON_IsString(m)) {
			row_fail(r, row, MC_ERR_TYPE, m->string, "must be a string");
			continue;
		}
		size_t n = strlen(m->valuestring);
		if (n == 0)
			continue;
		if (n + 1 > REC_CAP - used) { /* cannot happen: see above */
			row_fail(r, row, MC_ERR_INTERNAL, m->string, "value does not fit the record buffer");
			continue;
		}
		memcpy(r->rec + used, m->valuestring, n + 1);
		r->val[f] = r->rec + used;
		used += n + 1;
	}
}

/* ---- Validation and output ----------------------------------------------------- */

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* A DID ("did:method:specific", method [a-z0-9]+) or another absolute IRI. */
static bool learner_id_valid(const char *s)
{
	if (strncmp(s, "did:", 4) == 0) {
		const char *p = s + 4;
		const char *m = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
		if (p == m || *p != ':' || p[1] == '\0')
			return false;
	}
	return mc__iri_valid(s);
}

static bool is_id_field(int f)
{
	return f == F_ID || f == F_EMAIL || f == F_STUDENT || f == F_EXTERNAL || f == F_TEMPLATE;
}

static void check_values(mc_bulk_reader *r, uint64_t row)
{
	for (int f = 0; f < F__N; f++) {
		const char *v = r->val[f];
		if (!v)
			continue;
		const char *nm = r->src[f];
		size_t n = strlen(v);
		bool ctl = false;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)v[i];
			if (c < 0x20 || c == 0x7f)
				ctl = true;
		}
		if (ctl) {
			row_fail(r, row, MC_ERR_VALUE, nm, "contains a control character (line break or tab)");
			continue;
		}
		if (is_ws((unsigned char)v[0]) || is_ws((unsigned char)v[n - 1])) {
			row_fail(r, row, MC_ERR_VALUE, nm, "has leading or trailing spaces");
			continue;
		}
		if (is_id_field(f) && n > MC_BULK_MAX_ID) {
			row_fail(r, row, MC_ERR_TOO_LARGE, nm, "is %zu bytes long; at most MC_BULK_MAX_ID (%u)", n,
			         MC_BULK_MAX_ID);
			continue;
		}
		char norm[40];
		int64_t t;
		switch (f) {
		case F_ID:
			if (!learner_id_valid(v))
				row_fail(r, row, MC_ERR_VALUE, nm, "\"%.60s\" is not a DID, URL or other absolute IRI", v);
			break;
		case F_EMAIL:
			if (!mc__email_valid(v))
				row_fail(r, row, MC_ERR_VALUE, nm, "\"%.60s\" is not an email address", v);
			break;
		case F_ISSUED:
		case F_UNTIL:
			if (!mc__date_norm(v, norm, &t))
				row_fail(r, row, MC_ERR_VALUE, nm,
				         "\"%.40s\" is not an ISO 8601 date (2025-06-30) or dateTime with a zone "
				         "(2025-06-30T12:00:00Z)",
				         v);
			break;
		case F_TEMPLATE:
			for (size_t i = 0; i < n; i++)
				if (v[i] == ' ') {
					row_fail(r, row, MC_ERR_VALUE, nm, "a template id has no spaces");
					break;
				}
			break;
		default:
			break;
		}
	}
	if (!r->val[F_ID] && !r->val[F_EMAIL] && !r->val[F_STUDENT] && !r->val[F_EXTERNAL]) {
		const char *nm = r->src[F_ID]        ? r->src[F_ID]
		                 : r->src[F_EMAIL]   ? r->src[F_EMAIL]
		                 : r->src[F_STUDENT] ? r->src[F_STUDENT]
		                 : r->src[F_EXTERNAL] ? r->src[F_EXTERNAL]
		                                      : "learner_id";
		row_fail(r, row, MC_ERR_MISSING, nm,
		         "the learner identification is missing: give learner_id (DID or URL), email, student_id or "
		         "external_id");
	}
	if (!r->val[F_NAME]) {
		if (r->val[F_GIVEN] && !r->val[F_FAMILY])
			row_fail(r, row, MC_ERR_MISSING, r->src[F_FAMILY] ? r->src[F_FAMILY] : "family_name",
			         "the family name is missing (or give name)");
		else if (!r->val[F_GIVEN] && r->val[F_FAMILY])
			row_fail(r, row, MC_ERR_MISSING, r->src[F_GIVEN] ? r->src[F_GIVEN] : "given_name",
			         "the given name is missing (or give name)");
		else if (!r->val[F_GIVEN])
			row_fail(r, row, MC_ERR_MISSING, r->src[F_NAME] ? r->src[F_NAME] : "name",
			         "the learner's name is missing: give name, or given_name and family_name");
	}
	if (r->val[F_ISSUED] && r->val[F_UNTIL]) {
		char a[40], b[40];
		int64_t ti, tu;
		if (mc__date_norm(r->val[F_ISSUED], a, &ti) && mc__date_norm(r->val[F_UNTIL], b, &tu) && tu <= ti)
			row_fail(r, row, MC_ERR_VALUE, r->src[F_UNTIL], "must be later than the date of issuing (%.40s)",
			         r->val[F_ISSUED]);
	}
}

static bool out_add(mc_bulk_reader *r, const char *s, size_t n)
{
	if (n > OUT_CAP - 1 - r->out_len)
		return false;
	memcpy(r->out + r->out_len, s, n);
	r->out_len += n;
	return true;
}

/* JSON string: values hold no control characters (checked), so only '"'
 * and '\\' need escaping. */
static bool out_str(mc_bulk_reader *r, const char *s)
{
	if (!out_add(r, "\"", 1))
		return false;
	for (const char *p = s; *p;) {
		size_t run = strcspn(p, "\"\\");
		if (!out_add(r, p, run))
			return false;
		p += run;
		if (*p) {
			char esc[2] = {'\\', *p++};
			if (!out_add(r, esc, 2))
				return false;
		}
	}
	return out_add(r, "\"", 1);
}

static mc_status emit(mc_bulk_reader *r, mc_bulk_row *row)
{
	r->out_len = 0;
	bool ok = out_add(r, "{", 1);
	bool first = true;
	for (int f = 0; f < F__N && ok; f++) {
		if (!r->val[f] || !learner_key[f])
			continue;
		ok = (first || out_add(r, ",", 1)) && out_str(r, learner_key[f]) && out_add(r, ":", 1) &&
		     out_str(r, r->val[f]);
		first = false;
	}
	ok = ok && out_add(r, "}", 1);
	if (!ok) /* cannot happen: OUT_CAP covers twice the record */
		return MC_ERR_INTERNAL;
	r->out[r->out_len] = '\0';
	row->learner = r->out;
	row->learner_len = r->out_len;
	row->template_id = r->val[F_TEMPLATE] ? r->val[F_TEMPLATE] : r->default_template;
	row->external_id = r->val[F_EXTERNAL];

	/* Idempotency key: SHA-256 over NUL-separated parts (values hold no
	 * NUL), a version tag first so the recipe can change without
	 * colliding with old keys. */
	static const char *const kind[] = {"id", "email", "studentId", ""};
	int k = r->val[F_ID] ? 0 : r->val[F_EMAIL] ? 1 : r->val[F_STUDENT] ? 2 : 3;
	const char *lv = k == 0 ? r->val[F_ID] : k == 1 ? r->val[F_EMAIL] : k == 2 ? r->val[F_STUDENT] : "";
	row->learner_ref = lv;
	const char *parts[5] = {"mcred-bulk-key-v1", row->template_id ? row->template_id : "", kind[k], lv,
	                        row->external_id ? row->external_id : ""};
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < 5; i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(row->key, sizeof row->key, h, sizeof h);
	return MC_OK;
}

/* ---- Public functions ---------------------------------------------------------- */

static mc_status file_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	FILE *f = ctx;
	*got = fread(buf, 1, cap, f);
	if (*got == 0 && ferror(f))
		return MC_ERR_IO;
	return MC_OK;
}

mc_status mc_bulk_open(mc_bulk_read_fn read, void *ctx, const mc_bulk_opts *opts, mc_bulk_reader **out,
                       mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!read)
		return mc__fail(err, MC_ERR_ARG, "read", "read callback is NULL");
	if (!opts || (opts->format != MC_BULK_CSV && opts->format != MC_BULK_JSONL))
		return mc__fail(err, MC_ERR_ARG, "opts.format", "format must be MC_BULK_CSV or MC_BULK_JSONL");
	if (opts->flags & ~MC_BULK_IGNORE_UNKNOWN)
		return mc__fail(err, MC_ERR_ARG, "opts.flags", "unknown flag bits 0x%x",
		                opts->flags & ~MC_BULK_IGNORE_UNKNOWN);
	const char *dt = opts->default_template;
	if (dt && (!*dt || strlen(dt) > MC_BULK_MAX_ID || strchr(dt, ' ')))
		return mc__fail(err, MC_ERR_ARG, "opts.default_template",
		                "default template must be a non-empty id without spaces, at most %u bytes", MC_BULK_MAX_ID);
	size_t rb = opts->read_buffer ? opts->read_buffer : MC_BULK_READ_BUFFER;
	if (rb < READ_MIN)
		rb = READ_MIN;
	if (rb > MC_JSON_MAX_BYTES)
		return mc__fail(err, MC_ERR_ARG, "opts.read_buffer", "read buffer of %zu bytes exceeds %u", rb,
		                MC_JSON_MAX_BYTES);
	mc_bulk_reader *r = calloc(1, sizeof *r);
	if (!r)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	r->format = opts->format;
	r->flags = opts->flags;
	r->read = read;
	r->ctx = ctx;
	r->in_cap = rb;
	r->line = 1;
	r->in = malloc(rb);
	r->rec = malloc(REC_CAP);
	r->out = malloc(OUT_CAP);
	if (dt)
		r->default_template = strdup(dt);
	if (!r->in || !r->rec || !r->out || (dt && !r->default_template)) {
		mc_bulk_close(r);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	*out = r;
	return MC_OK;
}

mc_status mc_bulk_open_file(FILE *f, const mc_bulk_opts *opts, mc_bulk_reader **out, mc_err *err)
{
	if (!f) {
		if (out)
			*out = NULL;
		return mc__fail(err, MC_ERR_ARG, "f", "stream is NULL");
	}
	return mc_bulk_open(file_read, f, opts, out, err);
}

size_t mc_bulk_memory(const mc_bulk_reader *r)
{
	if (!r)
		return 0;
	size_t n = sizeof *r + r->in_cap + REC_CAP + OUT_CAP;
	if (r->hdr)
		n += strlen(r->hdr) + 1;
	if (r->default_template)
		n += strlen(r->default_template) + 1;
	return n;
}

void mc_bulk_close(mc_bulk_reader *r)
{
	if (!r)
		return;
	free(r->in);
	free(r->rec);
	free(r->out);
	free(r->hdr);
	free(r->default_template);
	free(r);
}

/* Finish a checked row: report the first problem (and how many more), or
 * emit the learner document. */
static mc_status finish(mc_bulk_reader *r, mc_bulk_row *row, mc_err *err)
{
	if (r->nprob > 0) {
		row->kind = MC_BULK_BAD_ROW;
		if (r->nprob > 1) {
			size_t n = strlen(r->prob_msg);
			snprintf(r->prob_msg + n, sizeof r->prob_msg - n, " (and %u more problem%s in this %s)", r->nprob - 1,
			         r->nprob > 2 ? "s" : "", r->format == MC_BULK_CSV ? "row" : "line");
		}
		return mc__fail(err, r->prob_st, r->prob_path, "%s", r->prob_msg);
	}
	mc_status st = emit(r, row);
	if (st != MC_OK) {
		row->kind = MC_BULK_FAILED;
		fail_stream(r, st, "", "learner document does not fit its buffer");
		return mc__fail(err, st, r->fatal.path, "%s", r->fatal.msg);
	}
	row->kind = MC_BULK_ROW;
	return MC_OK;
}

static mc_status next_csv(mc_bulk_reader *r, mc_bulk_row *row, mc_err *err)
{
	if (!r->have_header && csv_header(r) != MC_OK)
		return r->fatal.status;
	enum rec_result rr;
	do {
		rr = csv_record(r);
		if (rr != REC_EOF && rr != REC_FAIL)
			r->row++;
	} while (rr == REC_BLANK);
	if (rr == REC_FAIL)
		return r->fatal.status;
	if (rr == REC_EOF) {
		r->ended = true;
		row->kind = MC_BULK_END;
		return MC_OK;
	}
	row->row = r->row;
	row->line = r->rec_line;
	char tmp[32];
	if (r->bad_st != MC_OK) {
		const char *nm = r->bad_field == SIZE_MAX ? NULL : col_name(r, r->bad_field, tmp, sizeof tmp);
		row_fail(r, row->row, r->bad_st, nm, "%s", r->bad_msg);
		return finish(r, row, err);
	}
	if (r->nf != r->ncols) {
		row_fail(r, row->row, MC_ERR_VALUE, NULL, "has %zu field%s; the header has %zu", r->nf,
		         r->nf == 1 ? "" : "s", r->ncols);
		return finish(r, row, err);
	}
	for (size_t i = 0; i < r->ncols; i++) {
		int f = r->colmap[i];
		if (f < 0)
			continue;
		r->src[f] = r->hname[i];
		const char *v = r->rec + r->fstart[i];
		if (*v)
			r->val[f] = v;
	}
	check_values(r, row->row);
	return finish(r, row, err);
}

static mc_status next_jsonl(mc_bulk_reader *r, mc_bulk_row *row, mc_err *err)
{
	enum rec_result rr;
	bool overflow;
	do
		rr = jsonl_line(r, &overflow);
	while (rr == REC_BLANK);
	if (rr == REC_FAIL)
		return r->fatal.status;
	if (rr == REC_EOF) {
		r->ended = true;
		row->kind = MC_BULK_END;
		return MC_OK;
	}
	row->row = row->line = r->rec_line;
	if (overflow) {
		row_fail(r, row->row, MC_ERR_TOO_LARGE, NULL,
		         "line is longer than the limit of MC_BULK_MAX_RECORD (%u) bytes", MC_BULK_MAX_RECORD);
		return finish(r, row, err);
	}
	mc_err pe = {0};
	cJSON *doc = mc__json_parse(r->rec, r->rec_len, &pe);
	if (!doc) {
		row_fail(r, row->row, pe.status, pe.path[0] ? pe.path : "$", "%s", pe.msg);
		return finish(r, row, err);
	}
	if (!cJSON_IsObject(doc))
		row_fail(r, row->row, MC_ERR_TYPE, "$", "each line must be a JSON object");
	else
		jsonl_take(r, doc, row->row);
	if (r->nprob == 0)
		check_values(r, row->row); /* member names are in doc: check before deleting it */
	cJSON_Delete(doc);
	/* names were only needed for messages, which are written by now */
	memset(r->src, 0, sizeof r->src);
	return finish(r, row, err);
}

mc_status mc_bulk_next(mc_bulk_reader *r, mc_bulk_row *row, mc_err *err)
{
	if (!row)
		return mc__fail(err, MC_ERR_ARG, "row", "row is NULL");
	memset(row, 0, sizeof *row);
	if (!r) {
		row->kind = MC_BULK_FAILED;
		return mc__fail(err, MC_ERR_ARG, "r", "reader is NULL");
	}
	mc_status st = MC_OK;
	if (r->fatal.status == MC_OK && !r->ended) {
		r->nprob = 0;
		memset(r->val, 0, sizeof r->val);
		memset(r->src, 0, sizeof r->src);
		if (!r->started && !skip_bom(r))
			st = r->fatal.status;
		else if (r->format == MC_BULK_CSV)
			st = next_csv(r, row, err);
		else
			st = next_jsonl(r, row, err);
		if (r->fatal.status == MC_OK)
			return st;
	}
	if (r->fatal.status != MC_OK) {
		memset(row, 0, sizeof *row);
		row->kind = MC_BULK_FAILED;
		return mc__fail(err, r->fatal.status, r->fatal.path, "%s", r->fatal.msg);
	}
	row->kind = MC_BULK_END;
	return MC_OK;
}
