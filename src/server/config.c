/*
 * config.c - `mcred serve` settings from defaults, a config file
 * (key = value, # comments), MCRED_* environment variables and flags, in
 * that order (later wins). Every key has all three spellings:
 *   file key  port        env MCRED_PORT        flag --port
 * (dashes in flags and keys, underscores and upper case in the environment).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv.h"

typedef enum { K_STR, K_UINT, K_NUM, K_BOOL } kind;

typedef struct key {
	const char *name;
	kind k;
	size_t off, cap;
	const char *help;
} key;

#define S(f) offsetof(srv_config, f), sizeof(((srv_config *)0)->f)
static const key keys[] = {
	{"store", K_STR, S(store), "store URL (SQLite path or postgresql://...)"},
	{"tokens", K_STR, S(tokens), "API token file (default <store>.tokens)"},
	{"bind", K_STR, S(bind), "listen address (default 127.0.0.1)"},
	{"port", K_UINT, S(port), "TCP port (default 8080; 0 picks a free one)"},
	{"port-file", K_STR, S(port_file), "write the bound port to this file"},
	{"public-url", K_STR, S(public_url), "public base URL (default: the issuer's url)"},
	{"issuer", K_STR, S(issuer), "issuer id to act for (default: the store's only issuer)"},
	{"passphrase-file", K_STR, S(passphrase_file), "file holding the key passphrase (else $MCRED_PASSPHRASE)"},
	{"threads", K_UINT, S(threads), "worker threads (default 2; 0 = one thread per connection)"},
	{"rate-limit", K_NUM, S(rate), "requests per second per client IP (default 50; 0 = off)"},
	{"rate-burst", K_NUM, S(burst), "burst size of the rate limit (default 100)"},
	{"access-log", K_BOOL, S(access_log), "JSON access log on stderr (default on)"},
	{"secure-cookie", K_BOOL, S(secure_cookie), "mark the session cookie Secure (default on unless public-url is http)"},
};
#undef S
#define NKEYS (sizeof keys / sizeof *keys)

static int set(srv_config *c, const key *k, const char *v, const char *where)
{
	char *p = (char *)c + k->off;
	char *end;
	switch (k->k) {
	case K_STR:
		if (strlen(v) >= k->cap) {
			fprintf(stderr, "mcred serve: %s: value of %s is too long\n", where, k->name);
			return -1;
		}
		memcpy(p, v, strlen(v) + 1);
		return 0;
	case K_UINT: {
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (errno || !*v || *end || n > 65535 || *v == '-') {
			fprintf(stderr, "mcred serve: %s: %s must be a number 0-65535\n", where, k->name);
			return -1;
		}
		*(unsigned *)(void *)p = (unsigned)n;
		return 0;
	}
	case K_NUM: {
		errno = 0;
		double d = strtod(v, &end);
		if (errno || !*v || *end || !(d >= 0 && d <= 1e9)) {
			fprintf(stderr, "mcred serve: %s: %s must be a number >= 0\n", where, k->name);
			return -1;
		}
		*(double *)(void *)p = d;
		return 0;
	}
	case K_BOOL:
		if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "yes"))
			*(int *)(void *)p = 1;
		else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no"))
			*(int *)(void *)p = 0;
		else {
			fprintf(stderr, "mcred serve: %s: %s must be on or off\n", where, k->name);
			return -1;
		}
		return 0;
	}
	return -1;
}

static const key *find(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int load_file(srv_config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "mcred serve: cannot open config file %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[4200], where[64];
	int lineno = 0, rc = 0;
	size_t total = 0;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		lineno++;
		total += strlen(line);
		snprintf(where, sizeof where, "config line %d", lineno);
		if (total > SRV_CONFIG_MAX || (strlen(line) == sizeof line - 1 && line[sizeof line - 2] != '\n')) {
			fprintf(stderr, "mcred serve: %s: too long\n", where);
			rc = -1;
			break;
		}
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "mcred serve: %s: expected key = value\n", where);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		const key *kk = find(k);
		if (!kk) {
			fprintf(stderr, "mcred serve: %s: unknown key '%s'\n", where, k);
			rc = -1;
			break;
		}
		rc = set(c, kk, v, where);
	}
	fclose(f);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: mcred serve [--config FILE] [--OPTION VALUE ...]\n\nOptions (file key / MCRED_<KEY> / --key):\n");
	for (size_t i = 0; i < NKEYS; i++)
		fprintf(stderr, "  --%-16s %s\n", keys[i].name, keys[i].help);
}

int srv_default_tokens_path(const char *store, char *out, size_t cap)
{
	const char *path = strncmp(store, "sqlite:", 7) == 0 ? store + 7 : store;
	if (strncmp(path, "postgres", 8) == 0)
		return snprintf(out, cap, "mcred.tokens") >= (int)cap ? -1 : 0;
	return snprintf(out, cap, "%s.tokens", path) >= (int)cap ? -1 : 0;
}

int srv_config_load(srv_config *c, int argc, char **argv)
{
	memset(c, 0, sizeof *c);
	strcpy(c->store, "mcred.db");
	strcpy(c->bind, "127.0.0.1");
	c->port = 8080;
	c->threads = 2;
	c->rate = 50;
	c->burst = 100;
	c->access_log = 1;
	c->secure_cookie = -1; /* decided below from public-url */

	const char *cfgfile = getenv("MCRED_CONFIG");
	for (int i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0)
			cfgfile = argv[i + 1];
	if (cfgfile && *cfgfile && load_file(c, cfgfile) != 0)
		return -1;
	for (size_t i = 0; i < NKEYS; i++) {
		char env[64] = "MCRED_";
		size_t n = strlen(env);
		for (const char *p = keys[i].name; *p && n + 1 < sizeof env; p++)
			env[n++] = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		env[n] = '\0';
		const char *v = getenv(env);
		if (v && set(c, &keys[i], v, env) != 0)
			return -1;
	}
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage();
			return -1;
		}
		if (strncmp(argv[i], "--", 2) != 0) {
			fprintf(stderr, "mcred serve: unexpected argument '%s'\n", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "mcred serve: option %s needs a value\n", argv[i]);
			return -1;
		}
		if (strcmp(argv[i], "--config") == 0) {
			i++;
			continue;
		}
		const key *k = find(argv[i] + 2);
		if (!k) {
			fprintf(stderr, "mcred serve: unknown option %s\n", argv[i]);
			usage();
			return -1;
		}
		if (set(c, k, argv[i + 1], argv[i]) != 0)
			return -1;
		i++;
	}
	if (!c->tokens[0] && srv_default_tokens_path(c->store, c->tokens, sizeof c->tokens) != 0) {
		fprintf(stderr, "mcred serve: store path too long\n");
		return -1;
	}
	if (c->secure_cookie < 0)
		c->secure_cookie = strncmp(c->public_url, "http://", 7) != 0 && c->public_url[0];
	if (c->burst < 1)
		c->burst = 1;
	return 0;
}

int mc_serve_tokens_path(const char *store, char *out, size_t cap)
{
	return srv_default_tokens_path(store, out, cap);
}
