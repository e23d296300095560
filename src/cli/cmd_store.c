/*
 * cmd_store.c - the store-backed commands: init, issuer add, key rotate,
 * template add/publish, issue --template, bulk, revoke/suspend/reinstate,
 * reissue, learner export/erase. Each opens the store named by --store (or
 * $MCRED_STORE, else ./mcred.db), calls the library (store.h, issuer.h:
 * every issuing rule lives there), and prints. The workflow is described
 * in docs/issuing.md.
 *
 * `issuer add` keeps the issuer document as given in the profile column
 * (what mc_credential_build takes) and {scheme: value, ...} pairs of its
 * identifiers in identifiers.
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
#include "mcred/issuer.h"


static const char *const store_flags_none[] = {NULL};

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
		return cli_fail(label, st, &err);
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
		return cli_usage("mcred init [--store URL]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	int64_t version = 0, applied = 0;
	mc_err err = {0};
	mc_status st = mc_store_schema(s, &version, &applied, &err);
	if (st == MC_OK)
		printf("store: %s, schema version %lld\n", mc_store_backend(s), (long long)version);
	mc_store_close(s);
	return st == MC_OK ? EXIT_OK : cli_fail("init", st, &err);
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
		return cli_fail(rotation ? "key rotate" : "issuer add", st, &err);
	printf("key %s active for %s\n", kid, issuer);
	return EXIT_OK;
}

int cmd_store_issuer_add(int argc, char **argv)
{
	static const char *const vo[] = {"store", "issuer", "key", "key-id", "passphrase-file", NULL};
	const char *usage = "mcred issuer add [--store URL] --issuer I.json --key KEY.json [--key-id VM]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "issuer") || !cli_opt(&a, "key"))
		return cli_usage(usage);
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
		return cli_fail(cli_opt(&a, "issuer"), st, &err);
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
		return cli_fail(cli_opt(&a, "issuer"), st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
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
	char *idtext = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	char *profile = json_dumps(doc, JSON_COMPACT);
	mc_store *s = NULL;
	int rc = idtext && profile ? cli_store_open(&a, &s) : EXIT_SYSTEM;
	if (rc == EXIT_OK) {
		mc_store_issuer is = {.id = (char *)id, .legal_name = (char *)legal, .country = (char *)country,
		                      .identifiers = idtext, .url = (char *)url, .profile = profile};
		st = mc_store_issuer_add(s, &is, &err);
		if (st == MC_ERR_VALUE) /* already registered: update the profile */
			st = (err = (mc_err){0}, mc_store_issuer_update(s, &is, &err));
		if (st == MC_OK)
			st = audit(s, "issuer.add", id, NULL, &err);
		if (st != MC_OK)
			rc = cli_fail("issuer add", st, &err);
		else
			rc = add_key(&a, s, id, cli_opt(&a, "key"), 0);
	}
	free(idtext);
	free(profile);
	json_decref(doc);
	mc_store_close(s);
	return rc;
}

int cmd_store_key_rotate(int argc, char **argv)
{
	static const char *const vo[] = {"store", "issuer", "key", "key-id", "passphrase-file", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "issuer") || !cli_opt(&a, "key"))
		return cli_usage("mcred key rotate [--store URL] --issuer ID --key NEW.json [--key-id VM]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_store_issuer is = {0};
	mc_err err = {0};
	mc_status st = mc_store_issuer_get(s, cli_opt(&a, "issuer"), &is, &err);
	if (st != MC_OK)
		rc = cli_fail("key rotate", st, &err);
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
		return cli_usage("mcred template add [--store URL] --achievement A.json [--id ID] [--publish]");
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
		return cli_fail(cli_opt(&a, "achievement"), st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
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
	int rc = cli_store_open(&a, &s);
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
			rc = cli_fail("template add", st, &err);
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
		return cli_usage("mcred template publish [--store URL] ID [--version N]");
	int64_t version = cli_opt(&a, "version") ? strtoll(cli_opt(&a, "version"), NULL, 10) : 0;
	mc_store *s;
	int rc = cli_store_open(&a, &s);
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
		rc = cli_fail("template publish", st, &err);
	mc_store_template_clear(&t);
	mc_store_close(s);
	return rc;
}

/* ---- the issuing session (libmcred issuer.h) ----------------------------- */

/* Open the issuer service for --issuer (or the store's only issuer) with
 * the passphrase and --suite. Prints errors; returns an EXIT_* code. */
int cli_issuer_open(const cli_args *a, mc_store *s, const char *issuer_id, mc_issuer **is)
{
	*is = NULL;
	if (!suite_ok(cli_opt(a, "suite"))) {
		fprintf(stderr, "mcred: --suite must be " MC_SUITE_EDDSA_RDFC ", " MC_SUITE_EDDSA_JCS " or " MC_SUITE_ECDSA_RDFC
		                "\n");
		return EXIT_USAGE;
	}
	char pass[MC_PASSPHRASE_MAX + 1];
	size_t plen;
	if (cli_passphrase(a, pass, sizeof pass, &plen) != 0)
		return EXIT_INPUT;
	mc_issuer_opts o = {.issuer_id = issuer_id, .passphrase = pass, .passphrase_len = plen,
	                    .suite = cli_opt(a, "suite"), .actor = "cli"};
	mc_err err = {0};
	mc_status st = mc_issuer_open(s, &o, is, &err);
	sodium_memzero(pass, sizeof pass);
	if (st == MC_ERR_ARG && strcmp(err.path, "issuer") == 0) {
		fprintf(stderr, "mcred: %s\n", err.msg); /* several issuers: a usage problem */
		return EXIT_USAGE;
	}
	return st == MC_OK ? EXIT_OK : cli_fail("issuer", st, &err);
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

int cmd_store_issue(int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "learner", "issuer", "out", "suite", "passphrase-file",
	                                 "external-id", NULL};
	const char *usage = "mcred issue [--store URL] --template ID --learner L.json [--external-id X] [--issuer ID]\n"
	                    "            [--suite S] [--out C.json]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos || !cli_opt(&a, "template") ||
	    !cli_opt(&a, "learner"))
		return cli_usage(usage);
	size_t len;
	char *learner = cli_read(cli_opt(&a, "learner"), &len);
	if (!learner)
		return EXIT_INPUT;
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	mc_issue_result res = {0};
	int rc = cli_store_open(&a, &s);
	if (!rc)
		rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer"), &is);
	if (!rc) {
		mc_issue_req req = {.template_id = cli_opt(&a, "template"), .learner_json = learner,
		                    .external_id = cli_opt(&a, "external-id")};
		mc_err err = {0};
		mc_status st = mc_issuer_issue(is, &req, &res, &err);
		if (st != MC_OK)
			rc = cli_fail("issue", st, &err);
		else if (res.existed)
			fprintf(stderr, "mcred: already issued to this learner from %s: %s\n", req.template_id,
			        res.credential_id);
		else
			fprintf(stderr, "issued %s\n", res.credential_id);
		if (st == MC_OK)
			rc = res.credential_json ? write_credential(cli_opt(&a, "out"), res.credential_json) : EXIT_OK;
	}
	mc_issue_result_clear(&res);
	mc_issuer_close(is);
	mc_store_close(s);
	free(learner);
	return rc;
}

/* ---- bulk ------------------------------------------------------------- */

typedef struct bulk_ui {
	const char *row_word;
	int tty;
} bulk_ui;

static void bulk_reject(void *ctx, uint64_t row, const char *path, const char *msg)
{
	const bulk_ui *u = ctx;
	fprintf(stderr, "%s%s %llu: %s%s%s\n", u->tty ? "\r" : "", u->row_word, (unsigned long long)row, path,
	        *path ? ": " : "", msg);
}

static void bulk_progress(void *ctx, const mc_bulk_summary *p, uint64_t bytes)
{
	const bulk_ui *u = ctx;
	if (u->tty)
		fprintf(stderr, "\rbulk: %llu rows read, %llu issued, %llu skipped, %llu rejected",
		        (unsigned long long)p->rows, (unsigned long long)p->issued, (unsigned long long)p->existing,
		        (unsigned long long)p->rejected);
}

/* --name N with 1 <= N <= max into *out (left as is when absent); prints
 * and returns -1 on a bad value. */
static int count_opt(const cli_args *a, const char *name, unsigned max, long *out)
{
	const char *v = cli_opt(a, name);
	if (!v)
		return 0;
	char *end = NULL;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > (long)max) {
		fprintf(stderr, "mcred: --%s must be 1 to %u\n", name, max);
		return -1;
	}
	*out = n;
	return 0;
}

int cmd_store_bulk(int argc, char **argv)
{
	static const char *const vo[] = {"store", "format", "template", "issuer", "suite", "batch", "passphrase-file",
	                                 "threads", NULL};
	static const char *const fo[] = {"all-or-nothing", "ignore-unknown", NULL};
	const char *usage = "mcred bulk [--store URL] FILE.csv|FILE.jsonl [--format csv|jsonl] [--template ID]\n"
	                    "           [--issuer ID] [--suite S] [--batch N] [--threads N] [--all-or-nothing]\n"
	                    "           [--ignore-unknown]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return cli_usage(usage);
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
		return cli_usage(usage);
	long batch_size = MC_ISSUER_BULK_BATCH, threads = 0;
	if (count_opt(&a, "batch", MC_ISSUER_BULK_BATCH_MAX, &batch_size) ||
	    count_opt(&a, "threads", MC_ISSUER_BULK_THREADS_MAX, &threads))
		return EXIT_USAGE;
	bulk_ui ui = {.row_word = o.format == MC_BULK_CSV ? "row" : "line", .tty = isatty(2)};
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	int rc = cli_store_open(&a, &s);
	if (!rc)
		rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer"), &is);
	FILE *f = NULL;
	if (!rc) {
		f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "mcred: cannot open %s: %s\n", path, strerror(errno));
			rc = EXIT_INPUT;
		}
	}
	mc_bulk_reader *r = NULL;
	mc_err err = {0};
	mc_status st = MC_OK;
	if (!rc && (st = mc_bulk_open_file(f, &o, &r, &err)) != MC_OK)
		rc = cli_fail(path, st, &err);
	if (!rc) {
		mc_issuer_bulk_opts bo = {.template_id = o.default_template, .all_or_nothing = cli_flag(&a, "all-or-nothing"),
		                          .batch_size = (size_t)batch_size, .on_reject = bulk_reject, .on_progress = bulk_progress,
		                          .ctx = &ui, .threads = (unsigned)threads};
		mc_bulk_summary sum = {0};
		st = mc_issuer_bulk(is, r, &bo, &sum, &err);
		if (ui.tty)
			fputc('\n', stderr);
		if (st != MC_OK) {
			rc = cli_fail("bulk", st, &err);
		} else {
			if (bo.all_or_nothing && !sum.committed)
				fprintf(stderr, "mcred: bulk: %llu rows rejected; --all-or-nothing: nothing issued\n",
				        (unsigned long long)sum.rejected);
			printf("bulk: issued %llu, skipped existing %llu, rejected %llu (of %llu rows)\n",
			       (unsigned long long)sum.issued, (unsigned long long)sum.existing,
			       (unsigned long long)sum.rejected, (unsigned long long)sum.rows);
			rc = sum.rejected ? EXIT_INPUT : EXIT_OK;
		}
	}
	mc_bulk_close(r);
	if (f && f != stdin)
		fclose(f);
	mc_issuer_close(is);
	mc_store_close(s);
	return rc;
}

/* ---- revoke, suspend, reinstate -------------------------------------- */

static int change_state(int argc, char **argv, const char *name, mc_cred_state to)
{
	static const char *const vo[] = {"store", "reason", "issuer", "passphrase-file", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1 || !cli_opt(&a, "reason")) {
		fprintf(stderr, "usage: mcred %s [--store URL] CREDENTIAL_ID --reason TEXT [--issuer ID]\n", name);
		return EXIT_USAGE;
	}
	const char *id = a.pos[0], *reason = cli_opt(&a, "reason");
	if (strlen(reason) > MC_STORE_TEXT_MAX) {
		fprintf(stderr, "mcred: --reason is longer than %u bytes\n", MC_STORE_TEXT_MAX);
		return EXIT_USAGE;
	}
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	int rc = cli_store_open(&a, &s);
	/* the status list credential is re-signed: the issuer's key is needed */
	if (!rc)
		rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer") ? cli_opt(&a, "issuer") : NULL, &is);
	if (!rc) {
		mc_err err = {0};
		mc_status st = mc_issuer_set_status(is, id, to, reason, &err);
		if (st != MC_OK)
			rc = cli_fail(name, st, &err);
		else
			printf("%s: %s\n", id, to == MC_CRED_REVOKED ? "revoked" : to == MC_CRED_SUSPENDED ? "suspended" : "active");
	}
	mc_issuer_close(is);
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
	static const char *const vo[] = {"store", "out", "suite", "passphrase-file", "issuer", "learner", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return cli_usage("mcred reissue [--store URL] CREDENTIAL_ID [--learner CORRECTED.json] [--suite S] [--out C.json]");
	const char *old_id = a.pos[0];
	char *corrected = NULL;
	size_t clen;
	if (cli_opt(&a, "learner") && !(corrected = cli_read(cli_opt(&a, "learner"), &clen)))
		return EXIT_INPUT;
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	mc_store_credential old = {0};
	mc_issue_result res = {0};
	mc_err err = {0};
	int rc = cli_store_open(&a, &s);
	mc_status st = MC_OK;
	if (!rc && (st = mc_store_credential_get(s, old_id, &old, &err)) != MC_OK)
		rc = cli_fail("reissue", st, &err);
	/* act as the credential's issuer (its JSON names it; erased credentials
	 * have none: the library then refuses them) */
	char *issuer = NULL;
	if (!rc && !cli_opt(&a, "issuer") && old.json) {
		json_error_t jerr;
		json_t *doc = json_loads(old.json, 0, &jerr);
		json_t *iss = json_object_get(doc, "issuer");
		const char *v = json_is_object(iss) ? json_string_value(json_object_get(iss, "id")) : json_string_value(iss);
		issuer = v ? strdup(v) : NULL;
		json_decref(doc);
	}
	if (!rc)
		rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer") ? cli_opt(&a, "issuer") : issuer, &is);
	if (!rc) {
		st = mc_issuer_reissue(is, old_id, corrected, &res, &err);
		if (st != MC_OK) {
			rc = cli_fail("reissue", st, &err);
		} else {
			fprintf(stderr, "reissued %s as %s (the original is revoked: superseded)\n", old_id, res.credential_id);
			rc = write_credential(cli_opt(&a, "out"), res.credential_json);
		}
	}
	free(issuer);
	free(corrected);
	mc_issue_result_clear(&res);
	mc_store_credential_clear(&old);
	mc_issuer_close(is);
	mc_store_close(s);
	return rc;
}

/* ---- learner rights ------------------------------------------------------ */

int cmd_store_learner_export(int argc, char **argv)
{
	static const char *const vo[] = {"store", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return cli_usage("mcred learner export [--store URL] LEARNER_ID [--out FILE]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *json = NULL;
	mc_err err = {0};
	mc_status st = mc_store_learner_export(s, a.pos[0], &json, &err);
	if (st == MC_OK)
		st = audit(s, "learner.export", a.pos[0], NULL, &err);
	if (st != MC_OK)
		rc = cli_fail("learner export", st, &err);
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
		return cli_usage("mcred learner erase [--store URL] LEARNER_ID");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
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
		rc = cli_fail("learner erase", st, &err);
	} else {
		printf("learner %s: %zu credentials erased\n", a.pos[0], count);
	}
	mc_store_close(s);
	return rc;
}

/* ---- status lists ----------------------------------------------------------- */

int cmd_store_status_list_show(int argc, char **argv)
{
	static const char *const vo[] = {"store", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return cli_usage("mcred status-list show [--store URL] LIST_ID [--out FILE]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *json = NULL, *etag = NULL;
	mc_err err = {0};
	mc_status st = mc_issuer_status_list_credential(s, a.pos[0], &json, &etag, &err);
	if (st != MC_OK) {
		rc = cli_fail("status-list show", st, &err);
	} else {
		fprintf(stderr, "etag: %s\n", etag ? etag : "(none)");
		rc = write_credential(cli_opt(&a, "out"), json);
	}
	mc_free(json);
	mc_free(etag);
	mc_store_close(s);
	return rc;
}

int cmd_store_status_list_publish(int argc, char **argv)
{
	static const char *const vo[] = {"store", "issuer", "passphrase-file", "suite", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, store_flags_none) || a.npos != 1)
		return cli_usage("mcred status-list publish [--store URL] LIST_ID [--issuer ID]");
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	int rc = cli_store_open(&a, &s);
	if (!rc)
		rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer"), &is);
	if (!rc) {
		mc_err err = {0};
		mc_status st = mc_issuer_publish_status_list(is, a.pos[0], &err);
		if (st != MC_OK)
			rc = cli_fail("status-list publish", st, &err);
		else
			printf("%s: signed by %s\n", a.pos[0], mc_issuer_id(is));
	}
	mc_issuer_close(is);
	mc_store_close(s);
	return rc;
}

/* Every statusListCredential the credential's entries name (one object or
 * an array), as published by the store, verified and added to *lists.
 * Lists already added (by --status-list) are kept. */
int cli_store_status_lists(const char *store_url, const char *cred, size_t len, const mc_verify_opts *vo,
                           mc_status_lists **lists)
{
	json_error_t jerr;
	json_t *doc = json_loadb(cred, len, 0, &jerr);
	json_t *cs = json_object_get(doc, "credentialStatus");
	json_t *one = json_is_object(cs) ? json_array() : NULL;
	if (one)
		json_array_append(one, cs);
	json_t *arr = one ? one : cs;
	mc_store *s = NULL;
	mc_err err = {0};
	int rc = EXIT_OK;
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		const char *url = json_string_value(json_object_get(e, "statusListCredential"));
		if (!url)
			continue; /* reported by the status check itself */
		if (!s) {
			mc_status st = mc_store_open(store_url, &s, &err);
			if (st != MC_OK) {
				rc = cli_fail("store", st, &err);
				break;
			}
		}
		char *lj = NULL;
		mc_status st = mc_issuer_status_list_credential(s, url, &lj, NULL, &err);
		if (st == MC_ERR_MISSING) {
			fprintf(stderr, "mcred: the store publishes no status list %s\n", url);
			err = (mc_err){0};
			continue; /* the status check then reports it missing */
		}
		if (st == MC_OK && !*lists)
			st = mc_status_lists_new(lists, &err);
		mc_verify_opts lv = *vo;
		lv.status_lists = NULL;
		if (st == MC_OK)
			st = mc_status_lists_add(*lists, lj, strlen(lj), &lv, &err);
		if (st == MC_ERR_VALUE && strstr(err.msg, "was already added"))
			st = MC_OK, err = (mc_err){0}; /* given with --status-list too, or two entries on one list */
		mc_free(lj);
		if (st != MC_OK) {
			rc = cli_fail(url, st == MC_ERR_INVALID ? MC_ERR_VALUE : st, &err);
			break;
		}
	}
	mc_store_close(s);
	json_decref(one);
	json_decref(doc);
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
