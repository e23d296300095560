/*
 * cmd_token.c - `mcred token add|list|revoke`: manage the API tokens
 * `mcred serve` accepts (include/mcred/auth.h). The token file is found
 * like the server finds it: --tokens FILE, else $MCRED_TOKENS, else
 * "<store path>.tokens" for --store / $MCRED_STORE / ./mcred.db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "srv.h"

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i + 1 < argc; i++)
		if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0)
			return argv[i + 1];
	return NULL;
}

/* Every argument must be one of the known value options. */
static int check_args(int argc, char **argv, const char *const *known, int npos, const char **pos)
{
	int got = 0;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (got >= npos) {
				fprintf(stderr, "mcred token: unexpected argument '%s'\n", argv[i]);
				return -1;
			}
			pos[got++] = argv[i];
			continue;
		}
		int ok = 0;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(argv[i] + 2, *k) == 0;
		if (!ok || i + 1 >= argc) {
			fprintf(stderr, "mcred token: %s option %s\n", ok ? "missing value for" : "unknown", argv[i]);
			return -1;
		}
		i++;
	}
	if (got != npos) {
		fprintf(stderr, "mcred token: missing argument\n");
		return -1;
	}
	return 0;
}

static int tokens_path(int argc, char **argv, char *out, size_t cap)
{
	const char *t = opt(argc, argv, "tokens");
	if (!t)
		t = getenv("MCRED_TOKENS");
	if (t) {
		if (snprintf(out, cap, "%s", t) >= (int)cap)
			return -1;
		return 0;
	}
	const char *store = opt(argc, argv, "store");
	if (!store)
		store = getenv("MCRED_STORE");
	return srv_default_tokens_path(store ? store : "mcred.db", out, cap);
}

static int load(int argc, char **argv, char *path, size_t cap, mc_tokens **t)
{
	mc_err e = {0};
	if (tokens_path(argc, argv, path, cap) != 0) {
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
	static const char *const known[] = {"name", "role", "tokens", "store", NULL};
	if (check_args(argc, argv, known, 0, NULL) != 0 || !opt(argc, argv, "name") || !opt(argc, argv, "role")) {
		fprintf(stderr, "usage: mcred token add --name NAME --role admin|issuer|reader [--tokens FILE] [--store URL]\n");
		return 2;
	}
	mc_role role;
	if (mc_role_parse(opt(argc, argv, "role"), &role) != MC_OK) {
		fprintf(stderr, "mcred token add: --role is admin, issuer or reader\n");
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(argc, argv, path, sizeof path, &t);
	if (rc)
		return rc;
	char tok[MC_TOKEN_CHARS + 1];
	mc_err e = {0};
	mc_status st = mc_tokens_add(t, opt(argc, argv, "name"), role, srv_now(), tok, &e);
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
	        opt(argc, argv, "name"), mc_role_name(role), path);
	return 0;
}

int mc_token_cmd_list(int argc, char **argv)
{
	static const char *const known[] = {"tokens", "store", NULL};
	if (check_args(argc, argv, known, 0, NULL) != 0) {
		fprintf(stderr, "usage: mcred token list [--tokens FILE] [--store URL]\n");
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(argc, argv, path, sizeof path, &t);
	if (rc)
		return rc;
	for (size_t i = 0; i < mc_tokens_count(t); i++) {
		mc_token_info info;
		if (mc_tokens_get(t, i, &info) == MC_OK)
			printf("%s\t%s\t%lld\n", info.name, mc_role_name(info.role), (long long)info.created);
	}
	mc_tokens_free(t);
	return 0;
}

int mc_token_cmd_revoke(int argc, char **argv)
{
	static const char *const known[] = {"tokens", "store", NULL};
	const char *name = NULL;
	if (check_args(argc, argv, known, 1, &name) != 0) {
		fprintf(stderr, "usage: mcred token revoke NAME [--tokens FILE] [--store URL]\n");
		return 2;
	}
	char path[4096];
	mc_tokens *t = NULL;
	int rc = load(argc, argv, path, sizeof path, &t);
	if (rc)
		return rc;
	mc_err e = {0};
	mc_status st = mc_tokens_revoke(t, name, &e);
	if (st == MC_OK)
		st = mc_tokens_save(t, path, &e);
	mc_tokens_free(t);
	if (st != MC_OK) {
		fprintf(stderr, "mcred token revoke: %s\n", e.msg);
		return st == MC_ERR_MISSING ? 3 : 4;
	}
	printf("token '%s' revoked\n", name);
	return 0;
}
