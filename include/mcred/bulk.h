/*
 * bulk.h - streaming reader for bulk issuance input: CSV (RFC 4180) and
 * JSON Lines as a student information system or LMS exports them. Each
 * record becomes one learner document in the format mc_credential_build
 * takes (docs/model.md), plus row metadata: where it was in the file, the
 * template it asks for, its external id and an idempotency key. Formats,
 * columns, limits and messages: docs/bulk.md.
 *
 * Memory stays flat whatever the file size: the reader allocates a fixed
 * read buffer, one record buffer and one output buffer when it opens, and
 * nothing per row except, for JSON Lines, the parsed tree of the current
 * line (bounded by MC_BULK_MAX_RECORD). mc_bulk_memory reports the bytes.
 *
 * Errors follow mcred.h. A bad record never stops the stream: mc_bulk_next
 * reports it (row->kind MC_BULK_BAD_ROW, err->path "row 17: email" for CSV,
 * "line 5: email" for JSON Lines) and the next call reads the next record.
 * Only a bad CSV header, a read failure or memory exhaustion end the stream
 * (MC_BULK_FAILED); later calls repeat that failure. Because mc_err keeps
 * the FIRST failure, zero err before each call to see each row's problem.
 *
 * Ownership, once: everything a row points to belongs to the reader and is
 * valid until the next mc_bulk_next or mc_bulk_close on it.
 *
 * Threads: a reader is used by one thread at a time.
 */
#ifndef MCRED_BULK_H
#define MCRED_BULK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mcred/mcred.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Largest record: one CSV record (all its fields, separators and quotes,
 * embedded line breaks included, the final line break excluded) or one
 * JSON Lines line. A learner row is 100-500 bytes; 64 KiB leaves room for
 * long multilingual names and ignored free-text columns while bounding the
 * memory of one row. Larger records are reported (MC_ERR_TOO_LARGE) and
 * skipped; the stream goes on. */
#define MC_BULK_MAX_RECORD (64u * 1024u)

/* Most columns in a CSV header. SIS and LMS exports carry 10-60 columns;
 * 256 flags a file that is not a learner list (or a wrong delimiter) and
 * bounds the per-row field table. */
#define MC_BULK_MAX_COLUMNS 256u

/* Longest identifier value (learner id, email, student id, external id,
 * template id): the store keeps ids up to MC_STORE_ID_MAX (2 KiB), so a
 * longer one would be accepted here and refused at issuance. */
#define MC_BULK_MAX_ID 2048u

/* Default read buffer. Reads of 64 KiB keep system calls rare; the buffer
 * size does not change what is accepted (tests read 1 byte at a time). */
#define MC_BULK_READ_BUFFER (64u * 1024u)

/* ---- Types ------------------------------------------------------------- */

typedef enum mc_bulk_format {
	MC_BULK_CSV = 1,  /* RFC 4180, header row required, comma separated */
	MC_BULK_JSONL = 2 /* one JSON object per line */
} mc_bulk_format;

/* Flags for mc_bulk_opts.flags. */
/* Unknown CSV columns / JSON members are skipped instead of refused. */
#define MC_BULK_IGNORE_UNKNOWN 0x1u

/* Read at most cap bytes into buf; *got = 0 means end of input. Return
 * MC_OK, or a status (MC_ERR_IO) that ends the stream. */
typedef mc_status (*mc_bulk_read_fn)(void *ctx, char *buf, size_t cap, size_t *got);

typedef struct mc_bulk_opts {
	/* MC_BULK_CSV or MC_BULK_JSONL; required */
	mc_bulk_format format;
	/* MC_BULK_* flags; 0 for the strict default */
	unsigned flags;
	/* read buffer bytes; 0 = MC_BULK_READ_BUFFER (at least 16 is used) */
	size_t read_buffer;
	/* template id for rows without one (copied); NULL = none */
	const char *default_template;
} mc_bulk_opts;

/* What mc_bulk_next produced. */
typedef enum mc_bulk_kind {
	MC_BULK_ROW = 1,     /* a valid row: learner and metadata are set (status MC_OK) */
	MC_BULK_BAD_ROW = 2, /* a rejected record: err names row and field; call again */
	MC_BULK_END = 3,     /* input exhausted (status MC_OK) */
	MC_BULK_FAILED = 4   /* the stream cannot go on: header, read or memory failure */
} mc_bulk_kind;

/* Hex SHA-256 plus NUL. */
#define MC_BULK_KEY_CHARS 65

/* One record. Pointers are owned by the reader (see above). */
typedef struct mc_bulk_row {
	/* what happened; always set */
	mc_bulk_kind kind;
	/* CSV: 1-based record number, the header being row 1 (what a
	 * spreadsheet shows); JSON Lines: the line number. 0 when no record
	 * was read (END, FAILED before a record). */
	uint64_t row;
	/* 1-based line of the file where the record starts (differs from row
	 * for CSV records holding line breaks) */
	uint64_t line;
	/* learner JSON (docs/model.md format, NUL-terminated); NULL unless ROW */
	const char *learner;
	/* its length in bytes */
	size_t learner_len;
	/* template id of the row, else opts.default_template, else NULL */
	const char *template_id;
	/* external id of the row, or NULL */
	const char *external_id;
	/* the learner part of the key: learner id, else email, else student
	 * id, else "" (only an external id). Store it as
	 * mc_store_credential.learner_id so that the store's unique
	 * (template, learner, external id) triple matches key. NULL unless ROW */
	const char *learner_ref;
	/* idempotency key: hex SHA-256 of template, learner (id, else email,
	 * else student id) and external id; "" unless ROW */
	char key[MC_BULK_KEY_CHARS];
} mc_bulk_row;

typedef struct mc_bulk_reader mc_bulk_reader;

/* ---- Functions ---------------------------------------------------------- */

/* Open a reader pulling bytes from read(ctx, ...). Nothing is read yet.
 * *out receives the reader (NULL on failure); close it with mc_bulk_close. */
MC_API MC_NODISCARD mc_status mc_bulk_open(mc_bulk_read_fn read, void *ctx, const mc_bulk_opts *opts,
                                           mc_bulk_reader **out, mc_err *err);

/* The same on a stdio stream (read with fread; ferror -> MC_ERR_IO). The
 * stream stays the caller's: mc_bulk_close does not close it. */
MC_API MC_NODISCARD mc_status mc_bulk_open_file(FILE *f, const mc_bulk_opts *opts, mc_bulk_reader **out,
                                                mc_err *err);

/* Read the next record into *row. Returns MC_OK with kind ROW or END, or
 * the failure's status with kind BAD_ROW (go on calling) or FAILED (stop).
 * Statuses: MC_ERR_VALUE (bad value, ragged row, CSV syntax), MC_ERR_MISSING
 * (no learner identification or name), MC_ERR_TYPE (JSON member not a
 * string), MC_ERR_JSON_* (a JSON line does not parse), MC_ERR_JSON_ENCODING
 * (invalid UTF-8 or NUL in CSV), MC_ERR_TOO_LARGE (record or columns over
 * the limits), MC_ERR_IO, MC_ERR_NOMEM. */
MC_API MC_NODISCARD mc_status mc_bulk_next(mc_bulk_reader *r, mc_bulk_row *row, mc_err *err);

/* Bytes the reader holds now (buffers, header, current JSON tree).
 * Constant after the first record for CSV; bounded for JSON Lines. */
MC_API size_t mc_bulk_memory(const mc_bulk_reader *r);

/* Free the reader (NULL is a no-op). */
MC_API void mc_bulk_close(mc_bulk_reader *r);

#ifdef __cplusplus
}
#endif
/* issuer.h needs this header whole: mark it read, and let issuer.h in
 * now if it was skipped while this header was half-read (see issuer.h) */
#define MCRED_BULK_H_COMPLETE
#include "mcred/issuer.h"
#endif /* MCRED_BULK_H */
