/*
 * test_auth.c - token file and session table (include/mcred/auth.h):
 * each accepted case beside the rejected twin.
 */
#include <unistd.h>

#include "mcred/auth.h"
#include "testutil.h"

START_TEST(roles)
{
	mc_role r;
	ck_assert_int_eq(mc_role_parse("admin", &r), MC_OK);
	ck_assert_int_eq(r, MC_ROLE_ADMIN);
	ck_assert_int_eq(mc_role_parse("Admin", &r), MC_ERR_VALUE);
	ck_assert_int_eq(mc_role_parse("", &r), MC_ERR_VALUE);
	ck_assert(mc_role_allows(MC_ROLE_ADMIN, MC_ROLE_ISSUER));
	ck_assert(mc_role_allows(MC_ROLE_ISSUER, MC_ROLE_READER));
	ck_assert(!mc_role_allows(MC_ROLE_READER, MC_ROLE_ISSUER));
	ck_assert(!mc_role_allows(MC_ROLE_ISSUER, MC_ROLE_ADMIN));
	ck_assert_ptr_null(mc_role_name((mc_role)7));
}
END_TEST

START_TEST(add_check_save_load)
{
	mc_tokens *t;
	mc_err e = {0};
	ck_assert_int_eq(mc_tokens_new(&t, &e), MC_OK);
	char tok[MC_TOKEN_CHARS + 1], tok2[MC_TOKEN_CHARS + 1];
	ck_assert_int_eq(mc_tokens_add(t, "sis", MC_ROLE_ISSUER, 100, tok, &e), MC_OK);
	ck_assert_uint_eq(strlen(tok), MC_TOKEN_CHARS);
	ck_assert(strncmp(tok, "mct_", 4) == 0);
	ck_assert_int_eq(mc_tokens_add(t, "ro", MC_ROLE_READER, 101, tok2, &e), MC_OK);
	ck_assert(strcmp(tok, tok2) != 0);
	/* twin: the same name twice, bad names */
	char tok3[MC_TOKEN_CHARS + 1];
	mc_err e2 = {0};
	ck_assert_int_eq(mc_tokens_add(t, "sis", MC_ROLE_ADMIN, 1, tok3, &e2), MC_ERR_VALUE);
	ck_assert_str_eq(e2.path, "name");
	ck_assert_int_eq(mc_tokens_add(t, "a b", MC_ROLE_ADMIN, 1, tok3, NULL), MC_ERR_VALUE);
	ck_assert_int_eq(mc_tokens_add(t, "", MC_ROLE_ADMIN, 1, tok3, NULL), MC_ERR_VALUE);

	char name[MC_TOKEN_NAME_MAX + 1];
	mc_role r;
	ck_assert_int_eq(mc_tokens_check(t, tok, strlen(tok), name, &r), MC_OK);
	ck_assert_str_eq(name, "sis");
	ck_assert_int_eq(r, MC_ROLE_ISSUER);
	/* twins: one character changed, truncated, empty */
	char bad[MC_TOKEN_CHARS + 1];
	memcpy(bad, tok, sizeof bad);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(mc_tokens_check(t, bad, strlen(bad), name, &r), MC_ERR_MISSING);
	ck_assert_int_eq(mc_tokens_check(t, tok, strlen(tok) - 1, name, &r), MC_ERR_MISSING);
	ck_assert_int_eq(mc_tokens_check(t, "", 0, name, &r), MC_ERR_MISSING);

	char path[] = "/tmp/mcred-tokens-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	close(fd);
	unlink(path);
	ck_assert_int_eq(mc_tokens_save(t, path, &e), MC_OK);
	struct stat st;
	ck_assert(stat(path, &st) == 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	char *text = tu_read(path, NULL);
	ck_assert(strstr(text, tok + 4) == NULL); /* the token itself is never stored */
	free(text);
	mc_tokens *u;
	ck_assert_int_eq(mc_tokens_load(path, &u, &e), MC_OK);
	ck_assert_uint_eq(mc_tokens_count(u), 2);
	mc_token_info info;
	ck_assert_int_eq(mc_tokens_get(u, 1, &info), MC_OK);
	ck_assert_str_eq(info.name, "ro");
	ck_assert_int_eq(info.created, 101);
	ck_assert_int_eq(mc_tokens_get(u, 2, &info), MC_ERR_ARG);
	ck_assert_int_eq(mc_tokens_check(u, tok2, strlen(tok2), name, &r), MC_OK);
	ck_assert_int_eq(r, MC_ROLE_READER);
	ck_assert_int_eq(mc_tokens_revoke(u, "ro", &e), MC_OK);
	ck_assert_int_eq(mc_tokens_check(u, tok2, strlen(tok2), name, &r), MC_ERR_MISSING);
	ck_assert_int_eq(mc_tokens_revoke(u, "ro", NULL), MC_ERR_MISSING);
	mc_tokens_free(u);
	unlink(path);
	/* a missing file is an empty set */
	ck_assert_int_eq(mc_tokens_load(path, &u, &e), MC_OK);
	ck_assert_uint_eq(mc_tokens_count(u), 0);
	mc_tokens_free(u);
	mc_tokens_free(t);
}
END_TEST

START_TEST(parse_twins)
{
	static const char good[] = "mcred-tokens 1\n"
	                           "a issuer 0000000000000000000000000000000000000000000000000000000000000000 5\n";
	mc_tokens *t;
	ck_assert_int_eq(mc_tokens_parse(good, strlen(good), &t, NULL), MC_OK);
	ck_assert_uint_eq(mc_tokens_count(t), 1);
	mc_tokens_free(t);
	static const char *const bad[] = {
		"",
		"mcred-tokens 2\n",
		"mcred-tokens 1\na boss 0000000000000000000000000000000000000000000000000000000000000000 5\n",
		"mcred-tokens 1\na issuer 00 5\n",
		"mcred-tokens 1\na issuer 000000000000000000000000000000000000000000000000000000000000000g 5\n",
		"mcred-tokens 1\na issuer 0000000000000000000000000000000000000000000000000000000000000000 5 x\n",
		"mcred-tokens 1\na issuer 0000000000000000000000000000000000000000000000000000000000000000 -1\n",
		"mcred-tokens 1\na issuer 0000000000000000000000000000000000000000000000000000000000000000 5\n"
		"a reader 0000000000000000000000000000000000000000000000000000000000000000 5\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		mc_err e = {0};
		ck_assert_msg(mc_tokens_parse(bad[i], strlen(bad[i]), &t, &e) != MC_OK, "case %zu", i);
		ck_assert_ptr_null(t);
		ck_assert(strncmp(e.path, "line", 4) == 0 || strcmp(e.path, "name") == 0);
	}
}
END_TEST

START_TEST(sessions)
{
	mc_sessions *s;
	ck_assert_int_eq(mc_sessions_new(2, 60, 600, &s, NULL), MC_OK);
	char id1[MC_SESSION_ID_CHARS + 1], id2[MC_SESSION_ID_CHARS + 1], id3[MC_SESSION_ID_CHARS + 1];
	mc_session_info a, b;
	ck_assert_int_eq(mc_sessions_create(s, "alice", MC_ROLE_ADMIN, 1000, id1, &a, NULL), MC_OK);
	ck_assert_uint_eq(strlen(id1), MC_SESSION_ID_CHARS);
	ck_assert_uint_eq(strlen(a.csrf), MC_SESSION_ID_CHARS);
	ck_assert_int_eq(mc_sessions_lookup(s, id1, strlen(id1), 1010, &b), MC_OK);
	ck_assert_str_eq(b.name, "alice");
	ck_assert_str_eq(b.csrf, a.csrf);
	ck_assert(mc_secret_equal(b.csrf, strlen(b.csrf), a.csrf, strlen(a.csrf)));
	ck_assert(!mc_secret_equal(b.csrf, strlen(b.csrf) - 1, a.csrf, strlen(a.csrf)));
	/* twins: unknown id, idle expiry, absolute expiry */
	char wrong[MC_SESSION_ID_CHARS + 1];
	memcpy(wrong, id1, sizeof wrong);
	wrong[0] = wrong[0] == 'x' ? 'y' : 'x';
	ck_assert_int_eq(mc_sessions_lookup(s, wrong, strlen(wrong), 1010, &b), MC_ERR_MISSING);
	ck_assert_int_eq(mc_sessions_lookup(s, id1, strlen(id1), 1070, &b), MC_ERR_MISSING); /* idle 60 s */
	ck_assert_int_eq(mc_sessions_create(s, "bob", MC_ROLE_READER, 2000, id2, NULL, NULL), MC_OK);
	for (int64_t t = 2050; t < 2600; t += 50)
		ck_assert_int_eq(mc_sessions_lookup(s, id2, strlen(id2), t, NULL), MC_OK);
	ck_assert_int_eq(mc_sessions_lookup(s, id2, strlen(id2), 2600, NULL), MC_ERR_MISSING); /* lifetime */
	/* bounded: a third session drops the least recently used */
	ck_assert_int_eq(mc_sessions_create(s, "a", MC_ROLE_ADMIN, 3000, id1, NULL, NULL), MC_OK);
	ck_assert_int_eq(mc_sessions_create(s, "b", MC_ROLE_ADMIN, 3001, id2, NULL, NULL), MC_OK);
	ck_assert_int_eq(mc_sessions_lookup(s, id1, strlen(id1), 3002, NULL), MC_OK);
	ck_assert_int_eq(mc_sessions_create(s, "c", MC_ROLE_ADMIN, 3003, id3, NULL, NULL), MC_OK);
	ck_assert_uint_eq(mc_sessions_count(s), 2);
	ck_assert_int_eq(mc_sessions_lookup(s, id2, strlen(id2), 3004, NULL), MC_ERR_MISSING);
	ck_assert_int_eq(mc_sessions_lookup(s, id1, strlen(id1), 3004, NULL), MC_OK);
	ck_assert_int_eq(mc_sessions_delete(s, id1, strlen(id1)), MC_OK);
	ck_assert_int_eq(mc_sessions_delete(s, id1, strlen(id1)), MC_ERR_MISSING);
	ck_assert_int_eq(mc_sessions_lookup(s, id1, strlen(id1), 3005, NULL), MC_ERR_MISSING);
	mc_sessions_free(s);
	ck_assert_int_eq(mc_sessions_new(0, 60, 600, &s, NULL), MC_ERR_ARG);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, roles);
	tcase_add_test(tc, add_check_save_load);
	tcase_add_test(tc, parse_twins);
	tcase_add_test(tc, sessions);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(suite)
