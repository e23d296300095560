/*
 * cmd_store.c - the store-backed commands: init, issuer add, key rotate,
 * template add/publish, issue --template, bulk, revoke/suspend/reinstate,
 * reissue, learner export/erase. Each opens the store named by --store (or
 * $MCRED_STORE, else ./mcred.db), calls the library, and prints. The
 * workflow is described in docs/issuing.md.
 *
 * CLI-side conventions kept in the store (the store has no column for
 * them, see docs/issuing.md):
 *  - mc_store_issuer.identifiers holds {scheme: value, ...} plus
 *    "mcred:profile": the issuer document as given to `issuer add`, which
 *    is what mc_credential_build takes;
 *  - each issuer's revocation lists are "<base>/status/revocation/<k>",
 *    k = 1, 2, ... (a new list when one is full), base the issuer's url or,
 *    without one, its id.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"

#define PROFILE_MEMBER "mcred:profile"
/* Rows signed and inserted per transaction: large enough that the commit
 * (an fsync on SQLite, a round trip on PostgreSQL) is amortised, small
 * enough that a batch's memory stays a few MB and a crash loses little. */
#define BULK_BATCH_DEFAULT 1000u
#define BULK_BATCH_MAX 10000u
#define LIST_ID_MAX 4096

static const char *const store_flags_none[] = {NULL};

static int usage_err(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

static int fail(const char *what, mc_status st, const mc_err *err)
{
	cli_error(what, st, err);
	return cli_exit_for(st);
}

static const char *store_url(const cli_args *a)
{
	const char *u = cli_opt(a, "store");
	if (!u || !*u)
		u = getenv("MCRED_STORE");
	if (!u || !*u)
		u = "mcred.db";
	return u;
}

static int store_open(const cli_args *a, mc_store **s)
{
	mc_err err = {0};
	mc_status st = mc_store_open(store_url(a), s, &err);
	if (st != MC_OK)
		return fail("store", st, &err);
	return EXIT_OK;
}

/* Append one audit entry; details is a JSON object text or NULL. */
static mc_status audit(mc_store *s, const char *action, const char *subject, const char *details, mc_err *err)
{
	mc_store_audit e = {.actor = "cli", .action = (char *)action, .subject = (char *)subject,
	                    .details = (char *)details};
	return mc_store_audit_append(s, &e, NULL, err);
}

/* Undo an open transaction after a failure already reported. */
static void rollback(mc_store *s)
{
	mc_err e = {0};
	if (mc_store_rollback(s, &e) != MC_OK)
		fprintf(stderr, "mcred: rollback failed: %s\n", e.msg);
}

/* A JSON object text {"k1":"v1",...} from string pairs (NULL values are
 * skipped); malloc'd, NULL on failure. */
static char *json_pairs(const char *const *kv, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i + 1 < n; i += 2)
		if (kv[i + 1])
			json_object_set_new(o, kv[i], json_string(kv[i + 1]));
	char *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return out;
}

static void uuid_urn(char out[46])
{
	uint8_t b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 46, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	         b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Open a key file with the passphrase (prints errors). */
static int open_keyfile(const cli_args *a, const char *label, const char *json, size_t len, mc_key *k)
{
	char pass[MC_PASSPHRASE_MAX + 1];
	size_t plen;
	if (cli_passphrase(a, pass, sizeof pass, &plen) != 0)
		return EXIT_INPUT;
	mc_err err = {0};
	mc_status st = mc_keyfile_open_key(json, len, pass, plen, k, &err);
	sodium_memzero(pass, sizeof pass);
	if (st != MC_OK)
		return fail(label, st, &err);
	return EXIT_OK;
}

static int suite_ok(const char *s)
{
	return !s || strcmp(s, MC_SUITE_EDDSA_RDFC) == 0 || strcmp(s, MC_SUITE_EDDSA_JCS) == 0 ||
	       strcmp(s, MC_SUITE_ECDSA_RDFC) == 0;
}

/* ---- init ------------------------------------------------------------ */

int cmd_store_init(int argc, char **argv)
{
	static const char *const vo[] = {"store", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos)
		return usage_err("mcred init [--store URL]");
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	int64_t version = 0, applied = 0;
	mc_err err = {0};
	mc_status st = mc_store_schema(s, &version, &applied, &err);
	if (st == MC_OK)
		printf("store: %s, schema version %lld\n", mc_store_backend(s), (long long)version);
	mc_store_close(s);
	return st == MC_OK ? EXIT_OK : fail("init", st, &err);
}

/* ---- issuers and keys ---------------------------------------------- */

/* The verification method id for a new key of issuer `issuer`: a did:key
 * issuer signs with its own key's method; another DID with "#key-<n>",
 * n = keys so far + 1 (key-1 is what `mcred did web` publishes); an https
 * issuer with the key's did:key method. */
static int key_method(mc_store *s, const char *issuer, const mc_key *k, const char *override, char *out, size_t cap)
{
	if (override) {
		snprintf(out, cap, "%s", override);
		return 0;
	}
	mc_public_key pub;
	mc_key_public(k, &pub);
	if (strncmp(issuer, "did:", 4) == 0 && strncmp(issuer, "did:key:", 8) != 0) {
		mc_store_key *keys = NULL;
		size_t n = 0;
		mc_err err = {0};
		if (mc_store_key_list(s, issuer, &keys, &n, &err) != MC_OK)
			n = 0;
		mc_store_key_list_free(keys, n);
		snprintf(out, cap, "%s#key-%zu", issuer, n + 1);
		return 0;
	}
	char vm[MC_VM_ID_MAX];
	if (mc_public_key_vm(&pub, vm) != MC_OK)
		return -1;
	snprintf(out, cap, "%s", vm);
	return 0;
}

/* Store key file `path` as the issuer's active key (rotating any other). */
static int add_key(const cli_args *a, mc_store *s, const char *issuer, const char *path, int rotation)
{
	size_t klen;
	char *kjson = cli_read(path, &klen);
	if (!kjson)
		return EXIT_INPUT;
	mc_key k;
	int rc = open_keyfile(a, path, kjson, klen, &k);
	if (rc) {
		free(kjson);
		return rc;
	}
	mc_public_key pub;
	mc_key_public(&k, &pub);
	char mk[MC_MULTIKEY_MAX], kid[MC_STORE_ID_MAX];
	mc_err err = {0};
	mc_status st = mc_public_key_multikey(&pub, mk);
	if (st == MC_OK && key_method(s, issuer, &k, cli_opt(a, "key-id"), kid, sizeof kid) != 0)
		st = MC_ERR_INTERNAL;
	mc_key_wipe(&k);
	if (st == MC_OK)
		st = mc_store_begin(s, &err);
	if (st == MC_OK) {
		mc_store_key sk = {.key_id = kid, .issuer_id = (char *)issuer, .public_key_multibase = mk, .key_file = kjson};
		st = mc_store_key_add(s, &sk, &err);
		const char *kv[] = {"key", kid};
		char *det = json_pairs(kv, 2);
		if (st == MC_OK)
			st = audit(s, rotation ? "key.rotate" : "key.add", issuer, det, &err);
		free(det);
		if (st == MC_OK)
			st = mc_store_commit(s, &err);
		else {
			rollback(s);
		}
	}
	free(kjson);
	if (st != MC_OK)
		return fail(rotation ? "key rotate" : "issuer add", st, &err);
	printf("key %s active for %s\n", kid, issuer);
	return EXIT_OK;
}

int cmd_store_issuer_add(int argc, char **argv)
{
	static const char *const vo[] = {"store", "issuer", "key", "key-id", "passphrase-file", NULL};
	const char *usage = "mcred issuer add [--store URL] --issuer I.json --key KEY.json [--key-id VM]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "issuer") || !cli_opt(&a, "key"))
		return usage_err(usage);
	size_t len;
	char *text = cli_read(cli_opt(&a, "issuer"), &len);
	if (!text)
		return EXIT_INPUT;
	mc_err err = {0};
	mc_status st = mc_json_check(text, len, &err);
	json_error_t jerr;
	json_t *doc = st == MC_OK ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	free(text);
	if (st != MC_OK)
		return fail(cli_opt(&a, "issuer"), st, &err);
	const char *id = json_string_value(json_object_get(doc, "id"));
	const char *country = json_string_value(json_object_get(doc, "country"));
	const char *url = json_string_value(json_object_get(doc, "url"));
	json_t *name = json_object_get(doc, "name");
	const char *legal = json_string_value(name);
	if (!legal && json_is_object(name)) {
		/* a language map: the default language, else English, else the first */
		legal = json_string_value(json_object_get(name, "en"));
		if (!legal) {
			const char *key;
			json_t *v;
			json_object_foreach(name, key, v) {
				legal = json_string_value(v);
				if (legal)
					break;
			}
		}
	}
	if (!json_is_object(doc) || !id || !country || !legal) {
		fprintf(stderr, "mcred: %s: an issuer needs \"id\", \"name\" and \"country\" (docs/model.md)\n",
		        cli_opt(&a, "issuer"));
		json_decref(doc);
		return EXIT_INPUT;
	}
	/* validate the profile as mc_credential_build will */
	char *ptext = json_dumps(doc, JSON_COMPACT);
	mc_report *rep = NULL;
	static const char dummy_ach[] = "{\"title\":\"t\",\"description\":\"d\",\"learningOutcomes\":[\"o\"],\"ects\":1,"
	                                "\"eqfLevel\":5,\"assessment\":{\"type\":\"exam\"},\"participation\":\"online\","
	                                "\"qualityAssurance\":{\"type\":\"internal\"}}";
	static const char dummy_learner[] = "{\"id\":\"did:example:learner\"}";
	st = ptext ? mc_credential_check_inputs(dummy_ach, strlen(dummy_ach), ptext, strlen(ptext), dummy_learner,
	                                        strlen(dummy_learner), NULL, &rep, &err)
	           : MC_ERR_NOMEM;
	mc_report_free(rep);
	free(ptext);
	if (st != MC_OK && strncmp(err.path, "issuer", 6) == 0) {
		json_decref(doc);
		return fail(cli_opt(&a, "issuer"), st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
	}
	err = (mc_err){0};
	json_t *ids = json_object();
	json_t *arr = json_object_get(doc, "identifiers");
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item) {
		const char *sch = json_string_value(json_object_get(item, "scheme"));
		const char *val = json_string_value(json_object_get(item, "value"));
		if (sch && val)
			json_object_set_new(ids, sch, json_string(val));
	}
	json_object_set(ids, PROFILE_MEMBER, doc);
	char *idtext = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	mc_store *s = NULL;
	int rc = idtext ? store_open(&a, &s) : EXIT_SYSTEM;
	if (rc == EXIT_OK) {
		mc_store_issuer is = {.id = (char *)id, .legal_name = (char *)legal, .country = (char *)country,
		                      .identifiers = idtext, .url = (char *)url};
		st = mc_store_issuer_add(s, &is, &err);
		if (st == MC_ERR_VALUE) /* already registered: update the profile */
			st = (err = (mc_err){0}, mc_store_issuer_update(s, &is, &err));
		if (st == MC_OK)
			st = audit(s, "issuer.add", id, NULL, &err);
		if (st != MC_OK)
			rc = fail("issuer add", st, &err);
		else
			rc = add_key(&a, s, id, cli_opt(&a, "key"), 0);
	}
	free(idtext);
	json_decref(doc);
	mc_store_close(s);
	return rc;
}

int cmd_store_key_rotate(int argc, char **argv)
{
	static const char *const vo[] = {"store", "issuer", "key", "key-id", "passphrase-file", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "issuer") || !cli_opt(&a, "key"))
		return usage_err("mcred key rotate [--store URL] --issuer ID --key NEW.json [--key-id VM]");
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	mc_store_issuer is = {0};
	mc_err err = {0};
	mc_status st = mc_store_issuer_get(s, cli_opt(&a, "issuer"), &is, &err);
	if (st != MC_OK)
		rc = fail("key rotate", st, &err);
	else
		rc = add_key(&a, s, is.id, cli_opt(&a, "key"), 1);
	mc_store_issuer_clear(&is);
	mc_store_close(s);
	return rc;
}

/* ---- templates --------------------------------------------------------- */

int cmd_store_template_add(int argc, char **argv)
{
	static const char *const vo[] = {"store", "achievement", "id", NULL}, *const fo[] = {"publish", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos || !cli_opt(&a, "achievement"))
		return usage_err("mcred template add [--store URL] --achievement A.json [--id ID] [--publish]");
	size_t len;
	char *text = cli_read(cli_opt(&a, "achievement"), &len);
	if (!text)
		return EXIT_INPUT;
	mc_err err = {0};
	mc_report *rep = NULL;
	static const char dummy_issuer[] = "{\"id\":\"did:example:issuer\",\"name\":\"x\",\"country\":\"AT\"}";
	static const char dummy_learner[] = "{\"id\":\"did:example:learner\"}";
	mc_status st = mc_credential_check_inputs(text, len, dummy_issuer, strlen(dummy_issuer), dummy_learner,
	                                          strlen(dummy_learner), NULL, &rep, &err);
	if (st == MC_ERR_INVALID && rep) {
		for (size_t i = 0; i < mc_report_count(rep); i++) {
			const mc_finding *f = mc_report_get(rep, i);
			if (f->result == MC_FAIL)
				fprintf(stderr, "mcred: %s: %s: %s\n", cli_opt(&a, "achievement"), f->path, f->message);
		}
	}
	mc_report_free(rep);
	if (st != MC_OK) {
		free(text);
		return fail(cli_opt(&a, "achievement"), st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
	}
	/* the template id: --id, else the achievement's "id" */
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, 0, &jerr);
	const char *jid = json_string_value(json_object_get(doc, "id"));
	char *tid = strdup(cli_opt(&a, "id") ? cli_opt(&a, "id") : jid ? jid : "");
	json_decref(doc);
	if (!tid || !*tid) {
		fprintf(stderr, "mcred: template add: give --id ID (the achievement has no \"id\")\n");
		free(text);
		free(tid);
		return EXIT_USAGE;
	}
	mc_store *s;
	int rc = store_open(&a, &s);
	int64_t version = 0;
	if (rc == EXIT_OK) {
		st = mc_store_template_save(s, tid, text, &version, &err);
		if (st == MC_OK && cli_flag(&a, "publish"))
			st = mc_store_template_set_state(s, tid, version, MC_TEMPLATE_PUBLISHED, &err);
		char vbuf[32];
		snprintf(vbuf, sizeof vbuf, "%lld", (long long)version);
		const char *kv[] = {"version", vbuf, "state", cli_flag(&a, "publish") ? "published" : "draft"};
		char *det = json_pairs(kv, 4);
		if (st == MC_OK)
			st = audit(s, "template.save", tid, det, &err);
		free(det);
		if (st != MC_OK)
			rc = fail("template add", st, &err);
		else
			printf("template %s version %lld %s\n", tid, (long long)version,
			       cli_flag(&a, "publish") ? "published" : "draft");
		mc_store_close(s);
	}
	free(text);
	free(tid);
	return rc;
}

int cmd_store_template_publish(int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return usage_err("mcred template publish [--store URL] ID [--version N]");
	int64_t version = cli_opt(&a, "version") ? strtoll(cli_opt(&a, "version"), NULL, 10) : 0;
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	mc_store_template t = {0};
	mc_err err = {0};
	mc_status st = mc_store_template_get(s, a.pos[0], version, &t, &err);
	if (st == MC_OK)
		st = mc_store_template_set_state(s, a.pos[0], t.version, MC_TEMPLATE_PUBLISHED, &err);
	if (st == MC_OK)
		st = audit(s, "template.publish", a.pos[0], NULL, &err);
	if (st == MC_OK)
		printf("template %s version %lld published\n", a.pos[0], (long long)t.version);
	else
		rc = fail("template publish", st, &err);
	mc_store_template_clear(&t);
	mc_store_close(s);
	return rc;
}

/* The latest published version of template id: MC_ERR_MISSING for an
 * unknown template, MC_ERR_VALUE when no version is published. */
static mc_status template_published(mc_store *s, const char *id, int64_t *version, char **json, mc_err *err)
{
	mc_store_template *v = NULL;
	size_t n = 0;
	mc_status st = mc_store_template_versions(s, id, &v, &n, err);
	if (st == MC_OK && n == 0)
		st = MC_ERR_MISSING;
	if (st == MC_ERR_MISSING) {
		*err = (mc_err){.status = MC_ERR_MISSING};
		snprintf(err->path, sizeof err->path, "template");
		snprintf(err->msg, sizeof err->msg, "unknown template '%.200s'", id);
	}
	size_t best = n;
	for (size_t i = 0; st == MC_OK && i < n; i++)
		if (v[i].state == MC_TEMPLATE_PUBLISHED)
			best = i;
	if (st == MC_OK && best == n) {
		st = MC_ERR_VALUE;
		*err = (mc_err){.status = MC_ERR_VALUE};
		snprintf(err->path, sizeof err->path, "template");
		snprintf(err->msg, sizeof err->msg, "template '%.200s' has no published version (mcred template publish)",
		         id);
	}
	if (st == MC_OK) {
		*version = v[best].version;
		*json = strdup(v[best].json);
		if (!*json)
			st = MC_ERR_NOMEM;
	}
	mc_store_template_list_free(v, n);
	return st;
}

/* ---- issuing context ----------------------------------------------- */

typedef struct issuing {
	mc_store *s;
	char *issuer_id;
	char *issuer_json; /* the profile given to `issuer add` */
	char *key_id;
	mc_key key;
	int have_key;
	const char *suite;
	char list_base[2048];
	unsigned list_k; /* current revocation list number */
} issuing;

static void issuing_clear(issuing *c)
{
	free(c->issuer_id);
	free(c->issuer_json);
	free(c->key_id);
	if (c->have_key)
		mc_key_wipe(&c->key);
	memset(c, 0, sizeof *c);
}

/* The issuer's document for mc_credential_build, from the store. */
static mc_status issuer_profile(const mc_store_issuer *is, char **out)
{
	json_error_t jerr;
	json_t *ids = is->identifiers ? json_loads(is->identifiers, 0, &jerr) : NULL;
	json_t *p = json_object_get(ids, PROFILE_MEMBER);
	json_t *built = NULL;
	if (!json_is_object(p)) {
		/* registered by other means: rebuild the profile from the columns */
		built = json_pack("{s:s,s:s,s:s}", "id", is->id, "name", is->legal_name, "country", is->country);
		if (built && is->url)
			json_object_set_new(built, "url", json_string(is->url));
		p = built;
	}
	*out = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(built);
	json_decref(ids);
	return *out ? MC_OK : MC_ERR_NOMEM;
}

/* Open the issuing context: the issuer (issuer_id, or the only one), its
 * profile and its active key (needs the passphrase). */
static int issuing_open(const cli_args *a, mc_store *s, const char *issuer_id, issuing *c)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->list_k = 1;
	c->suite = cli_opt(a, "suite");
	if (!suite_ok(c->suite)) {
		fprintf(stderr, "mcred: --suite must be " MC_SUITE_EDDSA_RDFC ", " MC_SUITE_EDDSA_JCS " or " MC_SUITE_ECDSA_RDFC
		                "\n");
		return EXIT_USAGE;
	}
	mc_err err = {0};
	mc_store_issuer is = {0};
	mc_status st;
	if (issuer_id) {
		st = mc_store_issuer_get(s, issuer_id, &is, &err);
	} else {
		mc_store_issuer *all = NULL;
		size_t n = 0;
		st = mc_store_issuer_list(s, &all, &n, &err);
		if (st == MC_OK && n != 1) {
			fprintf(stderr, "mcred: the store holds %zu issuers: name one with --issuer ID\n", n);
			mc_store_issuer_list_free(all, n);
			return n ? EXIT_USAGE : EXIT_INPUT;
		}
		if (st == MC_OK) {
			is = all[0];
			memset(&all[0], 0, sizeof all[0]);
		}
		mc_store_issuer_list_free(all, n);
	}
	if (st != MC_OK)
		return fail("issuer", st, &err);
	c->issuer_id = strdup(is.id);
	st = issuer_profile(&is, &c->issuer_json);
	const char *base = is.url ? is.url : is.id;
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	snprintf(c->list_base, sizeof c->list_base, "%.*s/status/revocation/", (int)(bl > 2000 ? 2000 : bl), base);
	mc_store_issuer_clear(&is);
	if (st != MC_OK || !c->issuer_id)
		return fail("issuer", MC_ERR_NOMEM, NULL);
	mc_store_key k = {0};
	st = mc_store_key_active(s, c->issuer_id, &k, &err);
	if (st != MC_OK)
		return fail("signing key", st, &err);
	c->key_id = strdup(k.key_id);
	int rc = k.key_file ? open_keyfile(a, "signing key", k.key_file, strlen(k.key_file), &c->key) : EXIT_INPUT;
	if (!k.key_file)
		fprintf(stderr, "mcred: the active key of %s has no private part\n", c->issuer_id);
	mc_store_key_clear(&k);
	if (rc)
		return rc;
	c->have_key = 1;
	if (!c->suite)
		c->suite = c->key.alg == MC_KEY_P256 ? MC_SUITE_ECDSA_RDFC : MC_SUITE_EDDSA_RDFC;
	return c->key_id ? EXIT_OK : EXIT_SYSTEM;
}

/* Allocate n revocation indexes from the issuer's current list, moving to
 * a new list when it is full. Call inside the transaction that stores the
 * credentials. list_id receives the list used. */
static mc_status alloc_indexes(issuing *c, size_t n, int64_t *idx, char *list_id, size_t cap, mc_err *err)
{
	for (int tries = 0; tries < 1000; tries++) {
		if (snprintf(list_id, cap, "%.2040s%u", c->list_base, c->list_k) >= (int)cap)
			return MC_ERR_INTERNAL;
		mc_err e = {0};
		mc_status st = mc_store_status_alloc(c->s, list_id, n, idx, &e);
		if (st == MC_ERR_MISSING) {
			e = (mc_err){0};
			st = mc_store_status_list_create(c->s, list_id, MC_PURPOSE_REVOCATION, MC_STATUS_LIST_MIN_BITS, &e);
			if (st == MC_OK)
				st = mc_store_status_alloc(c->s, list_id, n, idx, &e);
		}
		if (st == MC_ERR_TOO_LARGE && n <= MC_STATUS_LIST_MIN_BITS) {
			c->list_k++;
			continue;
		}
		if (st != MC_OK)
			*err = e;
		return st;
	}
	return MC_ERR_INTERNAL;
}

/* Insert the status entry into the unsigned credential text, parse, sign
 * and serialise it (compact). */
static mc_status sign_with_status(issuing *c, const char *unsigned_text, const char *list_id, int64_t index,
                                  char **out, size_t *out_len, mc_err *err)
{
	char *entry = NULL;
	mc_status st = mc_status_entry(list_id, MC_PURPOSE_REVOCATION, (uint64_t)index, &entry, err);
	if (st != MC_OK)
		return st;
	size_t tl = strlen(unsigned_text), el = strlen(entry);
	const char *end = strrchr(unsigned_text, '}');
	if (!end) {
		mc_free(entry);
		return MC_ERR_INTERNAL;
	}
	size_t head = (size_t)(end - unsigned_text);
	static const char member[] = ",\"credentialStatus\":";
	char *buf = malloc(tl + el + sizeof member + 2);
	if (!buf) {
		mc_free(entry);
		return MC_ERR_NOMEM;
	}
	memcpy(buf, unsigned_text, head);
	memcpy(buf + head, member, sizeof member - 1);
	memcpy(buf + head + sizeof member - 1, entry, el);
	size_t bl = head + sizeof member - 1 + el;
	buf[bl++] = '}';
	buf[bl] = '\0';
	mc_free(entry);
	mc_doc *doc = NULL;
	st = mc_doc_parse(buf, bl, &doc, err);
	free(buf);
	if (st == MC_OK) {
		mc_proof_opts po = {.cryptosuite = c->suite, .verification_method = c->key_id};
		st = mc_doc_sign_key(doc, &c->key, &po, err);
	}
	if (st == MC_OK)
		st = mc_doc_serialize(doc, MC_DOC_COMPACT, out, out_len);
	mc_doc_free(doc);
	return st;
}

/* Pretty-print a stored compact credential to path (NULL = stdout). */
static int write_credential(const char *path, const char *json)
{
	mc_doc *doc = NULL;
	char *pretty = NULL;
	size_t plen = 0;
	mc_err err = {0};
	int rc = EXIT_SYSTEM;
	if (mc_doc_parse(json, strlen(json), &doc, &err) == MC_OK && mc_doc_serialize(doc, MC_DOC_PRETTY, &pretty, &plen) == MC_OK)
		rc = cli_write(path, pretty, plen, 0) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(pretty);
	mc_doc_free(doc);
	return rc;
}

/* ---- issue ------------------------------------------------------------ */

/* Read a learner file through the bulk JSON Lines reader, so that a single
 * issue and a bulk row agree on checks and the idempotency key. */
static int learner_row(const char *path, const char *tmpl, mc_bulk_reader **r, mc_bulk_row *row)
{
	size_t len;
	char *text = cli_read(path, &len);
	if (!text)
		return EXIT_INPUT;
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	char *line = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!line) {
		fprintf(stderr, "mcred: %s: not a JSON object (%s)\n", path, jerr.text);
		return EXIT_INPUT;
	}
	FILE *f = fmemopen(line, strlen(line), "r");
	mc_bulk_opts o = {.format = MC_BULK_JSONL, .default_template = tmpl};
	mc_err err = {0};
	mc_status st = f ? mc_bulk_open_file(f, &o, r, &err) : MC_ERR_IO;
	if (st == MC_OK)
		st = mc_bulk_next(*r, row, &err);
	/* the row points into the reader's buffers, not the FILE's */
	if (f)
		fclose(f);
	free(line);
	if (st != MC_OK || row->kind != MC_BULK_ROW) {
		if (st == MC_OK)
			st = MC_ERR_MISSING;
		mc_bulk_close(*r);
		*r = NULL;
		return fail(path, st, &err);
	}
	return EXIT_OK;
}

int cmd_store_issue(int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "learner", "issuer", "out", "suite", "passphrase-file", NULL};
	const char *usage = "mcred issue [--store URL] --template ID --learner L.json [--issuer ID] [--suite S] [--out C.json]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "template") ||
	    !cli_opt(&a, "learner"))
		return usage_err(usage);
	const char *tid = cli_opt(&a, "template");
	mc_bulk_reader *r = NULL;
	mc_bulk_row row;
	int rc = learner_row(cli_opt(&a, "learner"), tid, &r, &row);
	if (rc)
		return rc;
	mc_store *s = NULL;
	issuing c = {0};
	char *tjson = NULL, *text = NULL, *signed_json = NULL;
	mc_err err = {0};
	mc_status st = MC_OK;
	int64_t tver = 0;
	rc = store_open(&a, &s);
	if (rc)
		goto out;
	st = template_published(s, tid, &tver, &tjson, &err);
	if (st != MC_OK) {
		rc = fail("issue", st, &err);
		goto out;
	}
	mc_store_credential existing = {0};
	st = mc_store_credential_find(s, tid, row.learner_ref, row.external_id ? row.external_id : "", &existing, &err);
	if (st == MC_OK) {
		fprintf(stderr, "mcred: already issued to this learner from %s: %s\n", tid, existing.id);
		rc = existing.json ? write_credential(cli_opt(&a, "out"), existing.json) : EXIT_OK;
		mc_store_credential_clear(&existing);
		goto out;
	}
	if (st != MC_ERR_MISSING) {
		rc = fail("issue", st, &err);
		goto out;
	}
	err = (mc_err){0};
	rc = issuing_open(&a, s, cli_opt(&a, "issuer"), &c);
	if (rc)
		goto out;
	char cid[46];
	uuid_urn(cid);
	mc_build_opts bo = {.issuer_id = c.issuer_id, .credential_id = cid};
	st = mc_credential_build(tjson, strlen(tjson), c.issuer_json, strlen(c.issuer_json), row.learner,
	                         row.learner_len, &bo, &text, &err);
	if (st != MC_OK) {
		rc = fail("issue", st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
		goto out;
	}
	char list_id[LIST_ID_MAX];
	int64_t index = -1;
	size_t slen = 0;
	st = mc_store_begin(s, &err);
	if (st == MC_OK)
		st = alloc_indexes(&c, 1, &index, list_id, sizeof list_id, &err);
	if (st == MC_OK)
		st = sign_with_status(&c, text, list_id, index, &signed_json, &slen, &err);
	if (st == MC_OK) {
		mc_store_credential cr = {.id = cid, .template_id = (char *)tid, .template_version = tver,
		                          .learner_id = (char *)row.learner_ref,
		                          .external_id = (char *)(row.external_id ? row.external_id : ""),
		                          .status_list_id = list_id, .status_index = index, .learner = (char *)row.learner,
		                          .json = signed_json};
		st = mc_store_credential_add(s, &cr, &err);
	}
	if (st == MC_OK) {
		const char *kv[] = {"template", tid, "key", c.key_id};
		char *det = json_pairs(kv, 4);
		st = audit(s, "credential.issue", cid, det, &err);
		free(det);
	}
	if (st == MC_OK)
		st = mc_store_commit(s, &err);
	if (st != MC_OK) {
		rollback(s);
		rc = fail("issue", st, &err);
		goto out;
	}
	fprintf(stderr, "issued %s (status %s#%lld)\n", cid, list_id, (long long)index);
	rc = write_credential(cli_opt(&a, "out"), signed_json);
out:
	mc_free(signed_json);
	mc_free(text);
	free(tjson);
	issuing_clear(&c);
	mc_store_close(s);
	mc_bulk_close(r);
	return rc;
}

/* ---- bulk ------------------------------------------------------------- */

/* A template the file names, looked up once. */
typedef struct tmpl_entry {
	char *id;
	int64_t version;
	char *json; /* NULL when unusable: err says why */
	mc_err err;
	mc_status st;
} tmpl_entry;

/* One valid row waiting in the batch (copied out of the reader). */
typedef struct pending {
	uint64_t row;
	const tmpl_entry *t;
	char *learner, *ref, *ext;
	size_t llen;
	char *text; /* unsigned credential */
	char id[46];
	char *signed_json;
} pending;

typedef struct bulk_run {
	issuing c;
	tmpl_entry **tmpl; /* each allocated alone: rows point to them */
	size_t ntmpl;
	pending *batch;
	size_t nbatch, cap;
	int check_only; /* --all-or-nothing first pass: validate, issue nothing */
	int tty, in_tx;
	char batch_id[64];
	const char *row_word;
	unsigned long long read, issued, skipped, rejected;
} bulk_run;

static void pending_clear(pending *p)
{
	free(p->learner);
	free(p->ref);
	free(p->ext);
	mc_free(p->text);
	mc_free(p->signed_json);
	memset(p, 0, sizeof *p);
}

static const tmpl_entry *bulk_template(bulk_run *b, const char *id)
{
	for (size_t i = 0; i < b->ntmpl; i++)
		if (strcmp(b->tmpl[i]->id, id) == 0)
			return b->tmpl[i];
	tmpl_entry **nt = realloc(b->tmpl, (b->ntmpl + 1) * sizeof *nt);
	if (!nt)
		return NULL;
	b->tmpl = nt;
	tmpl_entry *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	b->tmpl[b->ntmpl++] = t;
	t->id = strdup(id);
	if (!t->id)
		return NULL;
	t->st = template_published(b->c.s, id, &t->version, &t->json, &t->err);
	return t;
}

static void reject(bulk_run *b, uint64_t row, const char *path, const char *msg)
{
	b->rejected++;
	if (path && strncmp(path, b->row_word, strlen(b->row_word)) == 0)
		fprintf(stderr, "%s: %s\n", path, msg);
	else
		fprintf(stderr, "%s %llu: %s%s%s\n", b->row_word, (unsigned long long)row, path && *path ? path : "",
		        path && *path ? ": " : "", msg);
}

static void progress(bulk_run *b, int final)
{
	if (!b->tty)
		return;
	fprintf(stderr, "\rbulk: %llu rows read, %llu issued, %llu skipped, %llu rejected%s", b->read, b->issued,
	        b->skipped, b->rejected, final ? "\n" : "");
}

/* Issue the batch: skip rows already stored (before building and signing),
 * build, allocate status indexes, sign, insert, audit, commit. */
static mc_status bulk_flush(bulk_run *b, mc_err *err)
{
	mc_store *s = b->c.s;
	mc_status st = MC_OK;
	size_t n = 0;
	/* 1. rows already issued by an earlier run (idempotency); build the rest */
	for (size_t i = 0; i < b->nbatch && st == MC_OK; i++) {
		pending *p = &b->batch[i];
		if (!b->check_only) {
			mc_store_credential ex = {0};
			mc_err fe = {0};
			mc_status fs = mc_store_credential_find(s, p->t->id, p->ref, p->ext, &ex, &fe);
			mc_store_credential_clear(&ex);
			if (fs == MC_OK) {
				b->skipped++;
				pending_clear(p);
				continue;
			}
			if (fs != MC_ERR_MISSING) {
				*err = fe;
				st = fs;
				break;
			}
		}
		uuid_urn(p->id);
		mc_build_opts bo = {.issuer_id = b->c.issuer_id, .credential_id = p->id};
		mc_err be = {0};
		mc_status bs = mc_credential_build(p->t->json, strlen(p->t->json), b->c.issuer_json,
		                                   strlen(b->c.issuer_json), p->learner, p->llen, &bo, &p->text, &be);
		if (bs != MC_OK) {
			reject(b, p->row, be.path, be.msg);
			pending_clear(p);
			continue;
		}
		if (b->check_only) {
			pending_clear(p);
			continue;
		}
		if (n != i) {
			b->batch[n] = *p;
			memset(p, 0, sizeof *p);
		}
		n++;
	}
	if (st != MC_OK || n == 0 || b->check_only)
		goto done;
	/* 2. one transaction: indexes, signatures, rows, audit */
	if (!b->in_tx)
		st = mc_store_begin(s, err);
	int64_t *idx = st == MC_OK ? malloc(n * sizeof *idx) : NULL;
	mc_store_credential *rows = st == MC_OK ? calloc(n, sizeof *rows) : NULL;
	uint8_t *ins = st == MC_OK ? calloc(n, 1) : NULL;
	char list_id[LIST_ID_MAX];
	if (st == MC_OK && (!idx || !rows || !ins))
		st = MC_ERR_NOMEM;
	if (st == MC_OK)
		st = alloc_indexes(&b->c, n, idx, list_id, sizeof list_id, err);
	for (size_t i = 0; i < n && st == MC_OK; i++) {
		pending *p = &b->batch[i];
		size_t sl = 0;
		st = sign_with_status(&b->c, p->text, list_id, idx[i], &p->signed_json, &sl, err);
		rows[i] = (mc_store_credential){.id = p->id, .template_id = p->t->id, .template_version = p->t->version,
		                                .learner_id = p->ref, .external_id = p->ext, .batch_id = b->batch_id,
		                                .status_list_id = list_id, .status_index = idx[i], .learner = p->learner,
		                                .json = p->signed_json};
	}
	if (st == MC_OK)
		st = mc_store_credential_add_batch(s, rows, n, MC_STORE_SKIP_EXISTING, ins, err);
	size_t written = 0;
	for (size_t i = 0; st == MC_OK && i < n; i++)
		written += ins[i];
	if (st == MC_OK) {
		char cnt[32];
		snprintf(cnt, sizeof cnt, "%zu", written);
		const char *kv[] = {"issued", cnt, "list", list_id, "key", b->c.key_id};
		char *det = json_pairs(kv, 6);
		st = audit(s, "credential.issue-batch", b->batch_id, det, err);
		free(det);
	}
	if (st == MC_OK && !b->in_tx)
		st = mc_store_commit(s, err);
	if (st != MC_OK && !b->in_tx) {
		rollback(s);
	}
	if (st == MC_OK) {
		b->issued += written;
		b->skipped += n - written; /* duplicates inside the file */
	}
	free(idx);
	free(rows);
	free(ins);
done:
	for (size_t i = 0; i < b->nbatch; i++)
		pending_clear(&b->batch[i]);
	b->nbatch = 0;
	progress(b, 0);
	return st;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* One pass over the file: read, check, and (unless check_only) issue. */
static mc_status bulk_pass(bulk_run *b, FILE *f, const mc_bulk_opts *o, size_t batch_size, mc_err *err)
{
	mc_bulk_reader *r = NULL;
	mc_status st = mc_bulk_open_file(f, o, &r, err);
	while (st == MC_OK) {
		mc_bulk_row row;
		mc_err e = {0};
		mc_status rs = mc_bulk_next(r, &row, &e);
		if (row.kind == MC_BULK_END)
			break;
		if (row.kind == MC_BULK_FAILED) {
			*err = e;
			st = rs;
			break;
		}
		b->read++;
		if (row.kind == MC_BULK_BAD_ROW) {
			reject(b, row.row, e.path, e.msg);
			continue;
		}
		if (!row.template_id) {
			reject(b, row.row, "template", "no template (give --template ID or a template column)");
			continue;
		}
		const tmpl_entry *t = bulk_template(b, row.template_id);
		if (!t) {
			st = MC_ERR_NOMEM;
			break;
		}
		if (t->st != MC_OK) {
			reject(b, row.row, t->err.path, t->err.msg);
			continue;
		}
		pending *p = &b->batch[b->nbatch];
		p->row = row.row;
		p->t = t;
		p->llen = row.learner_len;
		p->learner = strdup(row.learner);
		p->ref = dup_or_empty(row.learner_ref);
		p->ext = dup_or_empty(row.external_id);
		if (!p->learner || !p->ref || !p->ext) {
			st = MC_ERR_NOMEM;
			break;
		}
		if (++b->nbatch == batch_size)
			st = bulk_flush(b, err);
	}
	if (st == MC_OK && b->nbatch)
		st = bulk_flush(b, err);
	for (size_t i = 0; i < b->nbatch; i++)
		pending_clear(&b->batch[i]);
	b->nbatch = 0;
	mc_bulk_close(r);
	return st;
}

int cmd_store_bulk(int argc, char **argv)
{
	static const char *const vo[] = {"store", "format", "template", "issuer", "suite", "batch", "passphrase-file", NULL};
	static const char *const fo[] = {"all-or-nothing", "ignore-unknown", NULL};
	const char *usage = "mcred bulk [--store URL] FILE.csv|FILE.jsonl [--format csv|jsonl] [--template ID]\n"
	                    "           [--issuer ID] [--suite S] [--batch N] [--all-or-nothing] [--ignore-unknown]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return usage_err(usage);
	const char *path = a.pos[0], *fmt = cli_opt(&a, "format");
	mc_bulk_opts o = {.default_template = cli_opt(&a, "template"),
	                  .flags = cli_flag(&a, "ignore-unknown") ? MC_BULK_IGNORE_UNKNOWN : 0};
	size_t pl = strlen(path);
	if (fmt)
		o.format = strcmp(fmt, "csv") == 0 ? MC_BULK_CSV : strcmp(fmt, "jsonl") == 0 ? MC_BULK_JSONL : 0;
	else
		o.format = (pl > 6 && strcmp(path + pl - 6, ".jsonl") == 0) || (pl > 7 && strcmp(path + pl - 7, ".ndjson") == 0)
		                   ? MC_BULK_JSONL
		                   : MC_BULK_CSV;
	if (!o.format)
		return usage_err(usage);
	size_t batch_size = BULK_BATCH_DEFAULT;
	if (cli_opt(&a, "batch")) {
		long v = strtol(cli_opt(&a, "batch"), NULL, 10);
		if (v < 1 || v > (long)BULK_BATCH_MAX) {
			fprintf(stderr, "mcred: --batch must be 1 to %u\n", BULK_BATCH_MAX);
			return EXIT_USAGE;
		}
		batch_size = (size_t)v;
	}
	int aon = cli_flag(&a, "all-or-nothing");
	if (aon && strcmp(path, "-") == 0) {
		fprintf(stderr, "mcred: --all-or-nothing reads the file twice: give a file, not standard input\n");
		return EXIT_USAGE;
	}
	bulk_run b;
	memset(&b, 0, sizeof b);
	b.row_word = o.format == MC_BULK_CSV ? "row" : "line";
	b.tty = isatty(2);
	snprintf(b.batch_id, sizeof b.batch_id, "bulk-%lld-%ld", (long long)time(NULL), (long)getpid());
	mc_store *s = NULL;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	rc = issuing_open(&a, s, cli_opt(&a, "issuer"), &b.c);
	b.batch = rc ? NULL : calloc(batch_size, sizeof *b.batch);
	if (!rc && !b.batch)
		rc = EXIT_SYSTEM;
	mc_err err = {0};
	mc_status st = MC_OK;
	for (int pass = aon ? 0 : 1; !rc && pass < 2; pass++) {
		FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "mcred: cannot open %s: %s\n", path, strerror(errno));
			rc = EXIT_INPUT;
			break;
		}
		b.check_only = pass == 0;
		b.read = b.issued = b.skipped = b.rejected = 0;
		if (pass == 1 && aon)
			st = mc_store_begin(s, &err), b.in_tx = st == MC_OK;
		if (st == MC_OK)
			st = bulk_pass(&b, f, &o, b.check_only ? BULK_BATCH_MAX : batch_size, &err);
		if (f != stdin)
			fclose(f);
		if (b.in_tx) {
			if (st == MC_OK && b.rejected == 0)
				st = mc_store_commit(s, &err);
			else {
				rollback(s);
				b.issued = 0;
			}
			b.in_tx = 0;
		}
		if (st != MC_OK) {
			progress(&b, 1);
			rc = fail("bulk", st, &err);
			break;
		}
		if (pass == 0 && b.rejected) {
			progress(&b, 1);
			fprintf(stderr, "mcred: bulk: %llu rows rejected; --all-or-nothing: nothing issued\n", b.rejected);
			printf("bulk: issued 0, skipped existing 0, rejected %llu (of %llu rows)\n", b.rejected, b.read);
			rc = EXIT_INPUT;
			break;
		}
	}
	if (!rc || (rc == EXIT_INPUT && !b.check_only && b.read)) {
		if (!rc) {
			progress(&b, 1);
			printf("bulk: issued %llu, skipped existing %llu, rejected %llu (of %llu rows)\n", b.issued, b.skipped,
			       b.rejected, b.read);
			if (b.rejected)
				rc = EXIT_INPUT;
		}
	}
	free(b.batch);
	for (size_t i = 0; i < b.ntmpl; i++) {
		free(b.tmpl[i]->id);
		free(b.tmpl[i]->json);
		free(b.tmpl[i]);
	}
	free(b.tmpl);
	issuing_clear(&b.c);
	mc_store_close(s);
	return rc;
}

/* ---- revoke, suspend, reinstate -------------------------------------- */

static int change_state(int argc, char **argv, const char *name, mc_cred_state to)
{
	static const char *const vo[] = {"store", "reason", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1 || !cli_opt(&a, "reason")) {
		fprintf(stderr, "usage: mcred %s [--store URL] CREDENTIAL_ID --reason TEXT\n", name);
		return EXIT_USAGE;
	}
	const char *id = a.pos[0], *reason = cli_opt(&a, "reason");
	if (strlen(reason) > MC_STORE_TEXT_MAX) {
		fprintf(stderr, "mcred: --reason is longer than %u bytes\n", MC_STORE_TEXT_MAX);
		return EXIT_USAGE;
	}
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	mc_store_credential cr = {0};
	mc_err err = {0};
	mc_status st = mc_store_begin(s, &err);
	if (st == MC_OK)
		st = mc_store_credential_get(s, id, &cr, &err);
	if (st == MC_OK)
		st = mc_store_credential_set_state(s, id, to, reason, &err);
	/* the revocation bit is set when revoked; suspension lives in the
	 * store state (the store keeps one status entry per credential) */
	if (st == MC_OK && to == MC_CRED_REVOKED && cr.status_list_id)
		st = mc_store_status_list_set(s, cr.status_list_id, cr.status_index, 1, &err);
	char action[64];
	snprintf(action, sizeof action, "credential.%s", name);
	const char *kv[] = {"reason", reason};
	char *det = json_pairs(kv, 2);
	if (st == MC_OK)
		st = audit(s, action, id, det, &err);
	free(det);
	if (st == MC_OK)
		st = mc_store_commit(s, &err);
	if (st != MC_OK) {
		rollback(s);
		rc = fail(name, st, &err);
	} else {
		printf("%s: %s\n", id, to == MC_CRED_REVOKED ? "revoked" : to == MC_CRED_SUSPENDED ? "suspended" : "active");
	}
	mc_store_credential_clear(&cr);
	mc_store_close(s);
	return rc;
}

int cmd_store_revoke(int argc, char **argv)
{
	return change_state(argc, argv, "revoke", MC_CRED_REVOKED);
}

int cmd_store_suspend(int argc, char **argv)
{
	return change_state(argc, argv, "suspend", MC_CRED_SUSPENDED);
}

int cmd_store_reinstate(int argc, char **argv)
{
	return change_state(argc, argv, "reinstate", MC_CRED_ACTIVE);
}

/* ---- reissue ------------------------------------------------------------ */

int cmd_store_reissue(int argc, char **argv)
{
	static const char *const vo[] = {"store", "out", "suite", "passphrase-file", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return usage_err("mcred reissue [--store URL] CREDENTIAL_ID [--suite S] [--out C.json]");
	const char *old_id = a.pos[0];
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	mc_store_credential old = {0};
	issuing c = {0};
	json_t *doc = NULL;
	char *text = NULL, *signed_json = NULL, *ext = NULL;
	mc_err err = {0};
	mc_status st = mc_store_credential_get(s, old_id, &old, &err);
	if (st != MC_OK) {
		rc = fail("reissue", st, &err);
		goto out;
	}
	if (!old.json || old.state == MC_CRED_REVOKED) {
		fprintf(stderr, "mcred: reissue: %s is %s\n", old_id, !old.json ? "erased" : "revoked");
		rc = EXIT_INPUT;
		goto out;
	}
	json_error_t jerr;
	doc = json_loads(old.json, 0, &jerr);
	json_t *iss = json_object_get(doc, "issuer");
	const char *issuer = json_is_object(iss) ? json_string_value(json_object_get(iss, "id")) : json_string_value(iss);
	if (!issuer) {
		fprintf(stderr, "mcred: reissue: the stored credential names no issuer\n");
		rc = EXIT_INPUT;
		goto out;
	}
	rc = issuing_open(&a, s, issuer, &c);
	if (rc)
		goto out;
	/* same content, a new id, a new status entry and a new proof */
	char nid[46];
	uuid_urn(nid);
	json_object_set_new(doc, "id", json_string(nid));
	json_object_del(doc, "proof");
	json_object_del(doc, "credentialStatus");
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t el = (old.external_id ? strlen(old.external_id) : 0) + 64;
	ext = malloc(el);
	if (!text || !ext) {
		rc = EXIT_SYSTEM;
		goto out;
	}
	/* the idempotency triple must differ from the original's */
	snprintf(ext, el, "%s#reissue:%s", old.external_id ? old.external_id : "", nid + 9);
	char list_id[LIST_ID_MAX];
	int64_t index = -1;
	size_t sl = 0;
	char batch[MC_STORE_ID_MAX];
	snprintf(batch, sizeof batch, "reissue:%.2000s", old_id);
	st = mc_store_begin(s, &err);
	if (st == MC_OK)
		st = alloc_indexes(&c, 1, &index, list_id, sizeof list_id, &err);
	if (st == MC_OK)
		st = sign_with_status(&c, text, list_id, index, &signed_json, &sl, &err);
	if (st == MC_OK) {
		mc_store_credential cr = {.id = nid, .template_id = old.template_id, .template_version = old.template_version,
		                          .learner_id = old.learner_id, .external_id = ext, .batch_id = batch,
		                          .status_list_id = list_id, .status_index = index, .learner = old.learner,
		                          .json = signed_json};
		st = mc_store_credential_add(s, &cr, &err);
	}
	if (st == MC_OK) {
		const char *kv[] = {"original", old_id, "key", c.key_id};
		char *det = json_pairs(kv, 4);
		st = audit(s, "credential.reissue", nid, det, &err);
		free(det);
	}
	if (st == MC_OK)
		st = mc_store_commit(s, &err);
	if (st != MC_OK) {
		rollback(s);
		rc = fail("reissue", st, &err);
		goto out;
	}
	fprintf(stderr, "reissued %s as %s (key %s)\n", old_id, nid, c.key_id);
	rc = write_credential(cli_opt(&a, "out"), signed_json);
out:
	free(ext);
	free(text);
	mc_free(signed_json);
	json_decref(doc);
	issuing_clear(&c);
	mc_store_credential_clear(&old);
	mc_store_close(s);
	return rc;
}

/* ---- learner rights ------------------------------------------------------ */

int cmd_store_learner_export(int argc, char **argv)
{
	static const char *const vo[] = {"store", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return usage_err("mcred learner export [--store URL] LEARNER_ID [--out FILE]");
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	char *json = NULL;
	mc_err err = {0};
	mc_status st = mc_store_learner_export(s, a.pos[0], &json, &err);
	if (st == MC_OK)
		st = audit(s, "learner.export", a.pos[0], NULL, &err);
	if (st != MC_OK)
		rc = fail("learner export", st, &err);
	else
		rc = cli_write(cli_opt(&a, "out"), json, strlen(json), 1) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(json);
	mc_store_close(s);
	return rc;
}

int cmd_store_learner_erase(int argc, char **argv)
{
	static const char *const vo[] = {"store", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return usage_err("mcred learner erase [--store URL] LEARNER_ID");
	mc_store *s;
	int rc = store_open(&a, &s);
	if (rc)
		return rc;
	size_t count = 0;
	mc_err err = {0};
	mc_status st = mc_store_begin(s, &err);
	if (st == MC_OK)
		st = mc_store_learner_erase(s, a.pos[0], &count, &err);
	char cnt[32];
	snprintf(cnt, sizeof cnt, "%zu", count);
	const char *kv[] = {"credentials", cnt};
	char *det = json_pairs(kv, 2);
	if (st == MC_OK)
		st = audit(s, "learner.erase", a.pos[0], det, &err);
	free(det);
	if (st == MC_OK)
		st = mc_store_commit(s, &err);
	if (st != MC_OK) {
		rollback(s);
		rc = fail("learner erase", st, &err);
	} else {
		printf("learner %s: %zu credentials erased\n", a.pos[0], count);
	}
	mc_store_close(s);
	return rc;
}

/* `mcred issue`: from the store with --template, else from files (cmds.c). */
int cmd_issue_any(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--template") == 0)
			return cmd_store_issue(argc, argv);
	return cmd_issue(argc, argv);
}
