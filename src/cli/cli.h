/*
 * cli.h - the mcred command-line tool: a table of small commands on top of
 * the public libmcred API (this folder sees include/ only). Only the CLI
 * prints and exits.
 */
#ifndef MC_CLI_H
#define MC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "mcred/mcred.h"

/* Exit codes, documented in `mcred help` and docs/cli.md. */
enum {
	EXIT_OK = 0,        /* success; for verify/validate: the credential is valid */
	EXIT_INVALID = 1,   /* verify/validate: the credential is not valid */
	EXIT_USAGE = 2,     /* bad command line */
	EXIT_INPUT = 3,     /* an input file is unreadable, malformed or rejected; wrong passphrase */
	EXIT_SYSTEM = 4     /* out of memory, I/O error writing output, internal error */
};

typedef struct cli_cmd {
	const char *name;    /* "key new" */
	int (*run)(int argc, char **argv);
	const char *usage;   /* one line of synopsis */
	const char *help;    /* the rest of the help text */
} cli_cmd;

/* Option parsing: argv[0] is the first argument after the command words.
 * Options are "--name value" or "--flag"; the rest are positional. */
typedef struct cli_args {
	int argc;
	char **argv;
	const char *pos[8];
	int npos;
} cli_args;

/* Parse against a list of value options and flag options (NULL-terminated).
 * Prints an error and returns -1 on an unknown option. */
int cli_parse(cli_args *a, int argc, char **argv, const char *const *value_opts, const char *const *flag_opts);
const char *cli_opt(const cli_args *a, const char *name);
int cli_flag(const cli_args *a, const char *name);

/* Read a whole file ("-" = stdin) up to MC_JSON_MAX_BYTES. Prints the reason
 * and returns NULL on failure. */
char *cli_read(const char *path, size_t *len);
/* Write data to path ("-" or NULL = stdout), atomically for files
 * (temp + rename). mode 0600 when private. Returns 0 or prints and -1. */
int cli_write(const char *path, const char *data, size_t len, int private_file);
/* Passphrase from --passphrase-file or $MCRED_PASSPHRASE. Returns 0 or -1. */
int cli_passphrase(const cli_args *a, char *buf, size_t cap, size_t *len);
/* Load a signing key file (prints errors). Returns an EXIT_* code. */
int cli_load_key(const cli_args *a, const char *path, mc_keypair *kp);
/* Print "mcred: <what>: <status text> at <path>: <msg>" to stderr. */
void cli_error(const char *what, mc_status st, const mc_err *err);
int cli_exit_for(mc_status st);
/* Print "usage: USAGE" to stderr; returns EXIT_USAGE. */
int cli_usage(const char *usage);
/* `mcred token add|list|revoke` (cmd_token.c) */
int mc_token_cmd_add(int argc, char **argv);
int mc_token_cmd_list(int argc, char **argv);
int mc_token_cmd_revoke(int argc, char **argv);
/* Report a failed library call (cli_error) and return its exit code. */
int cli_fail(const char *what, mc_status st, const mc_err *err);
/* The store every store command uses: --store URL, else $MCRED_STORE,
 * else ./mcred.db. */
const char *cli_store_url(const cli_args *a);
/* Open it (errors printed); EXIT_OK or the exit code. */
int cli_store_open(const cli_args *a, mc_store **s);

int cmd_key_new(int argc, char **argv);
int cmd_key_import(int argc, char **argv);
int cmd_key_show(int argc, char **argv);
int cmd_key_export(int argc, char **argv);
int cmd_did_web(int argc, char **argv);
int cmd_did_resolve(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_canon(int argc, char **argv);
int cmd_context(int argc, char **argv);
int cmd_rdfc(int argc, char **argv);

/* Print a verification report (plain or --json) and return EXIT_OK when
 * it has no failure (cmds.c). */
int cli_print_report(const mc_report *rep, int json, const char *verdict_ok, const char *verdict_bad);
/* Load every --status-list FILE of a into *out, verified with vo (cmds.c). */
int cli_load_status_lists(const cli_args *a, const mc_verify_opts *vo, mc_status_lists **out);
/* Load a register file (cmd_trust.c): a published (signed) register, whose
 * proof must verify and whose publisher must be issuer when given, or the
 * plain JSON or CSV form (.csv). Prints errors; returns an EXIT_* code. */
int cli_load_register(const char *path, const char *issuer, const char *dids, size_t dids_len, mc_register *reg);

/* cmd_trust.c: register, pathways, recognition, catalogue (docs/trust.md) */
int cmd_register_import(int argc, char **argv);
int cmd_register_export(int argc, char **argv);
int cmd_register_publish(int argc, char **argv);
int cmd_register_check(int argc, char **argv);
int cmd_pathway_check(int argc, char **argv);
int cmd_recognise(int argc, char **argv);
int cmd_pathway_issue(int argc, char **argv);
/* Open the issuer service for --issuer (or the store's only issuer) with
 * --passphrase-file / $MCRED_PASSPHRASE and --suite; prints errors and
 * returns an EXIT_* code (cmd_store.c). */
int cli_issuer_open(const cli_args *a, mc_store *s, const char *issuer_id, mc_issuer **is);
int cmd_catalogue_add(int argc, char **argv);
int cmd_catalogue_import(int argc, char **argv);
int cmd_catalogue_search(int argc, char **argv);

/* cmd_store.c: commands on a store (docs/issuing.md) */
int cmd_issue_any(int argc, char **argv);
int cmd_store_init(int argc, char **argv);
int cmd_store_issuer_add(int argc, char **argv);
int cmd_store_key_rotate(int argc, char **argv);
int cmd_store_template_add(int argc, char **argv);
int cmd_store_template_publish(int argc, char **argv);
int cmd_store_issue(int argc, char **argv);
int cmd_store_bulk(int argc, char **argv);
int cmd_store_revoke(int argc, char **argv);
int cmd_store_suspend(int argc, char **argv);
int cmd_store_reinstate(int argc, char **argv);
int cmd_store_reissue(int argc, char **argv);
int cmd_store_learner_export(int argc, char **argv);
int cmd_store_learner_erase(int argc, char **argv);
int cmd_store_status_list_show(int argc, char **argv);
int cmd_store_status_list_publish(int argc, char **argv);
/* Add the status list credentials store_url publishes for the entries of
 * credential cred to *lists (created if NULL), verified with vo. Prints
 * errors; returns an EXIT_* code. */
int cli_store_status_lists(const char *store_url, const char *cred, size_t len, const mc_verify_opts *vo,
                           mc_status_lists **lists);

/* cmd_qa.c: quality assurance (docs/qa.md); each dispatches its subcommands */
int cmd_qa(int argc, char **argv);
int cmd_feedback(int argc, char **argv);
int cmd_outcome(int argc, char **argv);
int cmd_maturity(int argc, char **argv);

#endif
