/*
 * auth.h - API tokens and browser sessions for `mcred serve`.
 *
 * Tokens. `mcred token add` makes a random 256-bit token, prints it once
 * and keeps only its SHA-256 in a token file (one line per token, mode
 * 0600), so a stolen token file does not hand out tokens. A token is
 * "mct_" + 43 base64url characters. Checking a token hashes it and
 * compares the hash with EVERY stored hash in constant time, so the time
 * taken says neither how much of a hash matched nor which entry did.
 *
 * Token file format (text, strict, docs/server.md):
 *     mcred-tokens 1
 *     <name> <role> <sha256 hex> <created unix seconds>
 *     <name> <role> <sha256 hex> <created> qa=<qa role>[,<qa role>...]
 * name: 1-64 of [A-Za-z0-9._-]; role: admin, issuer or reader. The
 * optional fifth field grants quality-assurance roles (qa.h mc_qa_role:
 * proposer, reviewer, qa-officer) that the QA endpoints check; a line
 * without it is written back exactly as before. Anything else in the file
 * is MC_ERR_VALUE naming the line ("line 3").
 *
 * Roles are ordered: admin can do everything issuer can, issuer everything
 * reader can (mc_role_allows).
 *
 * Sessions. The web admin logs in with a token once and then holds a
 * session cookie. An mc_sessions table is held in memory (a restart logs
 * everybody out), bounded (the oldest session is dropped when full) and
 * expiring (idle and absolute limits). Each session has a CSRF secret the
 * page must echo in a header on writes. The table keeps only SHA-256
 * hashes of session ids. It is thread-safe (one internal mutex).
 */
#ifndef MCRED_AUTH_H
#define MCRED_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "mcred/mcred.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (why: see each) ------------------------------------------ */

/* Most tokens in one file: a service has a handful of integrations and
 * staff; 1024 bounds the per-request check (every hash is compared). */
#define MC_TOKENS_MAX 1024u
/* Longest token name, in bytes. Names appear in the audit log as
 * "token:<name>"; 64 is plenty for "sis-export-2026". */
#define MC_TOKEN_NAME_MAX 64u
/* Characters of a token, without NUL: "mct_" + base64url(32 bytes). */
#define MC_TOKEN_CHARS 47u
/* Largest token file read: MC_TOKENS_MAX lines of at most ~160 bytes. */
#define MC_TOKEN_FILE_MAX (256u * 1024u)
/* Characters of a session id and of a CSRF secret (base64url of 32 random
 * bytes), without NUL. */
#define MC_SESSION_ID_CHARS 43u

typedef enum mc_role {
	MC_ROLE_READER = 0, /* GET of the issuer API */
	MC_ROLE_ISSUER = 1, /* + issue, bulk, revoke/suspend/reinstate, reissue, templates, share */
	MC_ROLE_ADMIN = 2   /* + learner export and erasure */
} mc_role;

/* "reader", "issuer", "admin"; NULL for another value. */
MC_API const char *mc_role_name(mc_role r);
/* Inverse of mc_role_name; MC_ERR_VALUE for another string. */
MC_API MC_NODISCARD mc_status mc_role_parse(const char *s, mc_role *out);
/* 1 when a holder of `have` may do what needs `need`. */
MC_API int mc_role_allows(mc_role have, mc_role need);

/* ---- Tokens ------------------------------------------------------------ */

typedef struct mc_tokens mc_tokens;

/* One entry as listed (no hash: listing never shows secrets). */
typedef struct mc_token_info {
	const char *name; /* valid while the set is unchanged */
	mc_role role;
	int64_t created;
	/* QA roles held: bit (1u << mc_qa_role) for each; 0 = none */
	unsigned qa_roles;
} mc_token_info;

/* QA roles a token may hold: the staff roles. Learners, employers and
 * peers answer through single-use invitations (qa.h mc_qa_invite), never
 * with a token. */
#define MC_TOKEN_QA_ROLES ((1u << 0) | (1u << 1) | (1u << 2))

/* An empty set. */
MC_API MC_NODISCARD mc_status mc_tokens_new(mc_tokens **out, mc_err *err);
/* Load a token file. A missing file is an empty set (a server with no
 * tokens serves only public endpoints). On failure *out is NULL. */
MC_API MC_NODISCARD mc_status mc_tokens_load(const char *path, mc_tokens **out, mc_err *err);
/* Parse token file text (what mc_tokens_load reads). */
MC_API MC_NODISCARD mc_status mc_tokens_parse(const char *text, size_t len, mc_tokens **out, mc_err *err);
/* Write the set to path atomically (temp file + rename), mode 0600. */
MC_API MC_NODISCARD mc_status mc_tokens_save(const mc_tokens *t, const char *path, mc_err *err);
MC_API void mc_tokens_free(mc_tokens *t);

/* Make a new random token for name and role, add its hash to the set and
 * write the token (MC_TOKEN_CHARS + NUL) to out: the only time it exists
 * in clear. A name in use is MC_ERR_VALUE (path "name"). */
MC_API MC_NODISCARD mc_status mc_tokens_add(mc_tokens *t, const char *name, mc_role role, int64_t now,
                                            char out[MC_TOKEN_CHARS + 1], mc_err *err);
/* mc_tokens_add that also grants the QA roles in qa_roles (bits of
 * MC_TOKEN_QA_ROLES; another bit is MC_ERR_VALUE, path "qa_roles"). */
MC_API MC_NODISCARD mc_status mc_tokens_add_qa(mc_tokens *t, const char *name, mc_role role, unsigned qa_roles,
                                               int64_t now, char out[MC_TOKEN_CHARS + 1], mc_err *err);
/* Parse "proposer,qa-officer" into bits of MC_TOKEN_QA_ROLES (path
 * "qa_roles" names a bad one); the inverse writes names joined by ','. */
MC_API MC_NODISCARD mc_status mc_token_qa_roles_parse(const char *s, unsigned *out, mc_err *err);
MC_API void mc_token_qa_roles_format(unsigned bits, char *out, size_t cap);
/* Remove the token called name; MC_ERR_MISSING when there is none. */
MC_API MC_NODISCARD mc_status mc_tokens_revoke(mc_tokens *t, const char *name, mc_err *err);
MC_API size_t mc_tokens_count(const mc_tokens *t);
/* Entry i (i < count), in file order; MC_ERR_ARG otherwise. */
MC_API MC_NODISCARD mc_status mc_tokens_get(const mc_tokens *t, size_t i, mc_token_info *out);
/* Check a presented token (len bytes, no NUL needed). MC_OK with the
 * entry's name copied to name (MC_TOKEN_NAME_MAX + 1 bytes, may be NULL)
 * and its role in *role; MC_ERR_MISSING when no entry matches. */
MC_API MC_NODISCARD mc_status mc_tokens_check(const mc_tokens *t, const char *token, size_t len,
                                              char name[MC_TOKEN_NAME_MAX + 1], mc_role *role);

/* ---- Sessions ---------------------------------------------------------- */

typedef struct mc_sessions mc_sessions;

/* A session as looked up: copies, valid after the table changes. */
typedef struct mc_session_info {
	char name[MC_TOKEN_NAME_MAX + 1]; /* the token name that logged in */
	mc_role role;
	char csrf[MC_SESSION_ID_CHARS + 1];
	int64_t created, last_used;
} mc_session_info;

/* A table of at most max sessions (1 to 1,000,000); a session ends idle
 * seconds after its last use or lifetime seconds after login. */
MC_API MC_NODISCARD mc_status mc_sessions_new(size_t max, int64_t idle, int64_t lifetime, mc_sessions **out,
                                              mc_err *err);
MC_API void mc_sessions_free(mc_sessions *s);
/* Start a session for (name, role) at now: writes the session id (the
 * cookie value) to id and its CSRF secret to info->csrf. When the table is
 * full the least recently used session is dropped. */
MC_API MC_NODISCARD mc_status mc_sessions_create(mc_sessions *s, const char *name, mc_role role, int64_t now,
                                                 char id[MC_SESSION_ID_CHARS + 1], mc_session_info *info,
                                                 mc_err *err);
/* Find the live session with this id (len bytes) at now and mark it used;
 * MC_ERR_MISSING when unknown or expired (an expired one is dropped). */
MC_API MC_NODISCARD mc_status mc_sessions_lookup(mc_sessions *s, const char *id, size_t len, int64_t now,
                                                 mc_session_info *out);
/* End a session (logout); MC_ERR_MISSING when unknown. */
MC_API MC_NODISCARD mc_status mc_sessions_delete(mc_sessions *s, const char *id, size_t len);
/* Sessions held (live or not yet swept). */
MC_API size_t mc_sessions_count(mc_sessions *s);
/* Constant-time comparison of two byte strings of possibly different
 * lengths (the lengths are not secret): 1 when equal. For CSRF checks. */
MC_API int mc_secret_equal(const char *a, size_t alen, const char *b, size_t blen);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_AUTH_H */
