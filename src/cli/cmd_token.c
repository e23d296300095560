/*
 * cmd_token.c - `mcred token add|list|revoke`: manage the API tokens
 * `mcred serve` accepts (include/mcred/auth.h). The token file is found
 * like the server finds it: --tokens FILE, else $MCRED_TOKENS, else
 * "<store path>.tokens" for --store / $MCRED_STORE / ./mcred.db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mcred/auth.h"
#include "cli.h"
#include "../server/serve.h"

static const char *const token_opts[] = {"name", "role", "qa-role", "tokens", "store", NULL}, *const no_flags[] = {NULL};

static int tokens_path(const cli_args *a, char *out, size_t cap)
{
	const char *t = cli_opt(a, "tokens");
	if (!t)
		t = getenv("MCRED_TOKENS");
	if (t)
		return snprintf(out, cap, "%s", t) < (int)cap ? 0 : -1;
	return mc_serve_tokens_path(cli_store_url(a), out, cap);
}

static int load(const cli_args *a, char *path, size_t cap, mc_tokens **t)
{
	mc_err e = {0};
	if (tokens_path(a, path, cap) != 0) {
		fprintf(stderr, "mcred token: token file path too long\n");
		return 2;
	}
	if (mc_tokens_load(path, t, &e) != MC_OK) {
		fprintf(stderr, "mcred token: %s: %s%s%s\n", path, e.msg, e.path[0] ? " at " : "", e.path);
		return 3;
	}
	return 0;
}

int mc_token_cmd_add(int argc, char **argv)
{
	cli_args a;
	if (cli_parse(&a, argc, argv, token_opts, no_flags) || a.npos || !cli_opt(&a, "name") || !cli_opt(&a, "role")) {
		fprintf(stderr, "usage: mcred token add --name NAME --role admin|issuer|reader [--qa-role proposer,reviewer,qa-officer] "
		                "[--tokens FILE] [--store URL]\n");
		return 2;
	}
	mc_role role;
	if (mc_role_parse(cli_opt(&a, "role"), &role) != MC_OK) {
		fprintf(stderr, "mcred token add: --role is admin, issuer or reader\n");
		return 2;
	}
	unsigned qa = 0;
	mc_err qe = {0};
	if (cli_opt(&a, "qa-role") && mc_token_qa_roles_parse(cli_opt(&a, "qa-role"), &qa, &qe) != MC_OK) {
		fprintf(stderr, "mcred token add: --qa-role: %s\n", qe.msg);
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(&a, path, sizeof path, &t);
	if (rc)
		return rc;
	char tok[MC_TOKEN_CHARS + 1];
	mc_err e = {0};
	mc_status st = mc_tokens_add_qa(t, cli_opt(&a, "name"), role, qa, (int64_t)time(NULL), tok, &e);
	if (st == MC_OK)
		st = mc_tokens_save(t, path, &e);
	mc_tokens_free(t);
	if (st != MC_OK) {
		fprintf(stderr, "mcred token add: %s%s%s\n", e.msg, e.path[0] ? " at " : "", e.path);
		sodium_memzero(tok, sizeof tok);
		return st == MC_ERR_IO ? 4 : 3;
	}
	/* the only time the token exists in clear */
	printf("%s\n", tok);
	fflush(stdout);
	sodium_memzero(tok, sizeof tok);
	fprintf(stderr, "mcred token add: token '%s' (%s) saved to %s; keep the printed token secret, it is not "
	                "stored\n",
	        cli_opt(&a, "name"), mc_role_name(role), path);
	return 0;
}

int mc_token_cmd_list(int argc, char **argv)
{
	cli_args a;
	if (cli_parse(&a, argc, argv, token_opts, no_flags) || a.npos || cli_opt(&a, "name") || cli_opt(&a, "role") || cli_opt(&a, "qa-role")) {
		fprintf(stderr, "usage: mcred token list [--tokens FILE] [--store URL]\n");
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(&a, path, sizeof path, &t);
	if (rc)
		return rc;
	for (size_t i = 0; i < mc_tokens_count(t); i++) {
		mc_token_info info;
		if (mc_tokens_get(t, i, &info) == MC_OK) {
			char qa[96];
			mc_token_qa_roles_format(info.qa_roles, qa, sizeof qa);
			printf("%s\t%s\t%lld%s%s\n", info.name, mc_role_name(info.role), (long long)info.created,
			       qa[0] ? "\tqa=" : "", qa);
		}
	}
	mc_tokens_free(t);
	return 0;
}

int mc_token_cmd_revoke(int argc, char **argv)
{
	cli_args a;
	if (cli_parse(&a, argc, argv, token_opts, no_flags) || a.npos != 1 || cli_opt(&a, "name") || cli_opt(&a, "role")) {
		fprintf(stderr, "usage: mcred token revoke NAME [--tokens FILE] [--store URL]\n");
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(&a, path, sizeof path, &t);
	if (rc)
		return rc;
	mc_err e = {0};
	mc_status st = mc_tokens_revoke(t, a.pos[0], &e);
	if (st == MC_OK)
		st = mc_tokens_save(t, path, &e);
	mc_tokens_free(t);
	if (st != MC_OK) {
		fprintf(stderr, "mcred token revoke: %s\n", e.msg);
		return st == MC_ERR_MISSING ? 3 : 4;
	}
	printf("token '%s' revoked\n", a.pos[0]);
	return 0;
}
