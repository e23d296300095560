/*
 * auth.c - token file and in-memory session table (include/mcred/auth.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "internal.h"
#include "mcred/auth.h"
#include "mcred/qa.h"

#define TOKEN_PREFIX "mct_"
#define TOKEN_FILE_MAGIC "mcred-tokens 1"

/* ---- roles --------------------------------------------------------------- */

static const char *const role_names[] = {"reader", "issuer", "admin"};

const char *mc_role_name(mc_role r)
{
	return (unsigned)r < 3 ? role_names[r] : NULL;
}

mc_status mc_role_parse(const char *s, mc_role *out)
{
	for (unsigned i = 0; s && i < 3; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (mc_role)i;
			return MC_OK;
		}
	return MC_ERR_VALUE;
}

int mc_role_allows(mc_role have, mc_role need)
{
	return (unsigned)have <= MC_ROLE_ADMIN && have >= need;
}

int mc_secret_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	if (!a || !b || alen != blen)
		return 0;
	return alen == 0 || sodium_memcmp(a, b, alen) == 0;
}

/* base64url without padding of n random bytes into out (cap >= 4n/3+2). */
static void random_b64(char *out, size_t cap, size_t n)
{
	uint8_t raw[32];
	randombytes_buf(raw, n);
	sodium_bin2base64(out, cap, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

/* ---- tokens -------------------------------------------------------------- */

typedef struct token_entry {
	char name[MC_TOKEN_NAME_MAX + 1];
	mc_role role;
	uint8_t hash[crypto_hash_sha256_BYTES];
	int64_t created;
	unsigned qa_roles;
} token_entry;

struct mc_tokens {
	token_entry *v;
	size_t n, cap;
};

static int name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > MC_TOKEN_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

mc_status mc_tokens_new(mc_tokens **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = calloc(1, sizeof **out);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}

void mc_tokens_free(mc_tokens *t)
{
	if (!t)
		return;
	if (t->v)
		sodium_memzero(t->v, t->cap * sizeof *t->v);
	free(t->v);
	free(t);
}

static mc_status push(mc_tokens *t, const token_entry *e, mc_err *err)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, e->name) == 0)
			return mc__fail(err, MC_ERR_VALUE, "name", "a token named '%s' exists already", e->name);
	if (t->n >= MC_TOKENS_MAX)
		return mc__fail(err, MC_ERR_TOO_LARGE, "name", "at most %u tokens", MC_TOKENS_MAX);
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 8;
		token_entry *nv = realloc(t->v, nc * sizeof *nv);
		if (!nv)
			return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n++] = *e;
	return MC_OK;
}

mc_status mc_tokens_parse(const char *text, size_t len, mc_tokens **out, mc_err *err)
{
	if (!out || (!text && len))
		return mc__fail(err, MC_ERR_ARG, "text", "NULL argument");
	*out = NULL;
	if (len > MC_TOKEN_FILE_MAX)
		return mc__fail(err, MC_ERR_TOO_LARGE, "tokens", "token file larger than %u bytes", MC_TOKEN_FILE_MAX);
	mc_tokens *t;
	mc_status st = mc_tokens_new(&t, err);
	if (st != MC_OK)
		return st;
	size_t pos = 0, lineno = 0;
	char path[32];
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[256];
		lineno++;
		snprintf(path, sizeof path, "line %zu", lineno);
		if (ll >= sizeof line || memchr(text + pos, '\0', ll)) {
			st = mc__fail(err, MC_ERR_VALUE, path, "malformed token file line");
			break;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos += ll + (nl ? 1 : 0);
		if (lineno == 1) {
			if (strcmp(line, TOKEN_FILE_MAGIC) != 0) {
				st = mc__fail(err, MC_ERR_VALUE, path, "not a token file (expected '%s')", TOKEN_FILE_MAGIC);
				break;
			}
			continue;
		}
		char name[MC_TOKEN_NAME_MAX + 2], role[16], hex[2 * crypto_hash_sha256_BYTES + 2];
		long long created;
		int used = 0;
		token_entry e = {0};
		size_t binlen = 0;
		/* optional fifth field: " qa=<roles>" */
		char qa[96] = "";
		int used5 = 0;
		if (sscanf(line, "%65s %15s %65s %lld%n", name, role, hex, &created, &used) == 4 && (size_t)used != ll &&
		    (line[used] != ' ' || sscanf(line + used, " qa=%95[a-z,-]%n", qa, &used5) != 1 || (size_t)(used + used5) != ll ||
		     mc_token_qa_roles_parse(qa, &e.qa_roles, NULL) != MC_OK || !e.qa_roles))
			used = -1;
		else if (qa[0])
			used = (int)ll;
		if (sscanf(line, "%65s %15s %65s %lld", name, role, hex, &created) != 4 ||
		    (size_t)used != ll || !name_ok(name) || mc_role_parse(role, &e.role) != MC_OK ||
		    strlen(hex) != 2 * crypto_hash_sha256_BYTES ||
		    sodium_hex2bin(e.hash, sizeof e.hash, hex, strlen(hex), NULL, &binlen, NULL) != 0 ||
		    binlen != sizeof e.hash || created < 0) {
			st = mc__fail(err, MC_ERR_VALUE, path, "expected '<name> <admin|issuer|reader> <sha256 hex> <created> [qa=<roles>]'");
			break;
		}
		memcpy(e.name, name, strlen(name) + 1);
		e.created = created;
		st = push(t, &e, err);
		if (st != MC_OK)
			break;
	}
	if (st == MC_OK && lineno == 0)
		st = mc__fail(err, MC_ERR_VALUE, "line 1", "empty token file");
	if (st != MC_OK) {
		mc_tokens_free(t);
		return st;
	}
	*out = t;
	return MC_OK;
}

mc_status mc_tokens_load(const char *path, mc_tokens **out, mc_err *err)
{
	if (!path || !out)
		return mc__fail(err, MC_ERR_ARG, "path", "NULL argument");
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return mc_tokens_new(out, err);
		return mc__fail(err, MC_ERR_IO, "tokens", "cannot open the token file: %s", strerror(errno));
	}
	char *buf = malloc(MC_TOKEN_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, MC_TOKEN_FILE_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	mc_status st;
	if (!buf)
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	else if (bad)
		st = mc__fail(err, MC_ERR_IO, "tokens", "cannot read the token file");
	else
		st = mc_tokens_parse(buf, n, out, err);
	free(buf);
	return st;
}

mc_status mc_tokens_save(const mc_tokens *t, const char *path, mc_err *err)
{
	if (!t || !path)
		return mc__fail(err, MC_ERR_ARG, "path", "NULL argument");
	mc__buf b;
	mc__buf_init(&b, MC_TOKEN_FILE_MAX);
	mc__buf_adds(&b, TOKEN_FILE_MAGIC "\n");
	for (size_t i = 0; i < t->n; i++) {
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		sodium_bin2hex(hex, sizeof hex, t->v[i].hash, sizeof t->v[i].hash);
		mc__buf_addf(&b, "%s %s %s %lld", t->v[i].name, mc_role_name(t->v[i].role), hex,
		             (long long)t->v[i].created);
		if (t->v[i].qa_roles) {
			char qa[96];
			mc_token_qa_roles_format(t->v[i].qa_roles, qa, sizeof qa);
			mc__buf_addf(&b, " qa=%s", qa);
		}
		mc__buf_adds(&b, "\n");
	}
	size_t len = 0;
	char *text = mc__buf_take(&b, &len);
	if (!text)
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		free(text);
		return mc__fail(err, MC_ERR_ARG, "path", "path too long");
	}
	mc_status st = MC_OK;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		st = mc__fail(err, MC_ERR_IO, "tokens", "cannot create %s: %s", tmp, strerror(errno));
	} else {
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(fd, text + off, len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		int ok = off == len && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, path) != 0) {
			st = mc__fail(err, MC_ERR_IO, "tokens", "cannot write the token file: %s", strerror(errno));
			unlink(tmp);
		}
	}
	sodium_memzero(text, len);
	free(text);
	return st;
}

mc_status mc_token_qa_roles_parse(const char *s, unsigned *out, mc_err *err)
{
	if (!s || !out)
		return mc__fail(err, MC_ERR_ARG, "qa_roles", "NULL argument");
	unsigned bits = 0;
	const char *p = s;
	for (;;) {
		size_t n = strcspn(p, ",");
		char one[32];
		mc_qa_role r;
		if (n == 0 || n >= sizeof one)
			return mc__fail(err, MC_ERR_VALUE, "qa_roles", "QA roles are proposer, reviewer, qa-officer (comma-separated)");
		memcpy(one, p, n);
		one[n] = '\0';
		if (mc_qa_role_parse(one, &r) != MC_OK || !((1u << r) & MC_TOKEN_QA_ROLES))
			return mc__fail(err, MC_ERR_VALUE, "qa_roles", "'%s' is not a QA role a token may hold (proposer, reviewer, "
			                "qa-officer)", one);
		bits |= 1u << r;
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = bits;
	return MC_OK;
}

void mc_token_qa_roles_format(unsigned bits, char *out, size_t cap)
{
	size_t used = 0;
	if (cap)
		out[0] = '\0';
	for (unsigned r = 0; r < 3 && cap; r++)
		if (bits & (1u << r))
			used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, "%s%s", used ? "," : "",
			                         mc_qa_role_name((mc_qa_role)r));
}

mc_status mc_tokens_add(mc_tokens *t, const char *name, mc_role role, int64_t now, char out[MC_TOKEN_CHARS + 1],
                        mc_err *err)
{
	return mc_tokens_add_qa(t, name, role, 0, now, out, err);
}

mc_status mc_tokens_add_qa(mc_tokens *t, const char *name, mc_role role, unsigned qa_roles, int64_t now,
                           char out[MC_TOKEN_CHARS + 1], mc_err *err)
{
	if (qa_roles & ~MC_TOKEN_QA_ROLES)
		return mc__fail(err, MC_ERR_VALUE, "qa_roles", "a token holds only proposer, reviewer and qa-officer");
	if (!t || !out)
		return mc__fail(err, MC_ERR_ARG, "out", "NULL argument");
	if (!name_ok(name))
		return mc__fail(err, MC_ERR_VALUE, "name", "a token name is 1-%u of A-Z a-z 0-9 . _ -", MC_TOKEN_NAME_MAX);
	if (!mc_role_name(role))
		return mc__fail(err, MC_ERR_VALUE, "role", "unknown role");
	token_entry e = {.role = role, .created = now, .qa_roles = qa_roles};
	memcpy(e.name, name, strlen(name) + 1);
	char tok[MC_TOKEN_CHARS + 1];
	memcpy(tok, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
	random_b64(tok + strlen(TOKEN_PREFIX), sizeof tok - strlen(TOKEN_PREFIX), 32);
	crypto_hash_sha256(e.hash, (const unsigned char *)tok, MC_TOKEN_CHARS);
	mc_status st = push(t, &e, err);
	if (st == MC_OK)
		memcpy(out, tok, sizeof tok);
	sodium_memzero(tok, sizeof tok);
	return st;
}

mc_status mc_tokens_revoke(mc_tokens *t, const char *name, mc_err *err)
{
	for (size_t i = 0; t && name && i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0) {
			memmove(t->v + i, t->v + i + 1, (t->n - i - 1) * sizeof *t->v);
			t->n--;
			return MC_OK;
		}
	return mc__fail(err, MC_ERR_MISSING, "name", "no token named '%s'", name ? name : "");
}

size_t mc_tokens_count(const mc_tokens *t)
{
	return t ? t->n : 0;
}

mc_status mc_tokens_get(const mc_tokens *t, size_t i, mc_token_info *out)
{
	if (!t || !out || i >= t->n)
		return MC_ERR_ARG;
	out->name = t->v[i].name;
	out->role = t->v[i].role;
	out->created = t->v[i].created;
	out->qa_roles = t->v[i].qa_roles;
	return MC_OK;
}

mc_status mc_tokens_check(const mc_tokens *t, const char *token, size_t len, char name[MC_TOKEN_NAME_MAX + 1],
                          mc_role *role)
{
	if (!t || !token || len != MC_TOKEN_CHARS)
		return MC_ERR_MISSING;
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, len);
	/* compare with every entry, whatever matched, so timing says nothing */
	size_t hit = SIZE_MAX;
	for (size_t i = 0; i < t->n; i++) {
		int eq = sodium_memcmp(h, t->v[i].hash, sizeof h) == 0;
		hit = eq ? i : hit;
	}
	if (hit == SIZE_MAX)
		return MC_ERR_MISSING;
	if (name)
		memcpy(name, t->v[hit].name, strlen(t->v[hit].name) + 1);
	if (role)
		*role = t->v[hit].role;
	return MC_OK;
}

/* ---- sessions ------------------------------------------------------------ */

typedef struct session {
	int used; /* slot taken */
	uint8_t id_hash[crypto_hash_sha256_BYTES];
	mc_session_info info;
} session;

struct mc_sessions {
	pthread_mutex_t mu;
	session *v;
	size_t max;
	int64_t idle, lifetime;
};

mc_status mc_sessions_new(size_t max, int64_t idle, int64_t lifetime, mc_sessions **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "output pointer is NULL");
	*out = NULL;
	if (max < 1 || max > 1000000 || idle <= 0 || lifetime <= 0)
		return mc__fail(err, MC_ERR_ARG, "max", "sessions: max 1-1000000, positive idle and lifetime");
	mc_sessions *s = calloc(1, sizeof *s);
	if (s)
		s->v = calloc(max, sizeof *s->v);
	if (!s || !s->v || pthread_mutex_init(&s->mu, NULL) != 0) {
		if (s)
			free(s->v);
		free(s);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	s->max = max;
	s->idle = idle;
	s->lifetime = lifetime;
	*out = s;
	return MC_OK;
}

void mc_sessions_free(mc_sessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	sodium_memzero(s->v, s->max * sizeof *s->v);
	free(s->v);
	free(s);
}

static int expired(const mc_sessions *s, const session *x, int64_t now)
{
	return now - x->info.last_used >= s->idle || now - x->info.created >= s->lifetime;
}

mc_status mc_sessions_create(mc_sessions *s, const char *name, mc_role role, int64_t now,
                             char id[MC_SESSION_ID_CHARS + 1], mc_session_info *info, mc_err *err)
{
	if (!s || !id || !name_ok(name) || !mc_role_name(role))
		return mc__fail(err, MC_ERR_ARG, "name", "bad session arguments");
	session x = {.used = 1};
	memcpy(x.info.name, name, strlen(name) + 1);
	x.info.role = role;
	x.info.created = x.info.last_used = now;
	random_b64(x.info.csrf, sizeof x.info.csrf, 32);
	char sid[MC_SESSION_ID_CHARS + 1];
	random_b64(sid, sizeof sid, 32);
	crypto_hash_sha256(x.id_hash, (const unsigned char *)sid, MC_SESSION_ID_CHARS);
	pthread_mutex_lock(&s->mu);
	/* a free or expired slot, else the least recently used one */
	size_t pick = 0;
	for (size_t i = 0; i < s->max; i++) {
		if (!s->v[i].used || expired(s, &s->v[i], now)) {
			pick = i;
			break;
		}
		if (s->v[i].info.last_used < s->v[pick].info.last_used)
			pick = i;
	}
	s->v[pick] = x;
	pthread_mutex_unlock(&s->mu);
	memcpy(id, sid, sizeof sid);
	if (info)
		*info = x.info;
	sodium_memzero(sid, sizeof sid);
	return MC_OK;
}

/* Index of the session with this id, or SIZE_MAX; caller holds the lock. */
static size_t find(mc_sessions *s, const char *id, size_t len)
{
	if (!id || len != MC_SESSION_ID_CHARS)
		return SIZE_MAX;
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)id, len);
	/* ids are hashed, so a linear scan leaks nothing a guesser can use */
	for (size_t i = 0; i < s->max; i++)
		if (s->v[i].used && sodium_memcmp(h, s->v[i].id_hash, sizeof h) == 0)
			return i;
	return SIZE_MAX;
}

mc_status mc_sessions_lookup(mc_sessions *s, const char *id, size_t len, int64_t now, mc_session_info *out)
{
	if (!s)
		return MC_ERR_ARG;
	pthread_mutex_lock(&s->mu);
	size_t i = find(s, id, len);
	mc_status st = MC_ERR_MISSING;
	if (i != SIZE_MAX) {
		if (expired(s, &s->v[i], now)) {
			sodium_memzero(&s->v[i], sizeof s->v[i]);
		} else {
			s->v[i].info.last_used = now;
			if (out)
				*out = s->v[i].info;
			st = MC_OK;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return st;
}

mc_status mc_sessions_delete(mc_sessions *s, const char *id, size_t len)
{
	if (!s)
		return MC_ERR_ARG;
	pthread_mutex_lock(&s->mu);
	size_t i = find(s, id, len);
	if (i != SIZE_MAX)
		sodium_memzero(&s->v[i], sizeof s->v[i]);
	pthread_mutex_unlock(&s->mu);
	return i != SIZE_MAX ? MC_OK : MC_ERR_MISSING;
}

size_t mc_sessions_count(mc_sessions *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < s->max; i++)
		n += s->v[i].used != 0;
	pthread_mutex_unlock(&s->mu);
	return n;
}
