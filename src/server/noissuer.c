/*
 * noissuer.c - compiled instead of issuer_api.c and jobs.c while the tree
 * has no src/issuer (the issuer service is built on another branch): the
 * issuer endpoints answer 503 naming the reason, nothing pretends to work.
 * The Makefile drops this file as soon as src/issuer/ exists.
 */
#include "srv.h"

static void none(srv_reply *out)
{
	srv_problem(out, 503, "unavailable", "this build has no issuer service (src/issuer)", NULL);
}

#define NONE(f)                                             \
	void f(srv *s, srv_req *r, srv_reply *out)              \
	{                                                       \
		(void)s;                                            \
		(void)r;                                            \
		none(out);                                          \
	}
NONE(srv_h_status_list)
NONE(srv_h_shared_json)
NONE(srv_h_shared_qr)
NONE(srv_h_issue)
NONE(srv_h_search)
NONE(srv_h_set_status)
NONE(srv_h_reissue)
NONE(srv_h_share)
NONE(srv_bulk_start)
NONE(srv_bulk_status)

mc_status_lists *srv_local_status_lists(srv *s, const char *cred, size_t len)
{
	(void)s;
	(void)cred;
	(void)len;
	return NULL;
}

int srv_jobs_init(srv *s)
{
	(void)s;
	return 0;
}

void srv_jobs_stop(srv *s)
{
	s->stopping = 1;
}
