/*
 * jobs.c - bulk issuance jobs: POST /api/v1/bulk stores the upload in an
 * unlinked temp file (http.c) and starts a background thread with its own
 * store connection and issuing session (mc_issuer_bulk); GET
 * /api/v1/bulk/{job} reports progress. On shutdown the reader ends the
 * input early, so mc_issuer_bulk stops at a transaction boundary: what was
 * committed stays, and uploading the same file again issues the rest
 * (bulk issuance is idempotent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "srv.h"

typedef enum { JOB_FREE = 0, JOB_RUNNING, JOB_DONE, JOB_FAILED } job_state;

typedef struct job_error {
	uint64_t row;
	char field[128];
	char message[256];
} job_error;

typedef struct job {
	srv *s;
	job_state state;
	int has_thread;
	pthread_t thread;
	char id[32];
	char actor[MC_TOKEN_NAME_MAX + 16];
	char template_id[SRV_PARAM_MAX + 1];
	int all_or_nothing;
	mc_bulk_format format;
	FILE *upload;
	uint64_t bytes_total, bytes_read;
	mc_bulk_summary sum;
	job_error errors[SRV_JOB_ERRORS_MAX];
	size_t nerrors;
	char message[MC_ERR_MSG_MAX];
	int64_t started, finished;
} job;

struct srv_jobs {
	pthread_mutex_t mu;
	job v[SRV_JOBS_MAX];
};

int srv_jobs_init(srv *s)
{
	s->jobs = calloc(1, sizeof *s->jobs);
	if (!s->jobs)
		return -1;
	pthread_mutex_init(&s->jobs->mu, NULL);
	return 0;
}

void srv_jobs_stop(srv *s)
{
	srv_jobs *J = s->jobs;
	if (!J)
		return;
	s->stopping = 1;
	for (size_t i = 0; i < SRV_JOBS_MAX; i++)
		if (J->v[i].has_thread) {
			pthread_join(J->v[i].thread, NULL);
			J->v[i].has_thread = 0;
		}
	for (size_t i = 0; i < SRV_JOBS_MAX; i++)
		if (J->v[i].upload)
			fclose(J->v[i].upload);
	pthread_mutex_destroy(&J->mu);
	free(J);
	s->jobs = NULL;
}

static mc_status job_read(void *ctx, char *buf, size_t cap, size_t *got)
{
	job *j = ctx;
	*got = 0;
	if (j->s->stopping)
		return MC_ERR_IO; /* ends the stream: the issuer stops after its last commit */
	size_t n = fread(buf, 1, cap, j->upload);
	if (ferror(j->upload))
		return MC_ERR_IO;
	*got = n;
	pthread_mutex_lock(&j->s->jobs->mu);
	j->bytes_read += n;
	pthread_mutex_unlock(&j->s->jobs->mu);
	return MC_OK;
}

static void job_reject(void *ctx, uint64_t row, const char *path, const char *msg)
{
	job *j = ctx;
	pthread_mutex_lock(&j->s->jobs->mu);
	if (j->nerrors < SRV_JOB_ERRORS_MAX) {
		job_error *e = &j->errors[j->nerrors++];
		e->row = row;
		snprintf(e->field, sizeof e->field, "%s", path ? path : "");
		snprintf(e->message, sizeof e->message, "%s", msg ? msg : "");
	}
	pthread_mutex_unlock(&j->s->jobs->mu);
}

static void job_progress(void *ctx, const mc_bulk_summary *sofar, uint64_t bytes_read)
{
	job *j = ctx;
	(void)bytes_read;
	pthread_mutex_lock(&j->s->jobs->mu);
	j->sum = *sofar;
	pthread_mutex_unlock(&j->s->jobs->mu);
}

static void *job_main(void *arg)
{
	job *j = arg;
	srv *s = j->s;
	srv_reply r = {0};
	mc_err e = {0};
	mc_status st = MC_ERR_IO;
	mc_bulk_summary sum = {0};
	srv_worker *w = srv_worker_get(s, 1, j->actor, &r);
	if (w) {
		mc_bulk_opts bo = {.format = j->format, .default_template = j->template_id[0] ? j->template_id : NULL};
		mc_bulk_reader *rd = NULL;
		st = mc_bulk_open(job_read, j, &bo, &rd, &e);
		if (st == MC_OK) {
			mc_issuer_bulk_opts io = {.template_id = j->template_id[0] ? j->template_id : NULL,
			                          .all_or_nothing = j->all_or_nothing,
			                          .on_reject = job_reject,
			                          .on_progress = job_progress,
			                          .ctx = j};
			st = mc_issuer_bulk(srv_worker_issuer(w), rd, &io, &sum, &e);
		}
		mc_bulk_close(rd);
		srv_worker_put(s, w, st == MC_ERR_IO);
	} else {
		snprintf(e.msg, sizeof e.msg, "the issuer is not available");
	}
	free(r.body);
	pthread_mutex_lock(&s->jobs->mu);
	if (st == MC_OK)
		j->sum = sum;
	j->state = st == MC_OK ? JOB_DONE : JOB_FAILED;
	if (st != MC_OK && s->stopping)
		snprintf(j->message, sizeof j->message, "%s",
		         "stopped by a server shutdown after the last committed batch; upload the file again to issue "
		         "the rest");
	else if (st != MC_OK)
		snprintf(j->message, sizeof j->message, "%.400s%s%.100s", e.msg[0] ? e.msg : mc_strerror(st),
		         e.path[0] ? " at " : "", e.path);
	j->finished = srv_now();
	fclose(j->upload);
	j->upload = NULL;
	pthread_mutex_unlock(&s->jobs->mu);
	return NULL;
}

void srv_bulk_start(srv *s, srv_req *r, srv_reply *out)
{
	if (!r->upload || r->upload_len == 0) {
		srv_problem(out, 400, "bad-field", "send the CSV or JSON Lines file as the body", "$");
		return;
	}
	const char *tid = srv_query(r, "template"), *aon = srv_query(r, "allOrNothing");
	if (tid && strlen(tid) > SRV_PARAM_MAX) {
		srv_problem(out, 400, "bad-field", "template id too long", "template");
		return;
	}
	if (aon && strcmp(aon, "true") && strcmp(aon, "false")) {
		srv_problem(out, 400, "bad-field", "allOrNothing is true or false", "allOrNothing");
		return;
	}
	srv_jobs *J = s->jobs;
	pthread_mutex_lock(&J->mu);
	size_t running = 0, pick = SIZE_MAX;
	int64_t oldest = INT64_MAX;
	for (size_t i = 0; i < SRV_JOBS_MAX; i++) {
		job *j = &J->v[i];
		if (j->state == JOB_RUNNING)
			running++;
		else if (j->state == JOB_FREE && pick == SIZE_MAX)
			pick = i, oldest = INT64_MIN;
		else if (j->state != JOB_FREE && j->finished < oldest)
			pick = i, oldest = j->finished;
	}
	if (running >= SRV_JOBS_RUNNING || pick == SIZE_MAX || s->stopping) {
		pthread_mutex_unlock(&J->mu);
		srv_problem(out, 503, "unavailable", "bulk jobs are running already; retry when one is done", NULL);
		out->retry_after = 10;
		return;
	}
	job *j = &J->v[pick];
	if (j->has_thread) {
		pthread_join(j->thread, NULL); /* finished: returns at once */
		j->has_thread = 0;
	}
	memset(j, 0, sizeof *j);
	j->s = s;
	j->state = JOB_RUNNING;
	uint8_t raw[16];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(j->id, sizeof j->id, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(j->actor, sizeof j->actor, "%s", r->actor);
	snprintf(j->template_id, sizeof j->template_id, "%s", tid ? tid : "");
	j->all_or_nothing = aon && !strcmp(aon, "true");
	j->format = r->content_type && !strcmp(r->content_type, "text/csv") ? MC_BULK_CSV : MC_BULK_JSONL;
	j->upload = r->upload;
	j->bytes_total = r->upload_len;
	j->started = srv_now();
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		j->upload = NULL;
		j->state = JOB_FREE;
		pthread_mutex_unlock(&J->mu);
		srv_problem(out, 503, "unavailable", "cannot start the job", NULL);
		return;
	}
	j->has_thread = 1;
	r->upload = NULL; /* the job owns the file now */
	char id[sizeof j->id];
	memcpy(id, j->id, sizeof id);
	pthread_mutex_unlock(&J->mu);
	snprintf(out->location, sizeof out->location, "/api/v1/bulk/%s", id);
	srv_json(out, 202, json_pack("{s:s}", "job", id));
}

void srv_bulk_status(srv *s, srv_req *r, srv_reply *out)
{
	srv_jobs *J = s->jobs;
	json_t *o = NULL;
	pthread_mutex_lock(&J->mu);
	for (size_t i = 0; i < SRV_JOBS_MAX && !o; i++) {
		job *j = &J->v[i];
		if (j->state == JOB_FREE || strcmp(j->id, r->param[0]) != 0)
			continue;
		json_t *errs = json_array();
		for (size_t k = 0; k < j->nerrors; k++)
			json_array_append_new(errs, json_pack("{s:I,s:s,s:s}", "row", (json_int_t)j->errors[k].row, "field",
			                                      j->errors[k].field, "message", j->errors[k].message));
		o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:b,s:o,s:I,s:I}", "job", j->id, "state",
		              j->state == JOB_RUNNING ? "running" : j->state == JOB_DONE ? "done" : "failed", "rows",
		              (json_int_t)j->sum.rows, "issued", (json_int_t)j->sum.issued, "existing",
		              (json_int_t)j->sum.existing, "rejected", (json_int_t)j->sum.rejected, "committed",
		              j->state == JOB_DONE ? j->sum.committed : 0, "errors", errs, "bytesRead",
		              (json_int_t)j->bytes_read, "bytesTotal", (json_int_t)j->bytes_total);
		if (j->message[0])
			json_object_set_new(o, "message", json_string(j->message));
	}
	pthread_mutex_unlock(&J->mu);
	if (!o) {
		srv_problem(out, 404, "not-found", "no such job (finished jobs are forgotten after a restart)", "job");
		return;
	}
	srv_json(out, 200, o);
}
