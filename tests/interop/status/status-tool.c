/*
 * status-tool.c - the C side of the status-list interop test (run.sh):
 *   status-tool encode NBITS [INDEX...]   print the encodedList with those bits set
 *   status-tool decode ENCODEDLIST        print "<nbits> <i1,i2,...>" (set bits)
 *   status-tool cred ID ISSUER PURPOSE NBITS [INDEX...]  print an unsigned list credential
 *   status-tool entry LISTURL PURPOSE INDEX               print a BitstringStatusListEntry
 *   status-tool check LISTFILE CREDFILE   print one "<purpose> <index> <set|code>" line per entry
 * Built by run.sh against build/libmcred.a; exits 1 on any library error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcred/mcred.h"
#include "mcred/status.h"

static int die(const char *what, const mc_err *e)
{
	fprintf(stderr, "status-tool: %s: %s %s\n", what, e->path, e->msg);
	return 1;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = malloc(1 << 24);
	*n = fread(b, 1, (1 << 24) - 1, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}

static mc_status purpose(const char *s, mc_status_purpose *p)
{
	return mc_status_purpose_parse(s, p);
}

static int build(uint64_t nbits, int argc, char **argv, mc_statuslist **l, mc_err *e)
{
	if (mc_statuslist_new(nbits, l, e) != MC_OK)
		return 1;
	for (int i = 0; i < argc; i++)
		if (mc_statuslist_set(*l, strtoull(argv[i], NULL, 10), 1, e) != MC_OK)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	mc_err e = {0};
	if (mc_init() != MC_OK || argc < 3)
		return 2;
	const char *cmd = argv[1];
	if (strcmp(cmd, "encode") == 0) {
		mc_statuslist *l = NULL;
		char *enc = NULL;
		if (build(strtoull(argv[2], NULL, 10), argc - 3, argv + 3, &l, &e) ||
		    mc_statuslist_encode(l, &enc, &e) != MC_OK)
			return die("encode", &e);
		printf("%s\n", enc);
		return 0;
	}
	if (strcmp(cmd, "decode") == 0) {
		mc_statuslist *l = NULL;
		if (mc_statuslist_decode(argv[2], strlen(argv[2]), &l, &e) != MC_OK)
			return die("decode", &e);
		uint64_t n = mc_statuslist_size(l);
		printf("%llu ", (unsigned long long)n);
		int first = 1;
		for (uint64_t i = 0; i < n; i++) {
			int v;
			if (mc_statuslist_get(l, i, &v, &e) != MC_OK)
				return die("get", &e);
			if (v) {
				printf("%s%llu", first ? "" : ",", (unsigned long long)i);
				first = 0;
			}
		}
		printf("\n");
		return 0;
	}
	if (strcmp(cmd, "cred") == 0 && argc >= 6) {
		mc_statuslist_cred_opts o = {.id = argv[2], .issuer = argv[3], .valid_from = "2025-01-01T00:00:00Z"};
		mc_statuslist *l = NULL;
		char *out = NULL;
		if (purpose(argv[4], &o.purpose) != MC_OK)
			return 2;
		if (build(strtoull(argv[5], NULL, 10), argc - 6, argv + 6, &l, &e) ||
		    mc_statuslist_credential(l, &o, &out, &e) != MC_OK)
			return die("cred", &e);
		printf("%s\n", out);
		return 0;
	}
	if (strcmp(cmd, "entry") == 0 && argc == 5) {
		mc_status_purpose p;
		char *out = NULL;
		if (purpose(argv[3], &p) != MC_OK)
			return 2;
		if (mc_status_entry(argv[2], p, strtoull(argv[4], NULL, 10), &out, &e) != MC_OK)
			return die("entry", &e);
		printf("%s\n", out);
		return 0;
	}
	if (strcmp(cmd, "check") == 0 && argc == 4) {
		size_t ln, cn;
		char *list = slurp(argv[2], &ln), *cred = slurp(argv[3], &cn);
		mc_status_lists *s = NULL;
		if (!list || !cred)
			return 2;
		if (mc_status_lists_new(&s, &e) != MC_OK || mc_status_lists_add(s, list, ln, NULL, &e) != MC_OK)
			return die("add", &e);
		mc_status_result r[MC_STATUS_MAX_ENTRIES];
		size_t n = 0;
		mc_status st = mc_status_check(s, cred, cn, 0, r, MC_STATUS_MAX_ENTRIES, &n, &e);
		for (size_t i = 0; i < n; i++)
			printf("%s %llu %s\n", mc_status_purpose_name(r[i].purpose), (unsigned long long)r[i].index,
			       r[i].code == MC_OK ? (r[i].set ? "set" : "unset") : mc_strerror(r[i].code));
		return st == MC_OK ? 0 : 1;
	}
	return 2;
}
