/*
 * cmd_trust.c - trust and transparency commands (docs/trust.md): the
 * register (import, export, publish, check), pathway checks, recognition
 * decisions and the catalogue. Each parses options, calls libmcred, prints.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* cli_write ends the output with a newline: drop the text's own */
static int write_out(const cli_args *a, const char *text)
{
	size_t n = strlen(text);
	n -= n && text[n - 1] == '\n';
	return cli_write(cli_opt(a, "out"), text, n, 0) ? EXIT_SYSTEM : EXIT_OK;
}

/* ---- Register --------------------------------------------------------- */

int cli_load_register(const char *path, const char *issuer, const char *dids, size_t dids_len, mc_register *reg)
{
	size_t len;
	char *buf = cli_read(path, &len);
	if (!buf)
		return EXIT_INPUT;
	mc_err err = {0};
	mc_status st;
	if (ends_with(path, ".csv"))
		st = mc_register_parse_csv(buf, len, reg, &err);
	else if (strstr(buf, "\"proof\""))
		st = mc_register_open_signed(buf, len, issuer, dids, dids_len, reg, &err);
	else if (issuer)
		st = MC_ERR_SIGNATURE, snprintf(err.msg, sizeof err.msg, "the register is not signed, so its publisher "
		                                                         "cannot be %s (publish it with mcred register publish)", issuer);
	else
		st = mc_register_parse_json(buf, len, reg, &err);
	free(buf);
	return st == MC_OK ? EXIT_OK : cli_fail(path, st, &err);
}

static int load_reg_option(const cli_args *a, mc_register *reg, int *from_store)
{
	*from_store = 0;
	if (cli_opt(a, "register"))
		return cli_load_register(cli_opt(a, "register"), cli_opt(a, "register-issuer"), NULL, 0, reg);
	mc_store *s = NULL;
	int rc = cli_store_open(a, &s);
	if (rc != EXIT_OK)
		return rc;
	mc_err err = {0};
	mc_status st = mc_store_register_load(s, reg, &err);
	mc_store_close(s);
	*from_store = 1;
	return st == MC_OK ? EXIT_OK : cli_fail("register", st, &err);
}

int cmd_register_import(int argc, char **argv)
{
	static const char *const vo[] = {"store", "actor", NULL}, *const fo[] = {NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return cli_usage("mcred register import [--store URL] REGISTER.json|REGISTER.csv [--actor NAME]");
	mc_register reg = {0};
	int rc = cli_load_register(a.pos[0], NULL, NULL, 0, &reg);
	if (rc != EXIT_OK)
		return rc;
	mc_store *s = NULL;
	rc = cli_store_open(&a, &s);
	if (rc == EXIT_OK) {
		mc_err err = {0};
		mc_status st = mc_store_register_import(s, &reg, cli_opt(&a, "actor"), &err);
		if (st == MC_OK)
			printf("imported %zu providers, %zu agencies, %zu QA results\n", reg.nproviders, reg.nagencies,
			       reg.nresults);
		else
			rc = cli_fail("register import", st, &err);
		mc_store_close(s);
	}
	mc_register_clear(&reg);
	return rc;
}

int cmd_register_export(int argc, char **argv)
{
	static const char *const vo[] = {"store", "format", "out", NULL}, *const fo[] = {NULL};
	const char *usage = "mcred register export [--store URL] [--format json|csv] [--out FILE]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 0)
		return cli_usage(usage);
	const char *fmt = cli_opt(&a, "format") ? cli_opt(&a, "format") : "json";
	if (strcmp(fmt, "json") && strcmp(fmt, "csv"))
		return cli_usage(usage);
	mc_register reg = {0};
	int from_store;
	int rc = load_reg_option(&a, &reg, &from_store);
	if (rc != EXIT_OK)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = strcmp(fmt, "csv") == 0 ? mc_register_to_csv(&reg, &out, &err) : mc_register_to_json(&reg, &out, &err);
	rc = st == MC_OK ? write_out(&a, out) : cli_fail("register export", st, &err);
	mc_free(out);
	mc_register_clear(&reg);
	return rc;
}

int cmd_register_publish(int argc, char **argv)
{
	static const char *const vo[] = {"store", "register", "key", "issuer", "id", "out", "passphrase-file", NULL},
	                         *const fo[] = {NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 0 || !cli_opt(&a, "key"))
		return cli_usage("mcred register publish [--store URL | --register FILE] --key KEY.json [--issuer DID] "
		                   "[--id IRI] [--out FILE]");
	mc_register reg = {0};
	int from_store;
	int rc = load_reg_option(&a, &reg, &from_store);
	if (rc != EXIT_OK)
		return rc;
	mc_key key = {.alg = MC_KEY_ED25519};
	rc = cli_load_key(&a, cli_opt(&a, "key"), &key.ed25519);
	char *out = NULL;
	if (rc == EXIT_OK) {
		mc_err err = {0};
		mc_status st = mc_register_sign(&reg, cli_opt(&a, "id"), cli_opt(&a, "issuer"), &key, &out, &err);
		rc = st == MC_OK ? write_out(&a, out) : cli_fail("register publish", st, &err);
	}
	mc_key_wipe(&key);
	mc_free(out);
	mc_register_clear(&reg);
	return rc;
}

static const char *word(mc_result r)
{
	return r == MC_PASS ? "PASS" : r == MC_WARN ? "WARN" : r == MC_SKIP ? "SKIP" : "FAIL";
}

int cmd_register_check(int argc, char **argv)
{
	static const char *const vo[] = {"store", "register", "register-issuer", "issuer", "date", "field", NULL},
	                         *const fo[] = {NULL};
	const char *usage = "mcred register check [--store URL | --register FILE] (--issuer ID [--date YYYY-MM-DD] "
	                    "[--field NNNN] | CREDENTIAL.json)";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || (a.npos == 1) == (cli_opt(&a, "issuer") != NULL) || a.npos > 1)
		return cli_usage(usage);
	mc_register reg = {0};
	int from_store;
	int rc = load_reg_option(&a, &reg, &from_store);
	if (rc != EXIT_OK)
		return rc;
	if (a.npos == 1) {
		/* a credential: the same line mc_verify adds, after verifying it */
		size_t len;
		char *cred = cli_read(a.pos[0], &len);
		if (!cred) {
			mc_register_clear(&reg);
			return EXIT_INPUT;
		}
		mc_verify_opts vo2 = {.trust_register = &reg, .flags = MC_VERIFY_REQUIRE_REGISTERED};
		mc_report *rep = NULL;
		mc_err err = {0};
		mc_status st = mc_verify(cred, len, &vo2, &rep, &err);
		free(cred);
		rc = EXIT_INVALID;
		for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
			const mc_finding *f = mc_report_get(rep, i);
			if (strcmp(f->check, "register") == 0) {
				printf("%s  %s\n", word(f->result), f->message);
				rc = f->result == MC_FAIL ? EXIT_INVALID : EXIT_OK;
			} else if (f->result == MC_FAIL && strcmp(f->check, "signature") == 0) {
				printf("FAIL  %s\n", f->message);
			}
		}
		if (!rep)
			rc = cli_fail("verify", st, &err);
		mc_report_free(rep);
		mc_register_clear(&reg);
		return rc;
	}
	int64_t when = 0;
	char date[40];
	if (cli_opt(&a, "date")) {
		snprintf(date, sizeof date, "%sT00:00:00Z", cli_opt(&a, "date"));
		if (strlen(cli_opt(&a, "date")) != 10 || mc_datetime_parse(date, &when) != MC_OK) {
			mc_register_clear(&reg);
			fprintf(stderr, "mcred: --date must be YYYY-MM-DD\n");
			return EXIT_USAGE;
		}
	} else {
		when = (int64_t)time(NULL);
	}
	mc_register_check_result r;
	mc_register_check(&reg, cli_opt(&a, "issuer"), when, cli_opt(&a, "field"), &r);
	printf("%s  %s\n", word(r.result), r.reason);
	mc_register_clear(&reg);
	return r.result == MC_FAIL ? EXIT_INVALID : EXIT_OK;
}

/* ---- Pathways ----------------------------------------------------------- */

/* Verification options shared by pathway check and recognise. */
static int verify_setup(const cli_args *a, mc_verify_opts *vo, char **dids, mc_status_lists **lists)
{
	*dids = NULL;
	*lists = NULL;
	if (cli_opt(a, "did-document") && !(*dids = cli_read(cli_opt(a, "did-document"), &vo->did_documents_len)))
		return EXIT_INPUT;
	vo->did_documents = *dids;
	if (cli_opt(a, "now") && mc_datetime_parse(cli_opt(a, "now"), &vo->now) != MC_OK) {
		fprintf(stderr, "mcred: --now must be a dateTime with zone, e.g. 2030-01-31T00:00:00Z\n");
		return EXIT_USAGE;
	}
	int rc = cli_load_status_lists(a, vo, lists);
	vo->status_lists = *lists;
	return rc;
}

/* A pathway and a learner's credentials from the command line, verified
 * once each through a cache: what pathway check and pathway issue share. */
typedef struct wallet {
	cli_args a;
	/* what a points into */
	char **opts;
	mc_pathway *pw;
	mc_verify_opts vopts;
	char *dids;
	mc_status_lists *lists;
	mc_verify_cache *cache;
	/* the credentials' bytes and facts, n of them */
	char **bytes;
	size_t *lens;
	const mc_cred_facts **facts;
	size_t n;
} wallet;

static void wallet_clear(wallet *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->bytes[i]);
	free(w->bytes), free(w->lens), free(w->facts), free(w->opts);
	mc_verify_cache_free(w->cache);
	mc_status_lists_free(w->lists);
	free(w->dids);
	mc_pathway_free(w->pw);
}

static int wallet_load(wallet *w, int argc, char **argv, const char *const *vo, const char *const *fo,
                       const char *usage)
{
	memset(w, 0, sizeof *w);
	/* a wallet holds more credentials than cli_parse keeps positionals:
	 * options and the pathway go to cli_parse, the credentials are kept here */
	char **opts = calloc((size_t)argc + 1, sizeof *opts), **creds = calloc((size_t)argc + 1, sizeof *creds);
	w->bytes = calloc((size_t)argc + 1, sizeof *w->bytes);
	w->lens = calloc((size_t)argc + 1, sizeof *w->lens);
	w->facts = calloc((size_t)argc + 1, sizeof *w->facts);
	w->opts = opts;
	if (!opts || !creds || !w->bytes || !w->lens || !w->facts) {
		free(creds);
		return EXIT_SYSTEM;
	}
	int nopts = 0, ncreds = 0, seen_pathway = 0;
	for (int i = 0; i < argc; i++) {
		int is_flag = 0;
		for (const char *const *f = fo; *f; f++)
			is_flag |= strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, *f) == 0;
		if (strncmp(argv[i], "--", 2) == 0) {
			opts[nopts++] = argv[i];
			if (!is_flag && i + 1 < argc)
				opts[nopts++] = argv[++i];
		} else if (!seen_pathway) {
			opts[nopts++] = argv[i];
			seen_pathway = 1;
		} else {
			creds[ncreds++] = argv[i];
		}
	}
	mc_err err = {0};
	mc_status st = MC_OK;
	int rc = EXIT_OK;
	if (cli_parse(&w->a, nopts, opts, vo, fo) || w->a.npos != 1) {
		rc = cli_usage(usage);
	} else {
		size_t len;
		char *pj = cli_read(w->a.pos[0], &len);
		if (!pj)
			rc = EXIT_INPUT;
		else if ((st = mc_pathway_parse(pj, len, &w->pw, &err)) != MC_OK)
			rc = cli_fail(w->a.pos[0], st, &err);
		free(pj);
	}
	if (rc == EXIT_OK)
		rc = verify_setup(&w->a, &w->vopts, &w->dids, &w->lists);
	if (rc == EXIT_OK && (st = mc_verify_cache_new(&w->vopts, 0, &w->cache, &err)) != MC_OK)
		rc = cli_fail("cache", st, &err);
	for (int i = 0; rc == EXIT_OK && i < ncreds; i++) {
		if (!(w->bytes[w->n] = cli_read(creds[i], &w->lens[w->n]))) {
			rc = EXIT_INPUT;
			break;
		}
		w->n++;
		st = mc_verify_cache_get(w->cache, w->bytes[w->n - 1], w->lens[w->n - 1], &w->facts[w->n - 1], NULL, &err);
		if (st != MC_OK)
			rc = cli_fail(creds[i], st, &err);
	}
	w->opts = opts; /* w->a points into it */
	free(creds);
	return rc;
}

int cmd_pathway_check(int argc, char **argv)
{
	static const char *const vo[] = {"now", "did-document", "status-list", "out", NULL}, *const fo[] = {"json", NULL};
	wallet w;
	int rc = wallet_load(&w, argc, argv, vo, fo,
	                     "mcred pathway check PATHWAY.json CREDENTIAL.json... [--json] [--now T] [--did-document D] "
	                     "[--status-list L]");
	mc_err err = {0};
	mc_status st;
	mc_pathway_result r = {0};
	if (rc == EXIT_OK && (st = mc_pathway_eval(w.pw, w.facts, w.n, w.vopts.now, 1, &r, &err)) != MC_OK)
		rc = cli_fail("pathway", st, &err);
	if (rc == EXIT_OK && cli_flag(&w.a, "json")) {
		char *out = NULL;
		st = mc_pathway_result_json(w.pw, &r, w.facts, w.n, &out, &err);
		rc = st == MC_OK ? write_out(&w.a, out) : cli_fail("pathway", st, &err);
		mc_free(out);
	} else if (rc == EXIT_OK) {
		for (size_t i = 0; i < mc_report_count(r.missing); i++) {
			const mc_finding *f = mc_report_get(r.missing, i);
			printf("%s  %s%s%s%s\n", f->result == MC_FAIL ? "MISSING" : "IGNORED", f->message, f->path[0] ? " (" : "",
			       f->path, f->path[0] ? ")" : "");
		}
		printf("\n%s: %s, progress %.0f%%, %zu of %zu credentials counted.\n", mc_pathway_id(w.pw),
		       r.done ? "COMPLETE" : "NOT COMPLETE", r.progress * 100, r.n_used, w.n);
	}
	if (rc == EXIT_OK && !r.done)
		rc = EXIT_INVALID;
	mc_pathway_result_clear(&r);
	wallet_clear(&w);
	return rc;
}

int cmd_pathway_issue(int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "version", "learner", "issuer", "passphrase-file", "suite",
	                                 "out", "now", "did-document", "status-list", NULL},
	                         *const fo[] = {NULL};
	const char *usage = "mcred pathway issue PATHWAY.json CREDENTIAL.json... --template ID --learner L.json "
	                    "[--store URL] [--issuer ID] [--passphrase-file F] [--out FILE] [--now T] "
	                    "[--did-document D] [--status-list L]";
	wallet w;
	int rc = wallet_load(&w, argc, argv, vo, fo, usage);
	if (rc == EXIT_OK && (!cli_opt(&w.a, "template") || !cli_opt(&w.a, "learner")))
		rc = cli_usage(usage);
	size_t llen = 0;
	char *learner = rc == EXIT_OK ? cli_read(cli_opt(&w.a, "learner"), &llen) : NULL;
	if (rc == EXIT_OK && !learner)
		rc = EXIT_INPUT;
	mc_store *s = NULL;
	mc_issuer *is = NULL;
	if (rc == EXIT_OK)
		rc = cli_store_open(&w.a, &s);
	if (rc == EXIT_OK)
		rc = cli_issuer_open(&w.a, s, cli_opt(&w.a, "issuer"), &is);
	mc_issue_result res = {0};
	if (rc == EXIT_OK) {
		mc_stacked_req req = {.pathway = w.pw, .template_id = cli_opt(&w.a, "template"),
		                      .template_version = cli_opt(&w.a, "version") ? strtoll(cli_opt(&w.a, "version"), NULL, 10) : 0,
		                      .learner_json = learner, .creds = (const char *const *)w.bytes, .lens = w.lens,
		                      .n = w.n, .cache = w.cache, .now = w.vopts.now};
		mc_err err = {0};
		mc_status st = mc_issuer_issue_stacked(is, &req, &res, &err);
		if (st != MC_OK)
			rc = cli_fail("pathway issue", st, &err);
	}
	if (rc == EXIT_OK) {
		fprintf(stderr, "%s %s\n", res.existed ? "already issued:" : "issued", res.credential_id);
		rc = write_out(&w.a, res.credential_json);
	}
	mc_issue_result_clear(&res);
	mc_issuer_close(is);
	mc_store_close(s);
	free(learner);
	wallet_clear(&w);
	return rc;
}

/* ---- Recognition ----------------------------------------------------------- */

int cmd_recognise(int argc, char **argv)
{
	static const char *const vo[] = {"policy", "register", "register-issuer", "store", "actor", "now",
	                                 "did-document", "status-list", "issue", "issuer", "passphrase-file", "credential-out", NULL},
	                         *const fo[] = {"json", "record", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1 || !cli_opt(&a, "policy"))
		return cli_usage("mcred recognise --policy POLICY.json CREDENTIAL.json [--register FILE | --store URL] "
		                   "[--record] [--actor NAME] [--json] [--now T] [--did-document D] [--status-list L] "
		                   "[--issue TEMPLATE [--issuer ID] [--passphrase-file F] [--credential-out FILE]]");
	size_t len;
	char *pj = cli_read(cli_opt(&a, "policy"), &len);
	if (!pj)
		return EXIT_INPUT;
	mc_recognition_policy *pol = NULL;
	mc_err err = {0};
	mc_status st = mc_recognition_policy_parse(pj, len, &pol, &err);
	free(pj);
	if (st != MC_OK)
		return cli_fail(cli_opt(&a, "policy"), st, &err);
	mc_register reg = {0};
	int from_store = 0;
	int rc = load_reg_option(&a, &reg, &from_store);
	mc_verify_opts vopts = {0};
	char *dids = NULL, *cred = NULL;
	mc_status_lists *lists = NULL;
	mc_verify_cache *cache = NULL;
	mc_recognition d = {0};
	if (rc == EXIT_OK)
		rc = verify_setup(&a, &vopts, &dids, &lists);
	if (rc == EXIT_OK && (st = mc_verify_cache_new(&vopts, 1, &cache, &err)) != MC_OK)
		rc = cli_fail("cache", st, &err);
	if (rc == EXIT_OK && !(cred = cli_read(a.pos[0], &len)))
		rc = EXIT_INPUT;
	if (rc == EXIT_OK && (st = mc_recognise(pol, &reg, cache, cred, len, vopts.now, &d, &err)) != MC_OK)
		rc = cli_fail("recognise", st, &err);
	if (rc == EXIT_OK && cli_flag(&a, "record")) {
		mc_store *s = NULL;
		rc = cli_store_open(&a, &s);
		int64_t id = 0;
		if (rc == EXIT_OK && (st = mc_store_recognition_record(s, &d, cli_opt(&a, "actor"), &id, &err)) != MC_OK)
			rc = cli_fail("record", st, &err);
		else if (rc == EXIT_OK)
			fprintf(stderr, "recorded as decision %lld\n", (long long)id);
		mc_store_close(s);
	}
	if (rc == EXIT_OK && cli_opt(&a, "issue") && d.outcome == MC_RECOGNISED) {
		/* the decision as a credential of the store's issuer */
		mc_store *s = NULL;
		mc_issuer *is = NULL;
		mc_issue_result res = {0};
		rc = cli_store_open(&a, &s);
		if (rc == EXIT_OK)
			rc = cli_issuer_open(&a, s, cli_opt(&a, "issuer"), &is);
		if (rc == EXIT_OK &&
		    (st = mc_issuer_issue_recognition(is, &d, cli_opt(&a, "issue"), cred, len, &res, &err)) != MC_OK)
			rc = cli_fail("recognise --issue", st, &err);
		if (rc == EXIT_OK) {
			fprintf(stderr, "%s %s\n", res.existed ? "recognition credential already issued:"
			                                        : "issued recognition credential", res.credential_id);
			if (cli_opt(&a, "credential-out"))
				rc = cli_write(cli_opt(&a, "credential-out"), res.credential_json, strlen(res.credential_json), 0)
				         ? EXIT_SYSTEM : EXIT_OK;
		}
		mc_issue_result_clear(&res);
		mc_issuer_close(is);
		mc_store_close(s);
	}
	if (rc == EXIT_OK && cli_flag(&a, "json")) {
		char *out = NULL;
		st = mc_recognition_json(&d, &out, &err);
		rc = st == MC_OK ? write_out(&a, out) : cli_fail("recognise", st, &err);
		mc_free(out);
	} else if (rc == EXIT_OK) {
		for (size_t i = 0; i < mc_report_count(d.reasons); i++) {
			const mc_finding *f = mc_report_get(d.reasons, i);
			printf("%s  %s\n", f->result == MC_PASS ? "MET    " : "NOT MET", f->message);
		}
		if (d.outcome == MC_RECOGNISED)
			printf("\nRECOGNISED automatically: %g ECTS towards %s.\n", d.ects, d.towards);
		else
			printf("\nREFERRED to a person: see the conditions not met above.\n");
	}
	if (rc == EXIT_OK && d.outcome == MC_REFERRED)
		rc = EXIT_INVALID;
	mc_recognition_clear(&d);
	free(cred);
	mc_verify_cache_free(cache);
	mc_status_lists_free(lists);
	free(dids);
	mc_register_clear(&reg);
	mc_recognition_policy_free(pol);
	return rc;
}

/* ---- Catalogue ---------------------------------------------------------------- */

static int put_offers(const cli_args *a, const mc_offer *v, size_t n)
{
	mc_store *s = NULL;
	int rc = cli_store_open(a, &s);
	if (rc != EXIT_OK)
		return rc;
	mc_err err = {0};
	mc_status st = mc_store_catalogue_put(s, v, n, &err);
	mc_store_close(s);
	if (st != MC_OK)
		return cli_fail("catalogue", st, &err);
	printf("%zu offer(s) stored\n", n);
	return EXIT_OK;
}

int cmd_catalogue_add(int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "version", "details", NULL}, *const fo[] = {NULL};
	const char *usage = "mcred catalogue add [--store URL] (OFFER.json | --template ID [--version N] --details D.json)";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || (a.npos == 1) == (cli_opt(&a, "template") != NULL) || a.npos > 1 ||
	    (cli_opt(&a, "template") && !cli_opt(&a, "details")))
		return cli_usage(usage);
	mc_err err = {0};
	mc_status st;
	char *json = NULL;
	size_t len = 0;
	if (a.npos == 1) {
		if (!(json = cli_read(a.pos[0], &len)))
			return EXIT_INPUT;
	} else {
		/* from a published template of the store */
		mc_store *s = NULL;
		int rc = cli_store_open(&a, &s);
		if (rc != EXIT_OK)
			return rc;
		mc_store_template t = {0};
		int64_t version = cli_opt(&a, "version") ? strtoll(cli_opt(&a, "version"), NULL, 10) : 0;
		st = mc_store_template_get(s, cli_opt(&a, "template"), version, &t, &err);
		mc_store_close(s);
		if (st != MC_OK)
			return cli_fail("template", st, &err);
		if (t.state != MC_TEMPLATE_PUBLISHED) {
			fprintf(stderr, "mcred: template %s version %lld is not published\n", t.id, (long long)t.version);
			mc_store_template_clear(&t);
			return EXIT_INPUT;
		}
		size_t dlen;
		char *det = cli_read(cli_opt(&a, "details"), &dlen);
		if (!det) {
			mc_store_template_clear(&t);
			return EXIT_INPUT;
		}
		st = mc_offer_from_template(t.json, strlen(t.json), det, dlen, t.id, t.version, &json, &err);
		free(det);
		mc_store_template_clear(&t);
		if (st != MC_OK)
			return cli_fail("offer", st, &err);
		len = strlen(json);
	}
	mc_offer o;
	st = mc_offer_parse(json, len, &o, &err);
	free(json);
	if (st != MC_OK)
		return cli_fail("offer", st, &err);
	int rc = put_offers(&a, &o, 1);
	mc_offer_clear(&o);
	return rc;
}

int cmd_catalogue_import(int argc, char **argv)
{
	static const char *const vo[] = {"store", NULL}, *const fo[] = {NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return cli_usage("mcred catalogue import [--store URL] FEED.json");
	size_t len, n = 0;
	char *feed = cli_read(a.pos[0], &len);
	if (!feed)
		return EXIT_INPUT;
	mc_offer *v = NULL;
	mc_err err = {0};
	mc_status st = mc_catalogue_feed_parse(feed, len, &v, &n, &err);
	free(feed);
	if (st != MC_OK)
		return cli_fail(a.pos[0], st, &err);
	int rc = put_offers(&a, v, n);
	mc_offer_list_free(v, n);
	return rc;
}

int cmd_catalogue_search(int argc, char **argv)
{
	static const char *const vo[] = {"store",    "ects-min", "ects-max", "eqf",      "field",
	                                 "country",  "language", "mode",     "provider", "limit", NULL},
	                         *const fo[] = {"json", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo))
		return cli_usage("mcred catalogue search [--store URL] [WORDS...] [--ects-min X] [--ects-max Y] [--eqf N] "
		                   "[--field NNNN] [--country CC] [--language LL] [--mode M] [--provider ID] [--limit N] "
		                   "[--json]");
	char text[1024] = "";
	for (int i = 0; i < a.npos; i++) {
		size_t n = strlen(text);
		snprintf(text + n, sizeof text - n, "%s%s", i ? " " : "", a.pos[i]);
	}
	mc_catalogue_query q = {
		.text = text,
		.ects_min = cli_opt(&a, "ects-min") ? strtod(cli_opt(&a, "ects-min"), NULL) : 0,
		.ects_max = cli_opt(&a, "ects-max") ? strtod(cli_opt(&a, "ects-max"), NULL) : 0,
		.eqf = cli_opt(&a, "eqf") ? atoi(cli_opt(&a, "eqf")) : 0,
		.field = cli_opt(&a, "field"),
		.country = cli_opt(&a, "country"),
		.language = cli_opt(&a, "language"),
		.mode = cli_opt(&a, "mode"),
		.provider = cli_opt(&a, "provider"),
		.limit = cli_opt(&a, "limit") ? (size_t)strtoul(cli_opt(&a, "limit"), NULL, 10) : 0,
	};
	mc_store *s = NULL;
	int rc = cli_store_open(&a, &s);
	if (rc != EXIT_OK)
		return rc;
	mc_offer *hits = NULL;
	size_t n = 0;
	mc_err err = {0};
	mc_status st = mc_store_catalogue_search(s, &q, &hits, &n, &err);
	mc_store_close(s);
	if (st != MC_OK)
		return cli_fail("search", st, &err);
	if (cli_flag(&a, "json")) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%s", i ? ",\n" : "\n", hits[i].json);
		printf("%s]\n", n ? "\n" : "");
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s  %s  (%g ECTS%s%d, %s, %s, %s) %s\n", hits[i].id, hits[i].title, hits[i].ects,
			       hits[i].eqf ? ", EQF " : "", hits[i].eqf, hits[i].country, hits[i].language, hits[i].mode,
			       hits[i].provider);
		printf("%zu offer(s)\n", n);
	}
	mc_offer_list_free(hits, n);
	return EXIT_OK;
}
