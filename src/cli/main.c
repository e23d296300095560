/*
 * main.c - mcred's command table, help, and the small helpers every command
 * shares (argument parsing, bounded file reading, atomic writes, passphrase).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../server/serve.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const cli_cmd commands[] = {
	{"key new", cmd_key_new, "mcred key new --out KEY.json [--alg ed25519|p256] [--fast-kdf] [--force]",
	 "Create a signing key (Ed25519 by default; --alg p256 for an ECDSA P-256 key, which signs with\n"
	 "ecdsa-rdfc-2019) and store it encrypted (Argon2id + XChaCha20-Poly1305)\n"
	 "with the passphrase from $MCRED_PASSPHRASE or --passphrase-file FILE.\n"
	 "Prints the public key and its did:key. --fast-kdf uses minimal Argon2id limits (tests only)."},
	{"key import", cmd_key_import,
	 "mcred key import (--seed-multibase zSECRET | --seed-hex HEX) --out KEY.json [--fast-kdf] [--force]",
	 "Import an existing Ed25519 private key (a W3C Multikey secret 'z3u2...' or a 32-byte hex seed)\n"
	 "into an encrypted key file."},
	{"key show", cmd_key_show, "mcred key show KEY.json [--json]",
	 "Print the public key (Multikey), did:key and verification method of a key file.\n"
	 "Needs no passphrase; never prints secrets."},
	{"key export", cmd_key_export, "mcred key export KEY.json --secret",
	 "Print the private key as a W3C Multikey secret ('z3u2...'). Requires --secret and the passphrase.\n"
	 "Anyone holding the output can issue credentials in your name."},
	{"did web", cmd_did_web, "mcred did web KEY.json --domain DOMAIN [--out did.json]",
	 "Write the did:web DID document for DOMAIN (e.g. uni.example or uni.example:issuers:1)\n"
	 "listing the key; publish it at https://DOMAIN/.well-known/did.json."},
	{"did resolve", cmd_did_resolve, "mcred did resolve did:key:z6Mk...",
	 "Resolve a did:key offline and print its DID document."},
	{"issue", cmd_issue_any,
	 "mcred issue --achievement A.json --issuer I.json --learner L.json --key KEY.json [--out C.json]\n"
	 "            [--suite S] [--created T] [--valid-from T] [--id URN] [--unsigned]",
	 "Build an EU micro-credential (Open Badges 3.0 / VC 2.0) from a template, an issuer profile\n"
	 "and a learner record, validate every EU element, and sign it with eddsa-rdfc-2022 (what Open\n"
	 "Badges 3.0 verifiers expect; ecdsa-rdfc-2019 for a P-256 key). --suite eddsa-jcs-2022 signs the\n"
	 "JSON text instead (faster, but fewer verifiers support it).\n"
	 "The issuer is the issuer file's \"id\" (e.g. did:web:uni.example, signed as <id>#key-1) or else\n"
	 "the key's did:key. --verification-method overrides the method id.\n"
	 "Formats of the three inputs: docs/model.md. --unsigned writes the credential without proof.\n"
	 "With --template ID [--store URL] --learner L.json [--issuer ID] it issues from a store instead:\n"
	 "the template's latest published version, the issuer and active key from the store, a revocation\n"
	 "status entry, archived with an audit entry (docs/issuing.md)."},
	{"sign", cmd_sign, "mcred sign DOC.json --key KEY.json [--suite S] [--created T] [--out OUT.json]",
	 "Add a Data Integrity proof to a credential (no EU checks). --suite eddsa-rdfc-2022 (default for\n"
	 "Ed25519 keys; the document must be JSON-LD whose every term its contexts define), eddsa-jcs-2022\n"
	 "(any JSON) or ecdsa-rdfc-2019 (P-256 keys, their default)."},
	{"verify", cmd_verify, "mcred verify FILE [--json] [--proof-only] [--now T] [--did-document DID.json] [--status-list L.json] [--store URL]\n"
	 "             [--register REGISTER.json [--register-issuer DID] [--require-registered]]",
	 "Verify a credential and print each check in plain words: json, structure, eu-elements,\n"
	 "proof, signature, issuer-key, dates, status. --proof-only checks the proof alone.\n"
	 "Accepts eddsa-rdfc-2022, eddsa-jcs-2022 and ecdsa-rdfc-2019 proofs, and proof sets.\n"
	 "did:key issuers resolve offline; for did:web issuers pass their DID document (or a JSON array\n"
	 "of documents) with --did-document: mcred never fetches keys from the network.\n"
	 "--status-list LIST.json (repeatable) checks revocation/suspension against the issuer's signed\n"
	 "Bitstring Status List credentials; without it a status entry is reported as not checked.\n"
	 "--store URL checks them against the signed lists a store publishes (mcred status-list show).\n"
	 "--now T checks dates against T instead of the clock. Exit 0 valid, 1 not valid.\n"
	 "--register FILE adds a separate 'register' line: is the issuer a registered provider with valid\n"
	 "ESG-aligned QA on the issue date (a published register must verify; --register-issuer names its\n"
	 "publisher). Not registered is a warning, a failure with --require-registered."},
	{"validate", cmd_validate, "mcred validate FILE [--json]",
	 "Check that a credential carries every mandatory EU micro-credential element with valid values\n"
	 "(Council Recommendation 2022, Annex I). Lists every problem by JSON path. Exit 0 complete, 1 not."},
	{"canon", cmd_canon, "mcred canon FILE", "Print the RFC 8785 (JCS) canonical form of a JSON file."},
	{"rdfc", cmd_rdfc, "mcred rdfc FILE [--safe] [--expand]",
	 "Convert a JSON-LD document (a credential) to RDF with the bundled contexts, offline, and print its\n"
	 "RDFC-1.0 canonical N-Quads (what eddsa-rdfc-2022 signs). --safe refuses undefined terms instead of\n"
	 "dropping them; --expand prints the expanded JSON-LD instead."},
	{"context", cmd_context, "mcred context", "Print the mcred JSON-LD context document (" MC_CONTEXT_URL ")."},
	{"init", cmd_store_init, "mcred init [--store URL]",
	 "Create (or migrate) a store: a SQLite file (default ./mcred.db, or $MCRED_STORE) or a\n"
	 "postgresql://... URL. Every store command takes --store URL (default $MCRED_STORE, else ./mcred.db)."},
	{"issuer add", cmd_store_issuer_add, "mcred issuer add [--store URL] --issuer I.json --key KEY.json [--key-id VM]",
	 "Register an issuer profile (docs/model.md format) and its signing key (the encrypted key file is\n"
	 "stored; the passphrase is checked). Adding an existing issuer updates its profile."},
	{"key rotate", cmd_store_key_rotate, "mcred key rotate [--store URL] --issuer ID --key NEW.json [--key-id VM]",
	 "Make NEW.json the issuer's active key; the previous key is retired but keeps verifying."},
	{"template add", cmd_store_template_add, "mcred template add [--store URL] --achievement A.json [--id ID] [--publish]",
	 "Save an achievement template (docs/model.md) under ID (default: its \"id\"). Saving over a published\n"
	 "version creates the next version as a draft. --publish publishes it at once."},
	{"template publish", cmd_store_template_publish, "mcred template publish [--store URL] ID [--version N]",
	 "Publish a template version (default the latest): credentials are issued from published versions."},
	{"bulk", cmd_store_bulk,
	 "mcred bulk [--store URL] FILE.csv|FILE.jsonl [--format csv|jsonl] [--template ID] [--issuer ID]\n"
	 "           [--suite S] [--batch N] [--threads N] [--all-or-nothing] [--ignore-unknown]",
	 "Issue one credential per row of a CSV or JSON Lines export (columns: docs/bulk.md), streaming,\n"
	 "in transactions of --batch rows (default 1000). Idempotent: rows already issued (same template,\n"
	 "learner and external id) are skipped before signing, so re-running a file issues nothing twice.\n"
	 "Bad rows are reported as 'row N: field: message' and the valid rows are still issued (exit 3);\n"
	 "--all-or-nothing issues nothing if any row is bad. --threads N signs on N threads (default:\n"
	 "one per processor)."},
	{"revoke", cmd_store_revoke, "mcred revoke [--store URL] CREDENTIAL_ID --reason TEXT [--issuer ID]",
	 "Revoke a credential (final): sets its revocation status bit and re-signs the status list\n"
	 "credential (the issuer's key: the passphrase is needed); the reason goes to the audit log."},
	{"suspend", cmd_store_suspend, "mcred suspend [--store URL] CREDENTIAL_ID --reason TEXT [--issuer ID]",
	 "Suspend a credential (reversible with reinstate)."},
	{"reinstate", cmd_store_reinstate, "mcred reinstate [--store URL] CREDENTIAL_ID --reason TEXT [--issuer ID]",
	 "Lift a suspension."},
	{"reissue", cmd_store_reissue,
	 "mcred reissue [--store URL] CREDENTIAL_ID [--learner CORRECTED.json] [--suite S] [--out C.json]",
	 "Issue the credential again from the same template version with a new id, status entry and proof\n"
	 "by the issuer's current key, from the stored learner record or CORRECTED.json; the new one records\n"
	 "the one it replaces, which is revoked ('superseded by <new id>')."},
	{"status-list show", cmd_store_status_list_show, "mcred status-list show [--store URL] LIST_ID [--out FILE]",
	 "Print the signed BitstringStatusListCredential the store publishes for LIST_ID (the URL in the\n"
	 "credentials' statusListCredential); re-signed whenever a credential on it is revoked. The ETag\n"
	 "goes to stderr."},
	{"status-list publish", cmd_store_status_list_publish,
	 "mcred status-list publish [--store URL] LIST_ID [--issuer ID]",
	 "Sign LIST_ID's status list credential again now with the issuer's active key (after a key\n"
	 "rotation, or for a list stored before schema 3)."},
	{"learner export", cmd_store_learner_export, "mcred learner export [--store URL] LEARNER_ID [--out FILE]",
	 "Print everything the store holds about a learner as JSON (GDPR access)."},
	{"learner erase", cmd_store_learner_erase, "mcred learner erase [--store URL] LEARNER_ID",
	 "Erase a learner's personal data (records and credentials); ids, status and audit stay."},
	{"qa", cmd_qa, "mcred qa config|submit|review|publish|modify|retire|overdue|show|page ...",
	 "Quality assurance of a specification (docs/qa.md): submit with formal checks, the approval chain,\n"
	 "publication, periodic review, modification, retirement; the public QA page. Run 'mcred qa' for usage."},
	{"feedback", cmd_feedback, "mcred feedback questionnaire|respond|pending|aggregate|export ...",
	 "Learner, employer and peer feedback: questionnaires, responses, anonymous aggregates, CSV export."},
	{"outcome", cmd_outcome, "mcred outcome recognition|employment|show ...",
	 "Outcome signals: recognition decisions by other institutions, employment follow-ups."},
	{"maturity", cmd_maturity, "mcred maturity model|new|score|stage|action|show|propose|compare|canvas ...",
	 "EDEH maturity self-assessment workshop and its boardroom canvas (SVG, printable HTML)."},
	{"register import", cmd_register_import, "mcred register import [--store URL] REGISTER.json|REGISTER.csv [--actor NAME]",
	 "Insert or replace (by id) the providers, QA agencies and external QA results of a register file (JSON,\n"
	 "CSV or a published register) in the store; strict: any bad row or field rejects the whole file\n"
	 "(errors name rows[N].column or the JSON path). Formats: docs/trust.md."},
	{"register export", cmd_register_export, "mcred register export [--store URL] [--format json|csv] [--out FILE]",
	 "Write the store's register as JSON (default) or CSV."},
	{"register publish", cmd_register_publish,
	 "mcred register publish [--store URL | --register FILE] --key KEY.json [--issuer DID] [--id IRI] [--out FILE]",
	 "Sign the register (eddsa-jcs-2022) as a Verifiable Credential a verifier can trust offline\n"
	 "(mcred verify --register FILE --register-issuer DID)."},
	{"register check", cmd_register_check,
	 "mcred register check [--store URL | --register FILE] (--issuer ID [--date YYYY-MM-DD] [--field NNNN] | CRED.json)",
	 "Is the issuer a registered provider with a valid ESG-aligned external QA result (positive, by an\n"
	 "EQAR-registered agency) on the date (default today; for a credential its issue date)? Prints PASS,\n"
	 "WARN (registered, QA not ESG-aligned) or FAIL with the reason. Exit 0 pass/warn, 1 fail."},
	{"pathway check", cmd_pathway_check,
	 "mcred pathway check PATHWAY.json CRED.json... [--json] [--now T] [--did-document D] [--status-list L]",
	 "Verify each credential once and evaluate a stackability pathway (docs/trust.md): complete or not,\n"
	 "progress, and what is missing by rule path. Exit 0 complete, 1 not complete."},
	{"pathway issue", cmd_pathway_issue,
	 "mcred pathway issue PATHWAY.json CRED.json... --template ID --learner L.json [--store URL] [--issuer ID]\n"
	 "            [--passphrase-file F] [--out FILE] [--now T] [--did-document D] [--status-list L]",
	 "When the credentials complete the pathway (each verified first), issue the template's credential\n"
	 "(the larger, stacked one) to the learner from the store's issuer; its subject lists the parts that\n"
	 "counted (hasPart: id + digestSRI). Every part must be the learner's. Idempotent per pathway."},
	{"recognise", cmd_recognise,
	 "mcred recognise --policy POLICY.json CRED.json [--register FILE | --store URL] [--record] [--actor NAME] [--json]\n"
	 "            [--issue TEMPLATE [--issuer ID] [--passphrase-file F] [--credential-out FILE]]",
	 "Apply a recognition policy to a presented credential: RECOGNISED automatically (N ECTS towards X) or\n"
	 "REFERRED to a person, with every condition met or not. --record stores the decision and an audit\n"
	 "entry. The register comes from --register or the store. --issue issues a recognised decision as a\n"
	 "credential of the store's issuer from that published template (subject: recognition, with reasons).\n"
	 "Exit 0 recognised, 1 referred."},
	{"catalogue add", cmd_catalogue_add,
	 "mcred catalogue add [--store URL] (OFFER.json | --template ID [--version N] --details D.json)",
	 "Add or replace an offer: an offer file, or one built from a published template plus details\n"
	 "(schedule, language, mode, place, price, enrolment link)."},
	{"catalogue import", cmd_catalogue_import, "mcred catalogue import [--store URL] FEED.json",
	 "Import another provider's catalogue feed {\"provider\", \"offers\": [...]}; a malformed feed is\n"
	 "rejected whole, naming the field."},
	{"catalogue search", cmd_catalogue_search,
	 "mcred catalogue search [--store URL] [WORDS...] [--ects-min X] [--ects-max Y] [--eqf N] [--field NNNN]\n"
	 "                       [--country CC] [--language LL] [--mode M] [--provider ID] [--limit N] [--json]",
	 "Full-text search over titles, descriptions and learning outcomes with facet filters, best match first."},
	{"serve", mc_serve_main, "mcred serve [--store URL] [--port N] [--config FILE] [--OPTION VALUE ...]",
	 "Run the HTTP API, the verifier and the web portal (docs/server.md, docs/api.md) until SIGTERM/SIGINT.\n"
	 "Starts on the SQLite store ./mcred.db with no other setup. Options (also MCRED_<OPTION> and a config\n"
	 "file of 'key = value' lines): store, tokens, bind, port, port-file, public-url, issuer,\n"
	 "passphrase-file, threads, rate-limit, rate-burst, access-log, secure-cookie. The issuer key is\n"
	 "unlocked at start from $MCRED_PASSPHRASE or --passphrase-file; without it only public endpoints work."},
	{"token add", mc_token_cmd_add, "mcred token add --name NAME --role admin|issuer|reader [--tokens FILE] [--store URL]",
	 "Create an API token for mcred serve, print it once, and store only its SHA-256 in the token file\n"
	 "(default <store path>.tokens, mode 0600). Roles: admin (everything), issuer (issue, bulk, status,\n"
	 "templates), reader (read the issuer API)."},
	{"token list", mc_token_cmd_list, "mcred token list [--tokens FILE] [--store URL]",
	 "List token names, roles and creation times (never the tokens)."},
	{"token revoke", mc_token_cmd_revoke, "mcred token revoke NAME [--tokens FILE] [--store URL]",
	 "Delete a token; a running server refuses it from its next request."},
	{"help", cmd_help, "mcred help [COMMAND]", "Show help for all commands or one."},
	{"version", cmd_version, "mcred version", "Print the version."},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void usage_all(FILE *f)
{
	fprintf(f, "mcred %s - issue, hold and verify EU micro-credentials\n\nCommands:\n", MC_VERSION);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nExit codes: 0 success/valid, 1 credential not valid, 2 usage error,\n"
	           "            3 input rejected (unreadable, malformed, wrong passphrase), 4 system error.\n"
	           "Run 'mcred help COMMAND' for details.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		usage_all(stdout);
		return EXIT_OK;
	}
	char name[64];
	snprintf(name, sizeof name, "%s%s%s", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0 || strcmp(commands[i].name, argv[0]) == 0) {
			printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
			return EXIT_OK;
		}
	}
	/* a group name: show its commands */
	int found = 0;
	size_t n = strlen(argv[0]);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strncmp(commands[i].name, argv[0], n) == 0 && commands[i].name[n] == ' ') {
			printf("usage: %s\n\n%s\n\n", commands[i].usage, commands[i].help);
			found = 1;
		}
	if (found)
		return EXIT_OK;
	fprintf(stderr, "mcred: no command '%s'\n", name);
	return EXIT_USAGE;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("mcred %s\n", MC_VERSION);
	return EXIT_OK;
}

int cli_parse(cli_args *a, int argc, char **argv, const char *const *value_opts, const char *const *flag_opts)
{
	memset(a, 0, sizeof *a);
	a->argc = argc;
	a->argv = argv;
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];
		if (strncmp(s, "--", 2) != 0 || strcmp(s, "-") == 0) {
			if (a->npos >= (int)(sizeof a->pos / sizeof *a->pos)) {
				fprintf(stderr, "mcred: too many arguments\n");
				return -1;
			}
			a->pos[a->npos++] = s;
			continue;
		}
		int known = 0;
		for (const char *const *v = value_opts; v && *v && !known; v++)
			if (strcmp(s + 2, *v) == 0) {
				if (i + 1 >= argc) {
					fprintf(stderr, "mcred: option %s needs a value\n", s);
					return -1;
				}
				known = 1;
				i++;
			}
		for (const char *const *f = flag_opts; f && *f && !known; f++)
			if (strcmp(s + 2, *f) == 0)
				known = 1;
		if (!known) {
			fprintf(stderr, "mcred: unknown option %s\n", s);
			return -1;
		}
	}
	return 0;
}

const char *cli_opt(const cli_args *a, const char *name)
{
	const char *found = NULL;
	for (int i = 0; i + 1 < a->argc; i++)
		if (strncmp(a->argv[i], "--", 2) == 0 && strcmp(a->argv[i] + 2, name) == 0)
			found = a->argv[++i];
	return found;
}

int cli_flag(const cli_args *a, const char *name)
{
	for (int i = 0; i < a->argc; i++)
		if (strncmp(a->argv[i], "--", 2) == 0 && strcmp(a->argv[i] + 2, name) == 0)
			return 1;
	return 0;
}

char *cli_read(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mcred: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* read at most the limit + 1 byte so oversize input is detected without
	 * reading it all */
	size_t cap = 65536, n = 0, max = (size_t)MC_JSON_MAX_BYTES + 1;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			size_t nc = cap * 2 > max ? max : cap * 2;
			char *nb = nc > cap ? realloc(buf, nc + 1) : NULL;
			if (!nb)
				break;
			buf = nb;
			cap = nc;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0 || n >= max)
			break;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (!buf || bad) {
		fprintf(stderr, "mcred: cannot read %s\n", path);
		free(buf);
		return NULL;
	}
	if (n >= max) {
		fprintf(stderr, "mcred: %s is larger than the %u-byte limit\n", path, MC_JSON_MAX_BYTES);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int cli_write(const char *path, const char *data, size_t len, int private_file)
{
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
			fprintf(stderr, "mcred: cannot write to standard output\n");
			return -1;
		}
		return 0;
	}
	/* A regular file is replaced whole (temp file, fsync, rename), so a
	 * crash never leaves half a credential. Anything else that exists
	 * (/dev/null, a FIFO, a terminal) is written in place: renaming over
	 * it would replace the device node itself. */
	struct stat sb;
	int special = stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = special ? open(path, O_WRONLY | O_NOCTTY) : open(tmp, O_WRONLY | O_CREAT | O_EXCL, private_file ? 0600 : 0644);
	if (fd < 0) {
		fprintf(stderr, "mcred: cannot create %s: %s\n", special ? path : tmp, strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int ok = off == len && write(fd, "\n", 1) == 1 && (special || fsync(fd) == 0);
	ok = close(fd) == 0 && ok;
	if (special) {
		if (!ok)
			fprintf(stderr, "mcred: cannot write %s: %s\n", path, strerror(errno));
		return ok ? 0 : -1;
	}
	if (!ok || rename(tmp, path) != 0) {
		fprintf(stderr, "mcred: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int cli_passphrase(const cli_args *a, char *buf, size_t cap, size_t *len)
{
	const char *file = cli_opt(a, "passphrase-file");
	if (file) {
		FILE *f = fopen(file, "rb");
		if (!f) {
			fprintf(stderr, "mcred: cannot open passphrase file %s: %s\n", file, strerror(errno));
			return -1;
		}
		size_t n = fread(buf, 1, cap - 1, f);
		fclose(f);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		buf[n] = '\0';
		*len = n;
	} else {
		const char *env = getenv("MCRED_PASSPHRASE");
		if (!env) {
			fprintf(stderr, "mcred: no passphrase: set MCRED_PASSPHRASE or pass --passphrase-file FILE\n");
			return -1;
		}
		size_t n = strlen(env);
		if (n >= cap) {
			fprintf(stderr, "mcred: passphrase longer than %zu bytes\n", cap - 1);
			return -1;
		}
		memcpy(buf, env, n + 1);
		*len = n;
	}
	if (*len == 0) {
		fprintf(stderr, "mcred: the passphrase is empty\n");
		return -1;
	}
	return 0;
}

void cli_error(const char *what, mc_status st, const mc_err *err)
{
	if (err && err->status != MC_OK && err->msg[0])
		fprintf(stderr, "mcred: %s: %s%s%s\n", what, err->msg, err->path[0] ? " at " : "", err->path);
	else
		fprintf(stderr, "mcred: %s: %s\n", what, mc_strerror(st));
}

int cli_exit_for(mc_status st)
{
	switch (st) {
	case MC_OK: return EXIT_OK;
	case MC_ERR_NOMEM:
	case MC_ERR_CRYPTO:
	case MC_ERR_INTERNAL:
	case MC_ERR_IO: return EXIT_SYSTEM;
	case MC_ERR_INVALID: return EXIT_INVALID;
	default: return EXIT_INPUT;
	}
}

int cli_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

int cli_fail(const char *what, mc_status st, const mc_err *err)
{
	cli_error(what, st, err);
	return cli_exit_for(st);
}

const char *cli_store_url(const cli_args *a)
{
	const char *u = cli_opt(a, "store");
	if (!u || !*u)
		u = getenv("MCRED_STORE");
	return u && *u ? u : "mcred.db";
}

int cli_store_open(const cli_args *a, mc_store **s)
{
	mc_err err = {0};
	mc_status st = mc_store_open(cli_store_url(a), s, &err);
	return st == MC_OK ? EXIT_OK : cli_fail("store", st, &err);
}

int main(int argc, char **argv)
{
	if (mc_init() != MC_OK) {
		fprintf(stderr, "mcred: cannot initialise the crypto library\n");
		return EXIT_SYSTEM;
	}
	if (argc < 2) {
		usage_all(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	/* two-word commands first ("key new"), then one-word */
	for (int words = 2; words >= 1; words--) {
		if (argc < 1 + words)
			continue;
		char name[64];
		if (words == 2)
			snprintf(name, sizeof name, "%s %s", argv[1], argv[2]);
		else
			snprintf(name, sizeof name, "%s", argv[1]);
		for (size_t i = 0; i < NCOMMANDS; i++) {
			if (strcmp(commands[i].name, name) != 0)
				continue;
			char **rest = argv + 1 + words;
			int nrest = argc - 1 - words;
			for (int j = 0; j < nrest; j++)
				if (strcmp(rest[j], "--help") == 0 || strcmp(rest[j], "-h") == 0) {
					printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
					return EXIT_OK;
				}
			return commands[i].run(nrest, rest);
		}
	}
	fprintf(stderr, "mcred: unknown command '%s'. Run 'mcred help'.\n", argv[1]);
	return EXIT_USAGE;
}
