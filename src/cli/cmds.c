/*
 * cmds.c - the mcred commands. Each parses its options, calls the library,
 * prints, and returns an exit code; no logic of its own beyond that.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"

static const char *const no_opts[] = {NULL};

/* Load a key file of either algorithm (prints errors). */
static int load_key_any(const cli_args *a, const char *path, mc_key *k)
{
	size_t len, plen;
	char *json = cli_read(path, &len);
	if (!json)
		return EXIT_INPUT;
	char pass[MC_PASSPHRASE_MAX + 1];
	if (cli_passphrase(a, pass, sizeof pass, &plen) != 0) {
		free(json);
		return EXIT_INPUT;
	}
	mc_err err = {0};
	mc_status st = mc_keyfile_open_key(json, len, pass, plen, k, &err);
	sodium_memzero(pass, sizeof pass);
	free(json);
	if (st != MC_OK) {
		cli_error(path, st, &err);
		return cli_exit_for(st);
	}
	return EXIT_OK;
}

int cli_load_key(const cli_args *a, const char *path, mc_keypair *kp)
{
	mc_key k;
	int rc = load_key_any(a, path, &k);
	if (rc != EXIT_OK)
		return rc;
	if (k.alg != MC_KEY_ED25519) {
		mc_key_wipe(&k);
		fprintf(stderr, "mcred: %s: this command needs an Ed25519 key\n", path);
		return EXIT_INPUT;
	}
	*kp = k.ed25519;
	mc_key_wipe(&k);
	return EXIT_OK;
}

/* --suite, checked against the known names; NULL = the key's CLI default
 * (eddsa-rdfc-2022 for Ed25519, ecdsa-rdfc-2019 for P-256). */
static int suite_opt(const cli_args *a, const char **suite)
{
	const char *s = cli_opt(a, "suite");
	*suite = s;
	if (!s || strcmp(s, MC_SUITE_EDDSA_RDFC) == 0 || strcmp(s, MC_SUITE_EDDSA_JCS) == 0 ||
	    strcmp(s, MC_SUITE_ECDSA_RDFC) == 0)
		return 0;
	fprintf(stderr, "mcred: --suite must be " MC_SUITE_EDDSA_RDFC ", " MC_SUITE_EDDSA_JCS " or " MC_SUITE_ECDSA_RDFC
	                "\n");
	return -1;
}

static const char *default_suite(const mc_key *k)
{
	return k->alg == MC_KEY_P256 ? MC_SUITE_ECDSA_RDFC : MC_SUITE_EDDSA_RDFC;
}

static void print_public(const mc_public_key *pk, int json)
{
	char mk[MC_MULTIKEY_MAX], did[MC_DID_KEY_MAX], vm[MC_VM_ID_MAX];
	if (mc_public_key_multikey(pk, mk) || mc_public_key_did(pk, did) || mc_public_key_vm(pk, vm)) {
		fprintf(stderr, "mcred: cannot encode the public key\n");
		return;
	}
	if (json)
		printf("{\"alg\":\"%s\",\"publicKeyMultibase\":\"%s\",\"did\":\"%s\",\"verificationMethod\":\"%s\"}\n",
		       pk->alg == MC_KEY_P256 ? "P-256" : "Ed25519", mk, did, vm);
	else
		printf("algorithm:           %s\npublic key:          %s\ndid:                 %s\nverification method: %s\n",
		       pk->alg == MC_KEY_P256 ? "P-256" : "Ed25519", mk, did, vm);
}

/* Seal kp into a key file at `out` and print its public part. */
static int save_key(const cli_args *a, const mc_key *kp, const char *out)
{
	if (!cli_flag(a, "force")) {
		FILE *f = fopen(out, "rb");
		if (f) {
			fclose(f);
			fprintf(stderr, "mcred: %s exists; use --force to overwrite\n", out);
			return EXIT_USAGE;
		}
	}
	char pass[MC_PASSPHRASE_MAX + 1];
	size_t plen;
	if (cli_passphrase(a, pass, sizeof pass, &plen) != 0)
		return EXIT_INPUT;
	char *file = NULL;
	mc_err err = {0};
	mc_status st = mc_keyfile_seal_key(kp, pass, plen, cli_flag(a, "fast-kdf") ? MC_KEYFILE_FAST : 0, &file, &err);
	sodium_memzero(pass, sizeof pass);
	if (st != MC_OK) {
		cli_error("key", st, &err);
		return cli_exit_for(st);
	}
	int rc = cli_write(out, file, strlen(file), 1) == 0 ? EXIT_OK : EXIT_SYSTEM;
	mc_free(file);
	if (rc == EXIT_OK) {
		fprintf(stderr, "wrote encrypted key %s\n", out);
		mc_public_key pub;
		mc_key_public(kp, &pub);
		print_public(&pub, 0);
	}
	return rc;
}

int cmd_key_new(int argc, char **argv)
{
	static const char *const vo[] = {"out", "passphrase-file", "alg", NULL}, *const fo[] = {"fast-kdf", "force", NULL};
	cli_args a;
	const char *usage = "mcred key new --out KEY.json [--alg ed25519|p256] [--fast-kdf] [--force]";
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos || !cli_opt(&a, "out"))
		return cli_usage(usage);
	const char *alg = cli_opt(&a, "alg");
	mc_key k;
	memset(&k, 0, sizeof k);
	if (!alg || strcmp(alg, "ed25519") == 0 || strcmp(alg, "Ed25519") == 0)
		k.alg = MC_KEY_ED25519;
	else if (strcmp(alg, "p256") == 0 || strcmp(alg, "P-256") == 0)
		k.alg = MC_KEY_P256;
	else
		return cli_usage(usage);
	mc_err err = {0};
	mc_status st = k.alg == MC_KEY_P256 ? mc_p256_keypair_generate(&k.p256, &err) : mc_keypair_generate(&k.ed25519, &err);
	if (st != MC_OK) {
		cli_error("key new", st, &err);
		return cli_exit_for(st);
	}
	int rc = save_key(&a, &k, cli_opt(&a, "out"));
	mc_key_wipe(&k);
	return rc;
}

static int hex_seed(const char *hex, uint8_t seed[32])
{
	size_t bin_len = 0;
	if (strlen(hex) != 64 || sodium_hex2bin(seed, 32, hex, 64, NULL, &bin_len, NULL) != 0 || bin_len != 32)
		return -1;
	return 0;
}

int cmd_key_import(int argc, char **argv)
{
	static const char *const vo[] = {"out", "seed-multibase", "seed-hex", "passphrase-file", NULL};
	static const char *const fo[] = {"fast-kdf", "force", NULL};
	const char *usage = "mcred key import (--seed-multibase zSECRET | --seed-hex HEX) --out KEY.json";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos || !cli_opt(&a, "out") ||
	    !!cli_opt(&a, "seed-multibase") == !!cli_opt(&a, "seed-hex"))
		return cli_usage(usage);
	uint8_t seed[MC_ED25519_SEED_BYTES];
	mc_err err = {0};
	mc_status st = MC_OK;
	if (cli_opt(&a, "seed-hex")) {
		if (hex_seed(cli_opt(&a, "seed-hex"), seed) != 0) {
			fprintf(stderr, "mcred: --seed-hex must be 64 hexadecimal characters\n");
			return EXIT_INPUT;
		}
	} else {
		st = mc_multikey_secret_decode(cli_opt(&a, "seed-multibase"), seed, &err);
	}
	mc_key k;
	memset(&k, 0, sizeof k);
	k.alg = MC_KEY_ED25519;
	if (st == MC_OK)
		st = mc_keypair_from_seed(&k.ed25519, seed, &err);
	sodium_memzero(seed, sizeof seed);
	if (st != MC_OK) {
		cli_error("key import", st, &err);
		return cli_exit_for(st);
	}
	int rc = save_key(&a, &k, cli_opt(&a, "out"));
	mc_key_wipe(&k);
	return rc;
}

int cmd_key_show(int argc, char **argv)
{
	static const char *const fo[] = {"json", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, no_opts, fo) || a.npos != 1)
		return cli_usage("mcred key show KEY.json [--json]");
	size_t len;
	char *json = cli_read(a.pos[0], &len);
	if (!json)
		return EXIT_INPUT;
	mc_public_key pk;
	mc_err err = {0};
	mc_status st = mc_keyfile_public_key(json, len, &pk, &err);
	free(json);
	if (st != MC_OK) {
		cli_error(a.pos[0], st, &err);
		return cli_exit_for(st);
	}
	print_public(&pk, cli_flag(&a, "json"));
	return EXIT_OK;
}

int cmd_key_export(int argc, char **argv)
{
	static const char *const vo[] = {"passphrase-file", NULL}, *const fo[] = {"secret", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return cli_usage("mcred key export KEY.json --secret");
	if (!cli_flag(&a, "secret")) {
		fprintf(stderr, "mcred: exporting prints the private key; confirm with --secret\n");
		return EXIT_USAGE;
	}
	mc_keypair kp;
	int rc = cli_load_key(&a, a.pos[0], &kp);
	if (rc)
		return rc;
	/* W3C Multikey secret: 0x80 0x26 || seed */
	uint8_t raw[34] = {0x80, 0x26};
	memcpy(raw + 2, kp.sk, 32);
	char out[128];
	mc_status st = mc_multibase_encode(raw, sizeof raw, out, sizeof out);
	sodium_memzero(raw, sizeof raw);
	mc_keypair_wipe(&kp);
	if (st != MC_OK)
		return EXIT_SYSTEM;
	printf("%s\n", out);
	sodium_memzero(out, sizeof out);
	return EXIT_OK;
}

int cmd_did_web(int argc, char **argv)
{
	static const char *const vo[] = {"domain", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_opts) || a.npos != 1 || !cli_opt(&a, "domain"))
		return cli_usage("mcred did web KEY.json --domain DOMAIN [--out did.json]");
	size_t len;
	char *json = cli_read(a.pos[0], &len);
	if (!json)
		return EXIT_INPUT;
	uint8_t pk[MC_ED25519_PK_BYTES];
	mc_err err = {0};
	char *doc = NULL;
	mc_status st = mc_keyfile_public(json, len, pk, &err);
	free(json);
	if (st == MC_OK)
		st = mc_did_web_document(cli_opt(&a, "domain"), pk, &doc, &err);
	if (st != MC_OK) {
		cli_error("did web", st, &err);
		return cli_exit_for(st);
	}
	int rc = cli_write(cli_opt(&a, "out"), doc, strlen(doc), 0) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(doc);
	return rc;
}

int cmd_did_resolve(int argc, char **argv)
{
	cli_args a;
	if (cli_parse(&a, argc, argv, no_opts, no_opts) || a.npos != 1)
		return cli_usage("mcred did resolve did:key:z6Mk...");
	char *doc = NULL;
	mc_err err = {0};
	mc_status st = mc_did_key_document(a.pos[0], &doc, &err);
	if (st != MC_OK) {
		cli_error("did resolve", st, &err);
		return cli_exit_for(st);
	}
	int rc = cli_write(NULL, doc, strlen(doc), 0) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(doc);
	return rc;
}

/* Read the named input files; returns EXIT_OK or an error code. */
static int read_inputs(const char *const *paths, char **bufs, size_t *lens, int n)
{
	for (int i = 0; i < n; i++) {
		bufs[i] = cli_read(paths[i], &lens[i]);
		if (!bufs[i]) {
			for (int j = 0; j < i; j++)
				free(bufs[j]);
			return EXIT_INPUT;
		}
	}
	return EXIT_OK;
}

static int sign_and_write(const cli_args *a, const char *doc, const char *key_path)
{
	const char *suite;
	if (suite_opt(a, &suite))
		return EXIT_USAGE;
	mc_key k;
	int rc = load_key_any(a, key_path, &k);
	if (rc)
		return rc;
	mc_proof_opts po = {.created = cli_opt(a, "created"), .verification_method = cli_opt(a, "verification-method"),
	                    .cryptosuite = suite ? suite : default_suite(&k)};
	char *out = NULL;
	mc_err err = {0};
	mc_status st = mc_proof_add_key(doc, strlen(doc), &k, &po, &out, &err);
	mc_key_wipe(&k);
	if (st != MC_OK) {
		cli_error("sign", st, &err);
		return cli_exit_for(st);
	}
	rc = cli_write(cli_opt(a, "out"), out, strlen(out), 0) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(out);
	return rc;
}

int cmd_issue(int argc, char **argv)
{
	static const char *const vo[] = {"achievement", "issuer", "learner", "key", "out", "created", "valid-from",
	                                 "id", "passphrase-file", "verification-method", "suite", NULL};
	static const char *const fo[] = {"unsigned", NULL};
	const char *usage = "mcred issue --achievement A.json --issuer I.json --learner L.json --key KEY.json [--out C.json]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos || !cli_opt(&a, "achievement") || !cli_opt(&a, "issuer") ||
	    !cli_opt(&a, "learner") || !cli_opt(&a, "key"))
		return cli_usage(usage);
	const char *suite;
	if (suite_opt(&a, &suite))
		return EXIT_USAGE;
	const char *paths[3] = {cli_opt(&a, "achievement"), cli_opt(&a, "issuer"), cli_opt(&a, "learner")};
	char *in[3];
	size_t len[3];
	if (read_inputs(paths, in, len, 3))
		return EXIT_INPUT;
	/* the issuer id defaults to the key's did:key */
	size_t klen;
	char *kjson = cli_read(cli_opt(&a, "key"), &klen);
	mc_public_key pk;
	char did[MC_DID_KEY_MAX] = "";
	mc_err err = {0};
	mc_status st = kjson ? mc_keyfile_public_key(kjson, klen, &pk, &err) : MC_ERR_IO;
	free(kjson);
	if (st == MC_OK)
		st = mc_public_key_did(&pk, did);
	mc_doc *cred = NULL;
	if (st == MC_OK) {
		mc_build_opts bo = {.issuer_id = did, .credential_id = cli_opt(&a, "id"),
		                    .valid_from = cli_opt(&a, "valid-from")};
		st = mc_credential_build_doc(in[0], len[0], in[1], len[1], in[2], len[2], &bo, &cred, &err);
	}
	for (int i = 0; i < 3; i++)
		free(in[i]);
	if (st != MC_OK) {
		cli_error("issue", st, &err);
		return cli_exit_for(st == MC_ERR_INVALID ? MC_ERR_VALUE : st);
	}
	int rc = EXIT_OK;
	if (!cli_flag(&a, "unsigned")) {
		/* sign the built document directly: no print-and-reparse */
		mc_key k;
		rc = load_key_any(&a, cli_opt(&a, "key"), &k);
		if (rc == EXIT_OK) {
			mc_proof_opts po = {.created = cli_opt(&a, "created"),
			                    .verification_method = cli_opt(&a, "verification-method"),
			                    .cryptosuite = suite ? suite : default_suite(&k)};
			st = mc_doc_sign_key(cred, &k, &po, &err);
			mc_key_wipe(&k);
			if (st != MC_OK) {
				cli_error("issue", st, &err);
				rc = cli_exit_for(st);
			}
		}
	}
	char *text = NULL;
	size_t tlen = 0;
	if (rc == EXIT_OK && mc_doc_serialize(cred, MC_DOC_PRETTY, &text, &tlen) != MC_OK)
		rc = EXIT_SYSTEM;
	if (rc == EXIT_OK)
		rc = cli_write(cli_opt(&a, "out"), text, tlen, 0) ? EXIT_SYSTEM : EXIT_OK;
	mc_free(text);
	mc_doc_free(cred);
	return rc;
}

int cmd_sign(int argc, char **argv)
{
	static const char *const vo[] = {"key", "out", "created", "passphrase-file", "verification-method", "suite", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_opts) || a.npos != 1 || !cli_opt(&a, "key"))
		return cli_usage("mcred sign DOC.json --key KEY.json [--suite S] [--created T] [--out OUT.json]");
	size_t len;
	char *doc = cli_read(a.pos[0], &len);
	if (!doc)
		return EXIT_INPUT;
	if (memchr(doc, '\0', len)) {
		fprintf(stderr, "mcred: %s contains a NUL byte\n", a.pos[0]);
		free(doc);
		return EXIT_INPUT;
	}
	int rc = sign_and_write(&a, doc, cli_opt(&a, "key"));
	free(doc);
	return rc;
}

static const char *result_word(mc_result r)
{
	switch (r) {
	case MC_PASS: return "PASS";
	case MC_FAIL: return "FAIL";
	case MC_WARN: return "WARN";
	case MC_SKIP: return "SKIP";
	}
	return "FAIL";
}

int cli_print_report(const mc_report *rep, int json, const char *verdict_ok, const char *verdict_bad)
{
	if (json) {
		char *out = NULL;
		if (mc_report_json(rep, &out) != MC_OK)
			return EXIT_SYSTEM;
		int rc = cli_write(NULL, out, strlen(out), 0);
		mc_free(out);
		if (rc)
			return EXIT_SYSTEM;
	} else {
		for (size_t i = 0; i < mc_report_count(rep); i++) {
			const mc_finding *f = mc_report_get(rep, i);
			printf("%s  %-12s %s%s%s%s\n", result_word(f->result), f->check, f->message,
			       f->path[0] && f->result != MC_PASS ? " (" : "", f->result != MC_PASS ? f->path : "",
			       f->path[0] && f->result != MC_PASS ? ")" : "");
		}
		printf("\n%s\n", mc_report_ok(rep) ? verdict_ok : verdict_bad);
	}
	return mc_report_ok(rep) ? EXIT_OK : EXIT_INVALID;
}

/* Load every --status-list FILE given into a set; the lists are verified
 * with the same options as the credential (their own signature and issuer
 * key), except that EU elements and dates do not apply to them. */
int cli_load_status_lists(const cli_args *a, const mc_verify_opts *vo, mc_status_lists **out)
{
	*out = NULL;
	for (int i = 0; i + 1 < a->argc; i++) {
		if (strcmp(a->argv[i], "--status-list") != 0)
			continue;
		const char *path = a->argv[++i];
		mc_err err = {0};
		if (!*out && mc_status_lists_new(out, &err) != MC_OK) {
			cli_error("status list", err.status, &err);
			return EXIT_SYSTEM;
		}
		size_t len;
		char *json = cli_read(path, &len);
		if (!json)
			return EXIT_INPUT;
		mc_verify_opts lv = *vo;
		lv.status_lists = NULL;
		mc_status st = mc_status_lists_add(*out, json, len, &lv, &err);
		free(json);
		if (st != MC_OK) {
			cli_error(path, st, &err);
			return cli_exit_for(st == MC_ERR_INVALID ? MC_ERR_VALUE : st);
		}
	}
	return EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	static const char *const vo[] = {"now", "did-document", "status-list", "store", "register", "register-issuer", NULL},
	                         *const fo[] = {"json", "proof-only", "require-registered", NULL};
	const char *usage = "mcred verify FILE [--json] [--proof-only] [--now T] [--did-document DID.json]\n"
	                    "                  [--status-list LIST.json ...] [--store URL]\n"
	                    "                  [--register REGISTER.json [--register-issuer DID] [--require-registered]]";
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, fo) || a.npos != 1)
		return cli_usage(usage);
	mc_verify_opts vo2 = {0};
	char *dids = NULL;
	if (cli_opt(&a, "did-document") && !(dids = cli_read(cli_opt(&a, "did-document"), &vo2.did_documents_len)))
		return EXIT_INPUT;
	vo2.did_documents = dids;
	if (cli_flag(&a, "proof-only"))
		vo2.flags |= MC_VERIFY_PROOF_ONLY;
	if (cli_opt(&a, "now")) {
		if (mc_datetime_parse(cli_opt(&a, "now"), &vo2.now) != MC_OK) {
			fprintf(stderr, "mcred: --now must be a dateTime with zone, e.g. 2030-01-31T00:00:00Z\n");
			free(dids);
			return EXIT_USAGE;
		}
	}
	mc_status_lists *lists = NULL;
	int rc = cli_load_status_lists(&a, &vo2, &lists);
	if (rc != EXIT_OK) {
		mc_status_lists_free(lists);
		free(dids);
		return rc;
	}
	mc_register reg = {0};
	if (cli_opt(&a, "register")) {
		rc = cli_load_register(cli_opt(&a, "register"), cli_opt(&a, "register-issuer"), dids, vo2.did_documents_len,
		                       &reg);
		vo2.trust_register = &reg;
		if (cli_flag(&a, "require-registered"))
			vo2.flags |= MC_VERIFY_REQUIRE_REGISTERED;
	}
	size_t len;
	char *cred = rc == EXIT_OK ? cli_read(a.pos[0], &len) : NULL;
	/* --store: the lists the credential names, as the store publishes them */
	if (rc == EXIT_OK)
		rc = !cred ? EXIT_INPUT
		           : cli_opt(&a, "store") ? cli_store_status_lists(cli_opt(&a, "store"), cred, len, &vo2, &lists) : EXIT_OK;
	if (rc != EXIT_OK) {
		free(cred);
		mc_register_clear(&reg);
		mc_status_lists_free(lists);
		free(dids);
		return rc;
	}
	vo2.status_lists = lists;
	mc_report *rep = NULL;
	mc_err err = {0};
	mc_status st = mc_verify(cred, len, &vo2, &rep, &err);
	free(cred);
	free(dids);
	mc_register_clear(&reg);
	mc_status_lists_free(lists);
	if (!rep) {
		cli_error("verify", st, &err);
		return cli_exit_for(st);
	}
	rc = cli_print_report(rep, cli_flag(&a, "json"), "VALID: every check passed.", "NOT VALID: see the failed checks above.");
	mc_report_free(rep);
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	static const char *const fo[] = {"json", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, no_opts, fo) || a.npos != 1)
		return cli_usage("mcred validate FILE [--json]");
	size_t len;
	char *cred = cli_read(a.pos[0], &len);
	if (!cred)
		return EXIT_INPUT;
	mc_report *rep = NULL;
	mc_err err = {0};
	mc_status st = mc_credential_validate(cred, len, &rep, &err);
	free(cred);
	if (!rep) {
		cli_error("validate", st, &err);
		return st == MC_ERR_NOMEM ? EXIT_SYSTEM : EXIT_INVALID;
	}
	int rc = cli_print_report(rep, cli_flag(&a, "json"), "COMPLETE: all EU micro-credential elements are present and valid.",
	                      "INCOMPLETE: see the problems above.");
	mc_report_free(rep);
	return st == MC_OK ? rc : (rc == EXIT_OK ? EXIT_INVALID : rc);
}

int cmd_canon(int argc, char **argv)
{
	cli_args a;
	if (cli_parse(&a, argc, argv, no_opts, no_opts) || a.npos != 1)
		return cli_usage("mcred canon FILE");
	size_t len, olen;
	char *in = cli_read(a.pos[0], &len);
	if (!in)
		return EXIT_INPUT;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = mc_jcs(in, len, &out, &olen, &err);
	free(in);
	if (st != MC_OK) {
		cli_error(a.pos[0], st, &err);
		return cli_exit_for(st);
	}
	int rc = fwrite(out, 1, olen, stdout) == olen ? EXIT_OK : EXIT_SYSTEM;
	mc_free(out);
	return rc;
}

int cmd_rdfc(int argc, char **argv)
{
	static const char *const fo[] = {"expand", "safe", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, no_opts, fo) || a.npos != 1)
		return cli_usage("mcred rdfc FILE [--safe] [--expand]");
	size_t len;
	char *in = cli_read(a.pos[0], &len);
	if (!in)
		return EXIT_INPUT;
	mc_jsonld_loader *l = NULL;
	mc_err err = {0};
	mc_status st = mc_jsonld_loader_new(NULL, NULL, &l, &err);
	mc_jsonld_opts o = {0};
	o.safe = cli_flag(&a, "safe");
	char *out = NULL;
	size_t olen = 0;
	if (st == MC_OK && cli_flag(&a, "expand")) {
		st = mc_jsonld_expand(in, len, l, &o, &out, &olen, &err);
	} else if (st == MC_OK) {
		mc_rdf_dataset *ds = NULL;
		st = mc_jsonld_to_rdf(in, len, l, &o, &ds, &err);
		if (st == MC_OK)
			st = mc_rdfc_canonicalize(ds, NULL, &out, &olen, &err);
		mc_rdf_dataset_free(ds);
	}
	mc_jsonld_loader_free(l);
	free(in);
	if (st != MC_OK) {
		cli_error(a.pos[0], st, &err);
		return cli_exit_for(st);
	}
	int rc = fwrite(out, 1, olen, stdout) == olen ? EXIT_OK : EXIT_SYSTEM;
	mc_free(out);
	return rc;
}

int cmd_context(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs(mc_context_document(), stdout);
	return EXIT_OK;
}
