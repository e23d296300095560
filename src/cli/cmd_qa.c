/*
 * cmd_qa.c - the quality-assurance commands (docs/qa.md): `mcred qa`
 * (lifecycle of a specification), `mcred feedback`, `mcred outcome` and
 * `mcred maturity`. main.c's table has one entry per group; the
 * subcommands and their help live here, beside their functions.
 *
 * Who acts: --actor NAME (default $USER, else "cli") with the role the
 * subcommand implies (submit: proposer; a chain decision: reviewer unless
 * --role qa-officer; publish, review, retire: qa-officer). The library
 * checks the role against the approval step; mcred trusts the command
 * line, as it trusts whoever can open the store.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct sub {
	const char *name;
	int (*run)(const char *group, int argc, char **argv);
	const char *usage;
	const char *help;
} sub;

static mc_qa_actor actor(const cli_args *a, mc_qa_role dflt)
{
	mc_qa_actor w = {cli_opt(a, "actor"), dflt};
	if (!w.id || !*w.id)
		w.id = getenv("USER");
	if (!w.id || !*w.id)
		w.id = "cli";
	const char *r = cli_opt(a, "role");
	if (r && mc_qa_role_parse(r, &w.role) != MC_OK)
		w.role = (mc_qa_role)-1; /* the library names the bad role */
	return w;
}

/* A whole number option in [lo, hi]; dflt when absent; -1 on garbage. */
static int64_t num_opt(const cli_args *a, const char *name, int64_t dflt, int64_t lo, int64_t hi)
{
	const char *v = cli_opt(a, name);
	if (!v)
		return dflt;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < lo || n > hi) {
		fprintf(stderr, "mcred: --%s must be a whole number from %lld to %lld\n", name, (long long)lo, (long long)hi);
		return -1;
	}
	return n;
}

/* Print (or write to --out) a library-made text, then free it. */
static int emit(const cli_args *a, char *text, mc_status st, const char *what, const mc_err *err)
{
	int rc = st == MC_OK ? (cli_write(cli_opt(a, "out"), text, strlen(text), 0) ? EXIT_SYSTEM : EXIT_OK)
	                     : cli_fail(what, st, err);
	mc_free(text);
	return rc;
}

static const char *const no_flags[] = {NULL};

/* ---- qa ------------------------------------------------------------------ */

static int print_report(const mc_report *rep)
{
	static const char *const res[] = {"pass", "FAIL", "warn", "skip"};
	for (size_t i = 0; rep && i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		printf("  %-4s %-17s %s%s%s\n", res[f->result], f->check, f->message, f->path[0] ? "  at " : "", f->path);
	}
	return 0;
}

static int state_line(mc_store *s, const char *tpl, int64_t v)
{
	mc_qa_state st;
	mc_err err = {0};
	if (mc_qa_state_get(s, tpl, v, &st, &err) == MC_OK)
		printf("%s version %lld: %s\n", tpl, (long long)v, mc_qa_state_name(st));
	return EXIT_OK;
}

static int qa_submit(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", "provider", "actor", NULL};
	const char *usage = "mcred qa submit [--store URL] ID --version N [--provider P] [--actor NAME]";
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 1 || (v = num_opt(&a, "version", -1, 1, INT64_MAX)) < 0)
		return cli_usage(usage);
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_PROPOSER);
	mc_report *rep = NULL;
	mc_err err = {0};
	mc_status st = mc_qa_submit(s, cli_opt(&a, "provider"), a.pos[0], v, &w, &rep, &err);
	if (rep) {
		printf("formal checks:\n");
		print_report(rep);
	}
	mc_report_free(rep);
	rc = st == MC_OK ? state_line(s, a.pos[0], v) : cli_fail("qa submit", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int qa_review(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", "step", "decision", "comment", "reason", "due", "actor", "role", NULL};
	static const char *const fl[] = {"start", "close", NULL};
	const char *usage = "mcred qa review [--store URL] ID --version N (--step STEP --decision approve|reject|"
	                    "request-changes [--comment T] | --start [--reason T] | --close [--comment T] | --due T)";
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, fl) || a.npos != 1 || (v = num_opt(&a, "version", -1, 1, INT64_MAX)) < 0)
		return cli_usage(usage);
	int start = cli_flag(&a, "start"), close = cli_flag(&a, "close"), step = cli_opt(&a, "step") != NULL;
	int due = cli_opt(&a, "due") != NULL;
	int64_t when = 0;
	if (start + close + step + due != 1 || (step != (cli_opt(&a, "decision") != NULL)))
		return cli_usage(usage);
	if (due && (mc_datetime_parse(cli_opt(&a, "due"), &when) != MC_OK || when <= 0)) {
		fprintf(stderr, "mcred: --due must be a dateTime with a zone (2027-03-01T00:00:00Z)\n");
		return EXIT_USAGE;
	}
	mc_qa_decision d = MC_QA_APPROVE;
	if (step && mc_qa_decision_parse(cli_opt(&a, "decision"), &d) != MC_OK) {
		fprintf(stderr, "mcred: --decision is approve, reject or request-changes\n");
		return EXIT_USAGE;
	}
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_err err = {0};
	mc_status st;
	if (step) {
		mc_qa_actor w = actor(&a, MC_QA_ROLE_REVIEWER);
		st = mc_qa_decide(s, a.pos[0], v, cli_opt(&a, "step"), d, cli_opt(&a, "comment"), &w, &err);
	} else {
		mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
		st = start ? mc_qa_review_start(s, a.pos[0], v, cli_opt(&a, "reason"), &w, &err)
		     : due ? mc_qa_review_schedule(s, a.pos[0], v, when, &w, &err)
		           : mc_qa_review_close(s, a.pos[0], v, cli_opt(&a, "comment"), &w, &err);
	}
	rc = st == MC_OK ? state_line(s, a.pos[0], v) : cli_fail("qa review", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int qa_publish_retire(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", "reason", "actor", NULL};
	bool retire = strcmp(g, "retire") == 0;
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 1 || (v = num_opt(&a, "version", -1, 1, INT64_MAX)) < 0 ||
	    (!retire && cli_opt(&a, "reason")))
		return cli_usage(retire ? "mcred qa retire [--store URL] ID --version N [--reason T] [--actor NAME]"
		                        : "mcred qa publish [--store URL] ID --version N [--actor NAME]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	mc_err err = {0};
	size_t n = 0;
	mc_status st = retire ? mc_qa_retire(s, a.pos[0], v, cli_opt(&a, "reason"), &w, &n, &err)
	                      : mc_qa_publish(s, a.pos[0], v, &w, &err);
	if (st == MC_OK) {
		state_line(s, a.pos[0], v);
		if (retire)
			printf("%zu holder notification(s) recorded (mcred qa show %s --notifications)\n", n, a.pos[0]);
	} else {
		rc = cli_fail(retire ? "qa retire" : "qa publish", st, &err);
	}
	mc_store_close(s);
	return rc;
}

static int qa_modify(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", "achievement", "actor", "role", NULL};
	const char *usage = "mcred qa modify [--store URL] ID --version N --achievement A.json [--role proposer|qa-officer]";
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 1 || !cli_opt(&a, "achievement") ||
	    (v = num_opt(&a, "version", -1, 1, INT64_MAX)) < 0)
		return cli_usage(usage);
	size_t len;
	char *json = cli_read(cli_opt(&a, "achievement"), &len);
	if (!json)
		return EXIT_INPUT;
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc) {
		free(json);
		return rc;
	}
	mc_qa_actor w = actor(&a, MC_QA_ROLE_PROPOSER);
	mc_qa_modify_result r;
	mc_err err = {0};
	mc_status st = mc_qa_modify(s, a.pos[0], v, json, &w, &r, &err);
	if (st == MC_OK) {
		printf("%s version %lld: %s (changed: %s; substantial: %s)\n", a.pos[0], (long long)r.version,
		       r.reapproval ? "draft, needs the approval chain again" : "modified, may be published",
		       r.changed, r.substantial);
		mc_qa_modify_result_clear(&r);
	} else {
		rc = cli_fail("qa modify", st, &err);
	}
	free(json);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int qa_show(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "version", "out", NULL};
	static const char *const fl[] = {"notifications", NULL};
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, fl) || a.npos != 1 || (v = num_opt(&a, "version", 0, 1, INT64_MAX)) < 0 ||
	    (!v && !cli_flag(&a, "notifications")))
		return cli_usage("mcred qa show [--store URL] ID (--version N | --notifications) [--out F]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = cli_flag(&a, "notifications") ? mc_qa_notifications(s, a.pos[0], &out, &err)
	                                             : mc_qa_spec_json(s, a.pos[0], v, &out, &err);
	rc = emit(&a, out, st, "qa show", &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int parse_time(const char *v, int64_t *t)
{
	if (!v) {
		*t = 0;
		return 0;
	}
	if (mc_datetime_parse(v, t) != MC_OK) {
		fprintf(stderr, "mcred: --now must be a dateTime with a zone (2027-01-31T00:00:00Z)\n");
		return -1;
	}
	return 0;
}

static int qa_overdue_page(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "provider", "now", "out", NULL};
	bool page = strcmp(g, "page") == 0;
	cli_args a;
	int64_t now;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || parse_time(cli_opt(&a, "now"), &now))
		return cli_usage(page ? "mcred qa page [--store URL] [--provider P] [--now T] [--out F]"
		                      : "mcred qa overdue [--store URL] [--provider P] [--now T] [--out F]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = page ? mc_qa_public_page(s, cli_opt(&a, "provider"), now, &out, &err)
	                    : mc_qa_overdue(s, cli_opt(&a, "provider"), now, &out, &err);
	rc = emit(&a, out, st, page ? "qa page" : "qa overdue", &err);
	mc_store_close(s);
	return rc;
}

/* mcred qa notify send|subscriber|outbox: deliver retirement notifications
 * (the same outbox the server's delivery thread works on). */
static int qa_notify(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "smtp",   "mail-from", "lease", "max",    "timeout", "kind",
	                                 "target", "secret-file", "actor", "template", "out", NULL};
	static const char *const fl[] = {"remove", NULL};
	const char *usage = "mcred qa notify send [--store URL] [--smtp smtp://host:port --mail-from ADDR] [--lease S] "
	                    "[--max N] [--timeout S]\n"
	                    "       mcred qa notify subscriber [--store URL] [ID (--kind webhook|email --target URL|mailto:A "
	                    "--secret-file F | --remove)]\n"
	                    "       mcred qa notify outbox [--store URL] [--template ID] [--out F]";
	cli_args a;
	if (argc < 1 || cli_parse(&a, argc - 1, argv + 1, vo, fl))
		return cli_usage(usage);
	const char *what = argv[0];
	int64_t lease = num_opt(&a, "lease", 0, 1, 86400), max = num_opt(&a, "max", 0, 1, 1000000),
	        timeout = num_opt(&a, "timeout", 0, 1, 600);
	if (lease < 0 || max < 0 || timeout < 0)
		return cli_usage(usage);
	int send = !strcmp(what, "send"), subs = !strcmp(what, "subscriber"), obox = !strcmp(what, "outbox");
	if (!(send || subs || obox) || (send && a.npos) || (obox && a.npos) || (subs && a.npos > 1) ||
	    (subs && a.npos == 1 && !cli_flag(&a, "remove") &&
	     (!cli_opt(&a, "kind") || !cli_opt(&a, "target") || !cli_opt(&a, "secret-file"))))
		return cli_usage(usage);
	char *secret = NULL;
	size_t len = 0;
	if (subs && a.npos == 1 && !cli_flag(&a, "remove")) {
		if (!(secret = cli_read(cli_opt(&a, "secret-file"), &len)))
			return EXIT_INPUT;
		while (len && (secret[len - 1] == '\n' || secret[len - 1] == '\r'))
			secret[--len] = '\0';
	}
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc) {
		free(secret);
		return rc;
	}
	mc_err err = {0};
	mc_status st;
	char *out = NULL;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	if (send) {
		mc_qa_send_opts o = {.smtp_url = cli_opt(&a, "smtp"),
		                     .mail_from = cli_opt(&a, "mail-from"),
		                     .lease = lease,
		                     .max = (size_t)max,
		                     .timeout_seconds = (long)timeout};
		mc_qa_send_stats stats = {0};
		st = mc_qa_outbox_send(s, &o, &stats, &err);
		if (st == MC_OK)
			printf("notifications: %zu queued, %zu delivered, %zu to retry, %zu failed\n", stats.queued,
			       stats.delivered, stats.retry, stats.failed);
		rc = st == MC_OK ? (stats.failed ? EXIT_INPUT : EXIT_OK) : cli_fail("qa notify send", st, &err);
	} else if (subs && a.npos == 1) {
		st = cli_flag(&a, "remove") ? mc_qa_subscriber_remove(s, a.pos[0], &w, &err)
		                            : mc_qa_subscriber_add(s, a.pos[0], cli_opt(&a, "kind"), cli_opt(&a, "target"),
		                                                   secret, &w, &err);
		rc = st == MC_OK ? (printf("subscriber '%s' %s\n", a.pos[0], cli_flag(&a, "remove") ? "removed" : "added"),
		                    EXIT_OK)
		                 : cli_fail("qa notify subscriber", st, &err);
	} else {
		st = subs ? mc_qa_subscriber_list(s, &out, &err) : mc_qa_outbox_list(s, cli_opt(&a, "template"), &out, &err);
		rc = emit(&a, out, st, subs ? "qa notify subscriber" : "qa notify outbox", &err);
	}
	if (secret) {
		memset(secret, 0, len);
		free(secret);
	}
	mc_store_close(s);
	(void)g;
	return rc;
}

static int qa_config(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "provider", "set", "actor", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos)
		return cli_usage("mcred qa config [--store URL] [--provider P] [--set CONFIG.json]");
	char *json = NULL;
	size_t len = 0;
	if (cli_opt(&a, "set") && !(json = cli_read(cli_opt(&a, "set"), &len)))
		return EXIT_INPUT;
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc) {
		free(json);
		return rc;
	}
	mc_err err = {0};
	mc_status st;
	if (json) {
		mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
		st = mc_qa_config_set(s, cli_opt(&a, "provider"), json, &w, &err);
		rc = st == MC_OK ? (printf("QA configuration stored\n"), EXIT_OK) : cli_fail(cli_opt(&a, "set"), st, &err);
	} else {
		char *out = NULL;
		st = mc_qa_config_get(s, cli_opt(&a, "provider"), &out, &err);
		rc = emit(&a, out, st, "qa config", &err);
	}
	free(json);
	mc_store_close(s);
	(void)g;
	return rc;
}

/* ---- feedback --------------------------------------------------------------- */

static int fb_questionnaire(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "default", "show", "save", "version", "actor", "out", NULL};
	const char *usage = "mcred feedback questionnaire [--store URL] (--default learner|employer|peer | --show ID "
	                    "[--version N] | --save Q.json)";
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos ||
	    (!!cli_opt(&a, "default") + !!cli_opt(&a, "show") + !!cli_opt(&a, "save")) != 1 ||
	    (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0)
		return cli_usage(usage);
	if (cli_opt(&a, "default")) {
		const char *d = mc_qa_questionnaire_default(cli_opt(&a, "default"));
		if (!d) {
			fprintf(stderr, "mcred: --default is learner, employer or peer\n");
			return EXIT_USAGE;
		}
		return cli_write(cli_opt(&a, "out"), d, strlen(d), 0) ? EXIT_SYSTEM : EXIT_OK;
	}
	char *json = NULL;
	size_t len;
	if (cli_opt(&a, "save") && !(json = cli_read(cli_opt(&a, "save"), &len)))
		return EXIT_INPUT;
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc) {
		free(json);
		return rc;
	}
	mc_err err = {0};
	mc_status st;
	if (json) {
		mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
		int64_t ver = 0;
		st = mc_qa_questionnaire_save(s, json, &w, &ver, &err);
		rc = st == MC_OK ? (printf("questionnaire version %lld\n", (long long)ver), EXIT_OK)
		                 : cli_fail(cli_opt(&a, "save"), st, &err);
	} else {
		char *out = NULL;
		st = mc_qa_questionnaire_get(s, cli_opt(&a, "show"), v, &out, NULL, &err);
		rc = emit(&a, out, st, "feedback questionnaire", &err);
	}
	free(json);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int fb_respond(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "questionnaire", "credential", "template", "version", "answers",
	                                 "respondent", "actor", "role", NULL};
	const char *usage = "mcred feedback respond [--store URL] --questionnaire ID (--credential C | --template T "
	                    "[--version N]) --answers R.json [--role learner|employer|peer] [--respondent NAME]";
	cli_args a;
	int64_t v;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "questionnaire") || !cli_opt(&a, "answers") ||
	    (!cli_opt(&a, "credential") && !cli_opt(&a, "template")) || (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0)
		return cli_usage(usage);
	size_t len;
	char *ans = cli_read(cli_opt(&a, "answers"), &len);
	if (!ans)
		return EXIT_INPUT;
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc) {
		free(ans);
		return rc;
	}
	mc_qa_actor w = actor(&a, cli_opt(&a, "credential") ? MC_QA_ROLE_LEARNER : MC_QA_ROLE_EMPLOYER);
	mc_qa_response_in in = {.questionnaire = cli_opt(&a, "questionnaire"), .template_id = cli_opt(&a, "template"),
	                        .template_version = v, .credential_id = cli_opt(&a, "credential"),
	                        .respondent = cli_opt(&a, "respondent"), .answers = ans};
	char *id = NULL;
	mc_err err = {0};
	mc_status st = mc_qa_respond(s, &in, &w, &id, &err);
	rc = st == MC_OK ? (printf("response %s recorded\n", id), EXIT_OK) : cli_fail(cli_opt(&a, "answers"), st, &err);
	mc_free(id);
	free(ans);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int fb_aggregate_export(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "version", "min-group", "questionnaire", "out", NULL};
	bool csv = strcmp(g, "export") == 0;
	cli_args a;
	int64_t v, mg;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "template") ||
	    (csv ? !cli_opt(&a, "questionnaire") || cli_opt(&a, "min-group") : cli_opt(&a, "questionnaire") != NULL) ||
	    (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0 || (mg = num_opt(&a, "min-group", 0, 1, 1000000)) < 0)
		return cli_usage(csv ? "mcred feedback export [--store URL] --questionnaire ID --template T [--version N] "
		                       "[--out F.csv]"
		                     : "mcred feedback aggregate [--store URL] --template T [--version N] [--min-group N]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = csv ? mc_qa_feedback_csv(s, cli_opt(&a, "questionnaire"), cli_opt(&a, "template"), v, &out, &err)
	                   : mc_qa_feedback_aggregate(s, cli_opt(&a, "template"), v, (int)mg, &out, &err);
	if (st == MC_OK && csv) {
		/* the CSV ends in CRLF already: no extra newline */
		size_t n = strlen(out);
		rc = cli_write(cli_opt(&a, "out"), out, n ? n - 2 : 0, 0) ? EXIT_SYSTEM : EXIT_OK;
		mc_free(out);
	} else {
		rc = emit(&a, out, st, csv ? "feedback export" : "feedback aggregate", &err);
	}
	mc_store_close(s);
	return rc;
}

static int fb_pending(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "questionnaire", "out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "template"))
		return cli_usage("mcred feedback pending [--store URL] --template T [--questionnaire ID] [--out F]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	const char *q = cli_opt(&a, "questionnaire");
	char *out = NULL;
	mc_err err = {0};
	mc_status st = mc_qa_feedback_pending(s, cli_opt(&a, "template"), q ? q : "learner-default", &out, &err);
	rc = emit(&a, out, st, "feedback pending", &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

/* ---- outcome ------------------------------------------------------------------ */

static int oc_recognition(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store",   "template", "version", "credential", "institution",
	                                 "country", "decision", "purpose", "date",       "actor", NULL};
	cli_args a;
	int64_t v, when;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "template") || !cli_opt(&a, "institution") ||
	    !cli_opt(&a, "decision") || (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0 ||
	    parse_time(cli_opt(&a, "date"), &when))
		return cli_usage("mcred outcome recognition [--store URL] --template T [--version N] --institution NAME "
		                 "--decision recognised|partially-recognised|not-recognised [--country CC] [--purpose T] "
		                 "[--date T]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	mc_qa_recognition_in in = {cli_opt(&a, "template"),    v, cli_opt(&a, "credential"), cli_opt(&a, "institution"),
	                           cli_opt(&a, "country"),     cli_opt(&a, "decision"),  cli_opt(&a, "purpose"), when};
	mc_err err = {0};
	mc_status st = mc_qa_recognition_add(s, &in, &w, &err);
	rc = st == MC_OK ? (printf("recognition decision recorded\n"), EXIT_OK) : cli_fail("outcome recognition", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int oc_employment(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "version", "credential", "months", "status", "in-field",
	                                 "actor", NULL};
	cli_args a;
	int64_t v, m;
	const char *f = NULL;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "template") || !cli_opt(&a, "status") ||
	    (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0 || (m = num_opt(&a, "months", -1, 0, 120)) < 0 ||
	    ((f = cli_opt(&a, "in-field")) && strcmp(f, "yes") && strcmp(f, "no")))
		return cli_usage("mcred outcome employment [--store URL] --template T [--version N] --months M --status "
		                 "employed|self-employed|unemployed|studying|other [--in-field yes|no]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	mc_qa_employment_in in = {cli_opt(&a, "template"), v, cli_opt(&a, "credential"), (int)m, cli_opt(&a, "status"),
	                          f ? strcmp(f, "yes") == 0 : -1};
	mc_err err = {0};
	mc_status st = mc_qa_employment_add(s, &in, &w, &err);
	rc = st == MC_OK ? (printf("employment follow-up recorded\n"), EXIT_OK) : cli_fail("outcome employment", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int oc_show(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "template", "version", "min-group", "out", NULL};
	cli_args a;
	int64_t v, mg;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "template") ||
	    (v = num_opt(&a, "version", 0, 0, INT64_MAX)) < 0 || (mg = num_opt(&a, "min-group", 0, 1, 1000000)) < 0)
		return cli_usage("mcred outcome show [--store URL] --template T [--version N] [--min-group N]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st = mc_qa_outcomes(s, cli_opt(&a, "template"), v, (int)mg, &out, &err);
	rc = emit(&a, out, st, "outcome show", &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

/* ---- maturity ------------------------------------------------------------------- */

static int mt_new(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "title", "provider", "actor", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos || !cli_opt(&a, "title"))
		return cli_usage("mcred maturity new [--store URL] --title T [--provider P]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	char *id = NULL;
	mc_err err = {0};
	mc_status st = mc_qa_maturity_new(s, cli_opt(&a, "provider"), cli_opt(&a, "title"), &w, &id, &err);
	rc = st == MC_OK ? (printf("%s\n", id), EXIT_OK) : cli_fail("maturity new", st, &err);
	mc_free(id);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int mt_score(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "participant", "question", "colour", "note", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 1 || !cli_opt(&a, "participant") ||
	    !cli_opt(&a, "question") || !cli_opt(&a, "colour"))
		return cli_usage("mcred maturity score [--store URL] SESSION --participant NAME --question ID "
		                 "--colour green|yellow|red [--note T]");
	mc_qa_colour c;
	if (mc_qa_colour_parse(cli_opt(&a, "colour"), &c) != MC_OK) {
		fprintf(stderr, "mcred: maturity score: --colour is green, yellow or red, not '%s'\n", cli_opt(&a, "colour"));
		return EXIT_INPUT;
	}
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_err err = {0};
	mc_status st = mc_qa_maturity_score(s, a.pos[0], cli_opt(&a, "participant"), cli_opt(&a, "question"), c,
	                                    cli_opt(&a, "note"), &err);
	rc = st == MC_OK ? EXIT_OK : cli_fail("maturity score", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int mt_stage(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "actor", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 2 ||
	    (strcmp(a.pos[1], "discussion") && strcmp(a.pos[1], "closed")))
		return cli_usage("mcred maturity stage [--store URL] SESSION discussion|closed");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_qa_actor w = actor(&a, MC_QA_ROLE_OFFICER);
	mc_err err = {0};
	mc_status st = mc_qa_maturity_stage(s, a.pos[0], strcmp(a.pos[1], "closed") ? MC_QA_STAGE_DISCUSSION
	                                                                          : MC_QA_STAGE_CLOSED,
	                                    &w, &err);
	rc = st == MC_OK ? EXIT_OK : cli_fail("maturity stage", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int mt_action(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "question", "text", "owner", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos != 1 || !cli_opt(&a, "text"))
		return cli_usage("mcred maturity action [--store URL] SESSION --text T [--question ID] [--owner NAME]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	mc_err err = {0};
	mc_status st = mc_qa_maturity_action(s, a.pos[0], cli_opt(&a, "question"), cli_opt(&a, "text"),
	                                     cli_opt(&a, "owner"), &err);
	rc = st == MC_OK ? EXIT_OK : cli_fail("maturity action", st, &err);
	mc_store_close(s);
	(void)g;
	return rc;
}

static int mt_read(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"store", "viewer", "provider", "out", NULL};
	static const char *const fl[] = {"html", NULL};
	bool canvas = strcmp(g, "canvas") == 0, compare = strcmp(g, "compare") == 0, propose = strcmp(g, "propose") == 0;
	cli_args a;
	int want = compare ? 2 : propose ? 0 : 1;
	if (cli_parse(&a, argc, argv, vo, fl) || a.npos != want || (cli_flag(&a, "html") && !canvas) ||
	    (cli_opt(&a, "provider") && !propose))
		return cli_usage(canvas ? "mcred maturity canvas [--store URL] SESSION [--viewer NAME] [--html] [--out F]"
		                 : compare ? "mcred maturity compare [--store URL] OLDER NEWER [--out F]"
		                 : propose ? "mcred maturity propose [--store URL] [--provider P] [--out F]"
		                           : "mcred maturity show [--store URL] SESSION [--viewer NAME] [--out F]");
	mc_store *s;
	int rc = cli_store_open(&a, &s);
	if (rc)
		return rc;
	char *out = NULL;
	mc_err err = {0};
	mc_status st;
	if (compare)
		st = mc_qa_maturity_compare(s, a.pos[0], a.pos[1], &out, &err);
	else if (propose)
		st = mc_qa_maturity_propose(s, NULL, &out, &err);
	else
		st = mc_qa_maturity_view(s, a.pos[0], cli_opt(&a, "viewer"), &out, &err);
	if (st == MC_OK && canvas) {
		char *view = out;
		out = NULL;
		st = cli_flag(&a, "html") ? mc_qa_maturity_html(view, strlen(view), &out, &err)
		                          : mc_qa_maturity_svg(view, strlen(view), &out, &err);
		mc_free(view);
	}
	rc = emit(&a, out, st, "maturity", &err);
	mc_store_close(s);
	return rc;
}

static int mt_model(const char *g, int argc, char **argv)
{
	static const char *const vo[] = {"out", NULL};
	cli_args a;
	if (cli_parse(&a, argc, argv, vo, no_flags) || a.npos)
		return cli_usage("mcred maturity model [--out F]");
	const char *m = mc_qa_maturity_model();
	(void)g;
	return cli_write(cli_opt(&a, "out"), m, strlen(m), 0) ? EXIT_SYSTEM : EXIT_OK;
}

/* ---- dispatch -------------------------------------------------------------------- */

static const sub qa_subs[] = {
	{"notify", qa_notify, "mcred qa notify send|subscriber|outbox ...",
	 "Deliver retirement notifications to webhook and email subscribers (durable outbox, retries, HMAC-signed)."},
	{"config", qa_config, "mcred qa config [--store URL] [--provider P] [--set CONFIG.json]",
	 "Print or store a provider's QA configuration: policy, approval chain, substantial changes, review interval,\n"
	 "minimum feedback group, publishFeedback (docs/qa.md). Without one the IMINQA three-step chain applies."},
	{"submit", qa_submit, "mcred qa submit [--store URL] ID --version N [--provider P] [--actor NAME]",
	 "Submit a draft template version for approval (role proposer). The formal checks run and are printed;\n"
	 "a FAIL refuses the submission (exit 1)."},
	{"review", qa_review,
	 "mcred qa review [--store URL] ID --version N --step STEP --decision approve|reject|request-changes [--comment T]\n"
	 "             | --start [--reason T] | --close [--comment T] | --due T",
	 "Record the decision of the pending approval step (role reviewer; --role qa-officer for a QA office step),\n"
	 "open/close a periodic review of a published version, or set its next review date (qa-officer)."},
	{"publish", qa_publish_retire, "mcred qa publish [--store URL] ID --version N [--actor NAME]",
	 "Publish an approved or modified version (qa-officer); an older published version is superseded."},
	{"modify", qa_modify, "mcred qa modify [--store URL] ID --version N --achievement A.json [--role proposer|qa-officer]",
	 "Save a modification of a published version as the next version; substantial changes need re-approval."},
	{"retire", qa_publish_retire, "mcred qa retire [--store URL] ID --version N [--reason T] [--actor NAME]",
	 "Retire a version (qa-officer): the catalogue stops, credentials stay valid, holders are listed for notice."},
	{"overdue", qa_overdue_page, "mcred qa overdue [--store URL] [--provider P] [--now T] [--out F]",
	 "List published versions whose periodic review is overdue (JSON)."},
	{"show", qa_show, "mcred qa show [--store URL] ID (--version N | --notifications) [--out F]",
	 "Print the QA record of a version (state, chain, checks, history) or the retirement notifications."},
	{"page", qa_overdue_page, "mcred qa page [--store URL] [--provider P] [--now T] [--out F]",
	 "Print the provider's public QA information (ESG 1.8) as JSON."},
	{NULL, NULL, NULL, NULL},
};

static const sub fb_subs[] = {
	{"questionnaire", fb_questionnaire,
	 "mcred feedback questionnaire [--store URL] (--default learner|employer|peer | --show ID [--version N] | --save Q.json)",
	 "Print a shipped default, print a stored questionnaire, or save one (a new version when it changed)."},
	{"respond", fb_respond,
	 "mcred feedback respond [--store URL] --questionnaire ID (--credential C | --template T [--version N])\n"
	 "             --answers R.json [--role learner|employer|peer] [--respondent NAME]",
	 "Record a response {\"answers\":{...}}: learners answer for a credential they hold (once), employers and\n"
	 "peers for a specification."},
	{"pending", fb_pending, "mcred feedback pending [--store URL] --template T [--questionnaire ID] [--out F]",
	 "List holders to invite after completion: credentials that have not answered the questionnaire\n"
	 "(default learner-default), neither revoked nor erased."},
	{"aggregate", fb_aggregate_export, "mcred feedback aggregate [--store URL] --template T [--version N] [--min-group N]",
	 "Print anonymous aggregates; groups and questions below the minimum size show no numbers."},
	{"export", fb_aggregate_export,
	 "mcred feedback export [--store URL] --questionnaire ID --template T [--version N] [--out F.csv]",
	 "Write the responses as CSV without credential, learner or respondent."},
	{NULL, NULL, NULL, NULL},
};

static const sub oc_subs[] = {
	{"recognition", oc_recognition,
	 "mcred outcome recognition [--store URL] --template T [--version N] --institution NAME --decision D [--country CC]",
	 "Record a recognition decision another institution took on the micro-credential."},
	{"employment", oc_employment,
	 "mcred outcome employment [--store URL] --template T [--version N] --months M --status S [--in-field yes|no]",
	 "Record an employment follow-up of a holder (anonymous)."},
	{"show", oc_show, "mcred outcome show [--store URL] --template T [--version N] [--min-group N]",
	 "Print recognition decisions and employment follow-ups (suppressed below the minimum group)."},
	{NULL, NULL, NULL, NULL},
};

static const sub mt_subs[] = {
	{"model", mt_model, "mcred maturity model [--out F]", "Print the EDEH maturity model questions shipped with mcred."},
	{"new", mt_new, "mcred maturity new [--store URL] --title T [--provider P]", "Start a workshop session; prints its id."},
	{"score", mt_score,
	 "mcred maturity score [--store URL] SESSION --participant NAME --question ID --colour green|yellow|red [--note T]",
	 "Give a first indication (first stage) or a revised one (discussion) for a question such as T5 or Q23."},
	{"stage", mt_stage, "mcred maturity stage [--store URL] SESSION discussion|closed",
	 "Reveal everyone's first indications (discussion) or close the session."},
	{"action", mt_action, "mcred maturity action [--store URL] SESSION --text T [--question ID] [--owner NAME]",
	 "Record an action agreed in the workshop."},
	{"show", mt_read, "mcred maturity show [--store URL] SESSION [--viewer NAME] [--out F]",
	 "Print the session (JSON); in the first stage a viewer sees only their own indications."},
	{"propose", mt_read, "mcred maturity propose [--store URL] [--out F]",
	 "Print the colours the platform proposes from the store, with the evidence."},
	{"compare", mt_read, "mcred maturity compare [--store URL] OLDER NEWER [--out F]",
	 "Compare two sessions question by question."},
	{"canvas", mt_read, "mcred maturity canvas [--store URL] SESSION [--viewer NAME] [--html] [--out F]",
	 "Draw the boardroom canvas as SVG, or a printable HTML page (A3 landscape) with --html."},
	{NULL, NULL, NULL, NULL},
};

static int dispatch(const char *group, const sub *subs, int argc, char **argv)
{
	if (argc >= 1)
		for (const sub *c = subs; c->name; c++)
			if (strcmp(c->name, argv[0]) == 0)
				return c->run(c->name, argc - 1, argv + 1);
	fprintf(stderr, "mcred: %s needs a subcommand:\n", group);
	for (const sub *c = subs; c->name; c++)
		fprintf(stderr, "  %s\n", c->usage);
	return EXIT_USAGE;
}

int cmd_qa(int argc, char **argv)
{
	return dispatch("qa", qa_subs, argc, argv);
}

int cmd_feedback(int argc, char **argv)
{
	return dispatch("feedback", fb_subs, argc, argv);
}

int cmd_outcome(int argc, char **argv)
{
	return dispatch("outcome", oc_subs, argc, argv);
}

int cmd_maturity(int argc, char **argv)
{
	return dispatch("maturity", mt_subs, argc, argv);
}
