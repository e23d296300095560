/*
 * ops_catalog.c - issuers, signing keys and achievement templates: the
 * slowly changing catalog an issuer sets up before issuing. Written once
 * for both back-ends against the SQL executor in store_internal.h; the
 * SQL here is the subset SQLite and PostgreSQL share.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static int64_t or_now(int64_t t)
{
	return t ? t : mc__time_now();
}

/* ---- Issuers --------------------------------------------------------- */

#define ISSUER_COLS "id, legal_name, country, identifiers, url, created, profile"

static mc_status fill_issuer(void *dst, const mc__val *c, int n)
{
	mc_store_issuer *v = dst;
	if (n != 7)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->legal_name, &c[1]) ||
	    !mc__col_str(&v->country, &c[2]) || !mc__col_str(&v->identifiers, &c[3]) ||
	    !mc__col_str(&v->url, &c[4]) || !mc__col_str(&v->profile, &c[6]))
		return MC_ERR_NOMEM;
	v->created = mc__col_int(&c[5], 0);
	return MC_OK;
}

static void clear_issuer(void *v)
{
	mc_store_issuer_clear(v);
}

mc_status mc__issuer_add(mc_store *s, const mc_store_issuer *in, mc_err *err)
{
	mc__val p[7] = {mc__v_text(in->id), mc__v_text(in->legal_name), mc__v_text(in->country),
	                mc__v_text(in->identifiers ? in->identifiers : "{}"), mc__v_text(in->url),
	                mc__v_int(or_now(in->created)), mc__v_text(in->profile)};
	return mc__store_write(s, "issuer_add",
	                       "INSERT INTO issuers (" ISSUER_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7)", p, 7, NULL,
	                       err);
}

mc_status mc__issuer_update(mc_store *s, const mc_store_issuer *in, mc_err *err)
{
	mc__val p[6] = {mc__v_text(in->id), mc__v_text(in->legal_name), mc__v_text(in->country),
	                mc__v_text(in->identifiers ? in->identifiers : "{}"), mc__v_text(in->url),
	                mc__v_text(in->profile)};
	int64_t changed = 0;
	MC__CHECK(mc__store_write(s, "issuer_update",
	                      "UPDATE issuers SET legal_name = $2, country = $3, identifiers = $4, url = $5, "
	                      "profile = $6 WHERE id = $1",
	                      p, 6, &changed, err));
	return changed ? MC_OK : mc__fail(err, MC_ERR_MISSING, "issuer.id", "issuer_update: no such issuer");
}

mc_status mc__issuer_get(mc_store *s, const char *id, mc_store_issuer *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	return mc__get_one(s, "issuer_get", "SELECT " ISSUER_COLS " FROM issuers WHERE id = $1", p, 1, out,
	                   sizeof *out, fill_issuer, clear_issuer, "issuer", err);
}

static mc_status issuer_delete_in(mc_store *s, const mc__val *p, mc_err *err)
{
	int64_t keys = 0, changed = 0;
	MC__CHECK(mc__store_exec(s, "issuer_delete", "SELECT count(*) FROM signing_keys WHERE issuer_id = $1", p, 1,
	                     mc__row_int, &keys, NULL, err));
	if (keys)
		return mc__fail(err, MC_ERR_VALUE, "id",
		                "issuer_delete: conflict: the issuer has %lld signing key(s), kept to verify what they signed",
		                (long long)keys);
	MC__CHECK(mc__store_exec(s, "issuer_delete", "DELETE FROM issuers WHERE id = $1", p, 1, NULL, NULL, &changed, err));
	return changed ? MC_OK : mc__fail(err, MC_ERR_MISSING, "id", "issuer_delete: no such issuer");
}

mc_status mc__issuer_delete(mc_store *s, const char *id, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, issuer_delete_in(s, p, err), err);
}

mc_status mc__issuer_list(mc_store *s, mc_store_issuer **out, size_t *n, mc_err *err)
{
	return mc__get_list(s, "issuer_list", "SELECT " ISSUER_COLS " FROM issuers ORDER BY id", NULL, 0,
	                    (void **)out, n, sizeof **out, fill_issuer, clear_issuer, err);
}

/* ---- Signing keys ---------------------------------------------------- */

#define KEY_COLS "key_id, issuer_id, public_key_multibase, key_file, created, retired_at"

static mc_status fill_key(void *dst, const mc__val *c, int n)
{
	mc_store_key *v = dst;
	if (n != 6)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->key_id, &c[0]) || !mc__col_str(&v->issuer_id, &c[1]) ||
	    !mc__col_str(&v->public_key_multibase, &c[2]) || !mc__col_str(&v->key_file, &c[3]))
		return MC_ERR_NOMEM;
	v->created = mc__col_int(&c[4], 0);
	v->retired_at = mc__col_int(&c[5], 0);
	return MC_OK;
}

static void clear_key(void *v)
{
	mc_store_key_clear(v);
}

static mc_status key_add_in(mc_store *s, const mc_store_key *in, mc_err *err)
{
	int64_t created = or_now(in->created);
	if (!in->retired_at) {
		/* rotation: the issuer's active key stops signing as this one
		 * starts; the partial unique index would refuse two active keys */
		mc__val r[2] = {mc__v_text(in->issuer_id), mc__v_int(created)};
		MC__CHECK(mc__store_exec(s, "key_add",
		                     "UPDATE signing_keys SET retired_at = $2 WHERE issuer_id = $1 AND retired_at IS NULL", r,
		                     2, NULL, NULL, NULL, err));
	}
	mc__val p[6] = {mc__v_text(in->key_id),   mc__v_text(in->issuer_id), mc__v_text(in->public_key_multibase),
	                mc__v_text(in->key_file), mc__v_int(created),        mc__v_int(in->retired_at)};
	if (!in->retired_at)
		p[5] = mc__v_text(NULL);
	return mc__store_exec(s, "key_add",
	                      "INSERT INTO signing_keys (" KEY_COLS ") VALUES ($1, $2, $3, $4, $5, $6)", p, 6, NULL,
	                      NULL, NULL, err);
}

mc_status mc__key_add(mc_store *s, const mc_store_key *in, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, key_add_in(s, in, err), err);
}

mc_status mc__key_get(mc_store *s, const char *key_id, mc_store_key *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(key_id)};
	return mc__get_one(s, "key_get", "SELECT " KEY_COLS " FROM signing_keys WHERE key_id = $1", p, 1, out,
	                   sizeof *out, fill_key, clear_key, "key", err);
}

mc_status mc__key_active(mc_store *s, const char *issuer_id, mc_store_key *out, mc_err *err)
{
	mc__val p[1] = {mc__v_text(issuer_id)};
	return mc__get_one(s, "key_active",
	                   "SELECT " KEY_COLS " FROM signing_keys WHERE issuer_id = $1 AND retired_at IS NULL", p, 1,
	                   out, sizeof *out, fill_key, clear_key, "active key for this issuer", err);
}

mc_status mc__key_retire(mc_store *s, const char *key_id, int64_t at, mc_err *err)
{
	mc__val p[2] = {mc__v_text(key_id), mc__v_int(or_now(at))};
	int64_t changed = 0, exists = 0;
	MC__CHECK(mc__store_write(s, "key_retire",
	                      "UPDATE signing_keys SET retired_at = $2 WHERE key_id = $1 AND retired_at IS NULL", p, 2,
	                      &changed, err));
	if (changed)
		return MC_OK;
	MC__CHECK(mc__store_exec(s, "key_retire", "SELECT count(*) FROM signing_keys WHERE key_id = $1", p, 1,
	                     mc__row_int, &exists, NULL, err));
	return exists ? mc__fail(err, MC_ERR_VALUE, "key_id", "key_retire: conflict: the key is already retired")
	              : mc__fail(err, MC_ERR_MISSING, "key_id", "key_retire: no such key");
}

mc_status mc__key_list(mc_store *s, const char *issuer_id, mc_store_key **out, size_t *n, mc_err *err)
{
	mc__val p[1] = {mc__v_text(issuer_id)};
	return mc__get_list(s, "key_list",
	                    "SELECT " KEY_COLS " FROM signing_keys WHERE issuer_id = $1 ORDER BY created, key_id", p, 1,
	                    (void **)out, n, sizeof **out, fill_key, clear_key, err);
}

/* ---- Templates ------------------------------------------------------- */

static const char *const tpl_states[] = {"draft", "published", "retired"};

#define TPL_COLS "id, version, state, json, created"

static mc_status fill_template(void *dst, const mc__val *c, int n)
{
	mc_store_template *v = dst;
	if (n != 5)
		return MC_ERR_INTERNAL;
	int st = mc__name_index(&c[2], tpl_states, 3);
	if (st < 0)
		return MC_ERR_INTERNAL;
	if (!mc__col_str(&v->id, &c[0]) || !mc__col_str(&v->json, &c[3]))
		return MC_ERR_NOMEM;
	v->version = mc__col_int(&c[1], 0);
	v->state = (mc_template_state)st;
	v->created = mc__col_int(&c[4], 0);
	return MC_OK;
}

static void clear_template(void *v)
{
	mc_store_template_clear(v);
}

/* Latest version and its state; version 0 when the template is new.
 * With json set, same tells whether the stored text equals it. */
struct latest {
	int64_t version;
	int state;
	const char *json;
	bool same;
};

static mc_status row_latest(void *ctx, const mc__val *c, int n)
{
	struct latest *l = ctx;
	if (n != 2 && n != 3)
		return MC_ERR_INTERNAL;
	l->version = mc__col_int(&c[0], 0);
	l->state = mc__name_index(&c[1], tpl_states, 3);
	if (n == 3 && l->json && c[2].type == MC__V_TEXT)
		l->same = c[2].n == strlen(l->json) && memcmp(c[2].p, l->json, c[2].n) == 0;
	return l->state < 0 ? MC_ERR_INTERNAL : MC_OK;
}

static mc_status template_save_in(mc_store *s, const char *id, const char *json, int64_t *version, mc_err *err)
{
	struct latest l = {0, MC_TEMPLATE_DRAFT, json, false};
	mc__val q[1] = {mc__v_text(id)};
	MC__CHECK(mc__store_exec(s, "template_save",
	                     "SELECT version, state, json FROM templates WHERE id = $1 ORDER BY version DESC LIMIT 1", q,
	                     1, row_latest, &l, NULL, err));
	if (l.version && l.same) {
		/* nothing changed: no new version for a re-run of the same import */
	} else if (l.version && l.state == MC_TEMPLATE_DRAFT) {
		/* a draft has issued nothing yet: edit it in place */
		mc__val p[3] = {mc__v_text(id), mc__v_int(l.version), mc__v_text(json)};
		MC__CHECK(mc__store_exec(s, "template_save", "UPDATE templates SET json = $3 WHERE id = $1 AND version = $2",
		                     p, 3, NULL, NULL, NULL, err));
	} else {
		/* new, or the latest is frozen: credentials point at it */
		l.version++;
		mc__val p[4] = {mc__v_text(id), mc__v_int(l.version), mc__v_text(json), mc__v_int(mc__time_now())};
		MC__CHECK(mc__store_exec(s, "template_save",
		                     "INSERT INTO templates (" TPL_COLS ") VALUES ($1, $2, 'draft', $3, $4)", p, 4, NULL,
		                     NULL, NULL, err));
	}
	if (version)
		*version = l.version;
	return MC_OK;
}

mc_status mc__template_save(mc_store *s, const char *id, const char *json, int64_t *version, mc_err *err)
{
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, template_save_in(s, id, json, version, err), err);
}

static mc_status template_state_in(mc_store *s, const mc__val *p, mc_template_state to, mc_err *err)
{
	struct latest cur = {0, -1, NULL, false};
	MC__CHECK(mc__store_exec(s, "template_set_state",
	                     "SELECT version, state FROM templates WHERE id = $1 AND version = $2", p, 2, row_latest, &cur,
	                     NULL, err));
	if (!cur.version)
		return mc__fail(err, MC_ERR_MISSING, "version", "template_set_state: no such template version");
	if ((int)to == cur.state)
		return MC_OK; /* publishing twice is harmless */
	if ((int)to < cur.state)
		return mc__fail(err, MC_ERR_VALUE, "state", "template_set_state: conflict: a %s template cannot become %s",
		                tpl_states[cur.state], tpl_states[to]);
	mc__val u[3] = {p[0], p[1], mc__v_text(tpl_states[to])};
	return mc__store_exec(s, "template_set_state", "UPDATE templates SET state = $3 WHERE id = $1 AND version = $2",
	                      u, 3, NULL, NULL, NULL, err);
}

mc_status mc__template_set_state(mc_store *s, const char *id, int64_t version, mc_template_state to, mc_err *err)
{
	mc__val p[2] = {mc__v_text(id), mc__v_int(version)};
	MC__CHECK(mc__store_atomic_begin(s, false, err));
	return mc__store_atomic_end(s, template_state_in(s, p, to, err), err);
}

mc_status mc__template_get(mc_store *s, const char *id, int64_t version, mc_store_template *out, mc_err *err)
{
	mc__val p[2] = {mc__v_text(id), mc__v_int(version)};
	if (version == 0)
		return mc__get_one(s, "template_get",
		                   "SELECT " TPL_COLS " FROM templates WHERE id = $1 ORDER BY version DESC LIMIT 1", p, 1,
		                   out, sizeof *out, fill_template, clear_template, "template", err);
	return mc__get_one(s, "template_get", "SELECT " TPL_COLS " FROM templates WHERE id = $1 AND version = $2", p,
	                   2, out, sizeof *out, fill_template, clear_template, "template version", err);
}

mc_status mc__template_list(mc_store *s, mc_store_template **out, size_t *n, mc_err *err)
{
	mc__val p[1] = {mc__v_int(MC_STORE_TEMPLATE_LIST_MAX)};
	return mc__get_list(s, "template_list",
	                    "SELECT " TPL_COLS " FROM templates t WHERE version = "
	                    "(SELECT max(version) FROM templates u WHERE u.id = t.id) ORDER BY id LIMIT $1",
	                    p, 1, (void **)out, n, sizeof **out, fill_template, clear_template, err);
}

mc_status mc__template_versions(mc_store *s, const char *id, mc_store_template **out, size_t *n, mc_err *err)
{
	mc__val p[1] = {mc__v_text(id)};
	return mc__get_list(s, "template_versions",
	                    "SELECT " TPL_COLS " FROM templates WHERE id = $1 ORDER BY version", p, 1, (void **)out, n,
	                    sizeof **out, fill_template, clear_template, err);
}
