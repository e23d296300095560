/*
 * model.c - lifetime and comparison of mc__model, language maps, and the
 * small field readers every document reader shares. The readers never stop
 * at a problem: they record it in the report and go on, so a caller sees
 * every problem of a document in one pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* ---- language maps -------------------------------------------------------- */

/* strdup through mc__malloc: arena memory while verifying. */
static char *sdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = mc__malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

void mc__lmap_release(mc__lmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		mc__free(m->v[i].lang);
		mc__free(m->v[i].text);
	}
	mc__free(m->v);
	m->v = NULL;
	m->n = 0;
}

mc_status mc__lmap_add(mc__lmap *m, const char *lang, const char *text)
{
	if (m->n >= MC_MODEL_MAX_ITEMS)
		return MC_ERR_VALUE;
	mc__text *nv = mc__realloc(m->v, (m->n + 1) * sizeof *nv);
	if (!nv)
		return MC_ERR_NOMEM;
	m->v = nv;
	char *l = sdup(lang), *t = sdup(text);
	if (!l || !t) {
		mc__free(l);
		mc__free(t);
		return MC_ERR_NOMEM;
	}
	m->v[m->n].lang = l;
	m->v[m->n].text = t;
	m->n++;
	return MC_OK;
}

const char *mc__lmap_pick(const mc__lmap *m, const char *lang)
{
	for (size_t i = 0; lang && i < m->n; i++)
		if (strcmp(m->v[i].lang, lang) == 0)
			return m->v[i].text;
	return m->n ? m->v[0].text : NULL;
}

bool mc__lmap_equal(const mc__lmap *a, const mc__lmap *b)
{
	if (a->n != b->n)
		return false;
	/* keys are unique (strict JSON refuses duplicate keys), so counting
	 * matches of a in b is a set comparison */
	for (size_t i = 0; i < a->n; i++) {
		bool found = false;
		for (size_t j = 0; j < b->n && !found; j++)
			found = strcmp(a->v[i].lang, b->v[j].lang) == 0 && strcmp(a->v[i].text, b->v[j].text) == 0;
		if (!found)
			return false;
	}
	return true;
}

cJSON *mc__lmap_json(const mc__lmap *m)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; o && i < m->n; i++) {
		if (!cJSON_AddStringToObject(o, m->v[i].lang, m->v[i].text)) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

cJSON *mc__lmap_json_input(const mc__lmap *m, const char *deflang)
{
	if (m->n == 1 && strcmp(m->v[0].lang, deflang) == 0)
		return cJSON_CreateString(m->v[0].text);
	return mc__lmap_json(m);
}

/* ---- model lifetime --------------------------------------------------------- */

void mc__model_init(mc__model *m)
{
	memset(m, 0, sizeof *m);
}

static void strlist_release(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mc__free(v[i]);
	mc__free(v);
}

void mc__model_release(mc__model *m)
{
	mc__free(m->ach_id);
	mc__free(m->deflang);
	mc__lmap_release(&m->title);
	mc__lmap_release(&m->description);
	for (size_t i = 0; i < m->noutcomes; i++) {
		mc__lmap_release(&m->outcomes[i].text);
		strlist_release(m->outcomes[i].skills, m->outcomes[i].nskills);
	}
	mc__free(m->outcomes);
	mc__free(m->nqf_framework);
	mc__free(m->nqf_level);
	mc__lmap_release(&m->assessment_desc);
	mc__lmap_release(&m->qa_desc);
	mc__free(m->qa_agency);
	mc__free(m->qa_url);
	mc__lmap_release(&m->prerequisites);
	for (size_t i = 0; i < m->nstack_into; i++) {
		mc__free(m->stack_into[i].id);
		mc__lmap_release(&m->stack_into[i].title);
	}
	mc__free(m->stack_into);
	mc__lmap_release(&m->further_info);
	strlist_release(m->languages, m->nlanguages);
	mc__free(m->awarding_id);
	mc__lmap_release(&m->awarding_name);
	mc__free(m->awarding_url);
	mc__lmap_release(&m->grading_scheme);
	mc__free(m->iss_id);
	mc__lmap_release(&m->iss_name);
	mc__free(m->region);
	mc__free(m->iss_url);
	mc__free(m->iss_email);
	for (size_t i = 0; i < m->niss_ids; i++)
		mc__free(m->iss_ids[i].value);
	mc__free(m->iss_ids);
	char **learner[] = {&m->lr_id,         &m->lr_name,        &m->lr_given, &m->lr_family, &m->lr_email,
	                    &m->lr_student_id, &m->lr_external_id, &m->grade,    &m->issued,    &m->valid_until};
	for (size_t i = 0; i < sizeof learner / sizeof learner[0]; i++)
		mc__free(*learner[i]);
	mc__model_init(m);
}

/* ---- equality (used by the round-trip tests and by build's self-check) -------- */

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool strlist_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!str_eq(a[i], b[i]))
			return false;
	return true;
}

bool mc__model_equal(const mc__model *a, const mc__model *b, const char **where)
{
	const char *w = NULL;
#define CHECK(cond, name)                 \
	do {                              \
		if (!w && !(cond))        \
			w = (name);       \
	} while (0)
	CHECK(str_eq(a->ach_id, b->ach_id), "achievement id");
	CHECK(str_eq(a->deflang, b->deflang), "defaultLanguage");
	CHECK(mc__lmap_equal(&a->title, &b->title), "title");
	CHECK(mc__lmap_equal(&a->description, &b->description), "description");
	CHECK(a->noutcomes == b->noutcomes, "learningOutcomes count");
	for (size_t i = 0; !w && i < a->noutcomes; i++) {
		CHECK(mc__lmap_equal(&a->outcomes[i].text, &b->outcomes[i].text), "learningOutcomes text");
		CHECK(strlist_eq(a->outcomes[i].skills, a->outcomes[i].nskills, b->outcomes[i].skills,
		                 b->outcomes[i].nskills),
		      "learningOutcomes skills");
	}
	CHECK(a->ects == b->ects, "ects");
	CHECK(a->workload_hours == b->workload_hours, "workloadHours");
	CHECK(a->eqf == b->eqf, "eqfLevel");
	CHECK(a->qfehea == b->qfehea, "qfEheaCycle");
	CHECK(str_eq(a->nqf_framework, b->nqf_framework), "nqf.framework");
	CHECK(str_eq(a->nqf_level, b->nqf_level), "nqf.level");
	CHECK(a->assessment == b->assessment, "assessment.type");
	CHECK(mc__lmap_equal(&a->assessment_desc, &b->assessment_desc), "assessment.description");
	CHECK(a->participation == b->participation, "participation");
	CHECK(a->qa_type == b->qa_type, "qualityAssurance.type");
	CHECK(mc__lmap_equal(&a->qa_desc, &b->qa_desc), "qualityAssurance.description");
	CHECK(str_eq(a->qa_agency, b->qa_agency), "qualityAssurance.agency");
	CHECK(str_eq(a->qa_url, b->qa_url), "qualityAssurance.url");
	CHECK(mc__lmap_equal(&a->prerequisites, &b->prerequisites), "prerequisites");
	CHECK(a->supervision == b->supervision, "supervision");
	CHECK(a->idverif == b->idverif, "identityVerification");
	CHECK(a->has_stack == b->has_stack && a->standalone == b->standalone, "stackability.standalone");
	CHECK(a->nstack_into == b->nstack_into, "stackability.stackableInto count");
	for (size_t i = 0; !w && i < a->nstack_into; i++) {
		CHECK(str_eq(a->stack_into[i].id, b->stack_into[i].id), "stackableInto id");
		CHECK(mc__lmap_equal(&a->stack_into[i].title, &b->stack_into[i].title), "stackableInto title");
	}
	CHECK(mc__lmap_equal(&a->further_info, &b->further_info), "furtherInformation");
	CHECK(strcmp(a->iscedf, b->iscedf) == 0, "iscedF");
	CHECK(strlist_eq(a->languages, a->nlanguages, b->languages, b->nlanguages), "languages");
	CHECK(a->has_awarding == b->has_awarding, "awardingBody");
	CHECK(str_eq(a->awarding_id, b->awarding_id), "awardingBody.id");
	CHECK(mc__lmap_equal(&a->awarding_name, &b->awarding_name), "awardingBody.name");
	CHECK(str_eq(a->awarding_url, b->awarding_url), "awardingBody.url");
	CHECK(mc__lmap_equal(&a->grading_scheme, &b->grading_scheme), "gradingScheme");
	CHECK(str_eq(a->iss_id, b->iss_id), "issuer id");
	CHECK(mc__lmap_equal(&a->iss_name, &b->iss_name), "issuer name");
	CHECK(strcmp(a->country, b->country) == 0, "country");
	CHECK(str_eq(a->region, b->region), "region");
	CHECK(str_eq(a->iss_url, b->iss_url), "issuer url");
	CHECK(str_eq(a->iss_email, b->iss_email), "issuer email");
	CHECK(a->niss_ids == b->niss_ids, "identifiers count");
	for (size_t i = 0; !w && i < a->niss_ids; i++) {
		CHECK(a->iss_ids[i].scheme == b->iss_ids[i].scheme, "identifiers scheme");
		CHECK(str_eq(a->iss_ids[i].value, b->iss_ids[i].value), "identifiers value");
	}
	CHECK(str_eq(a->lr_id, b->lr_id), "learner id");
	CHECK(str_eq(a->lr_name, b->lr_name), "learner name");
	CHECK(str_eq(a->lr_given, b->lr_given), "givenName");
	CHECK(str_eq(a->lr_family, b->lr_family), "familyName");
	CHECK(str_eq(a->lr_email, b->lr_email), "learner email");
	CHECK(str_eq(a->lr_student_id, b->lr_student_id), "studentId");
	CHECK(str_eq(a->lr_external_id, b->lr_external_id), "externalId");
	CHECK(str_eq(a->grade, b->grade), "grade");
	CHECK(str_eq(a->issued, b->issued), "issued");
	CHECK(str_eq(a->valid_until, b->valid_until), "validUntil");
#undef CHECK
	if (where)
		*where = w;
	return w == NULL;
}

/* ---- small helpers ---------------------------------------------------------- */

mc_status mc__strdup_to(char **dst, const char *s)
{
	mc__free(*dst);
	*dst = NULL;
	if (!s)
		return MC_OK;
	*dst = sdup(s);
	return *dst ? MC_OK : MC_ERR_NOMEM;
}

mc_status mc__strlist_add(char ***v, size_t *n, const char *s)
{
	char **nv = mc__realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return MC_ERR_NOMEM;
	*v = nv;
	if (!(nv[*n] = sdup(s)))
		return MC_ERR_NOMEM;
	(*n)++;
	return MC_OK;
}

bool mc__date_norm(const char *s, char out[40], int64_t *t)
{
	size_t n = strlen(s);
	if (n >= 40 || !mc__time_parse(s, true, t))
		return false;
	if (n == 10) /* a bare date: VC 2.0 wants a dateTime, so midnight UTC */
		snprintf(out, 40, "%sT00:00:00Z", s);
	else
		memcpy(out, s, n + 1);
	return true;
}

bool mc__has_type(const cJSON *node, const char *type)
{
	const cJSON *t = mc__json_get(node, "type");
	if (cJSON_IsString(t))
		return strcmp(t->valuestring, type) == 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, t)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, type) == 0)
			return true;
	}
	return false;
}

mc_status mc__report_first(const mc_report *rep, mc_err *err, mc_status status)
{
	const mc_finding *first = NULL;
	size_t fails = 0;
	for (size_t i = 0; i < mc_report_count(rep); i++) {
		const mc_finding *f = mc_report_get(rep, i);
		if (f->result == MC_FAIL) {
			fails++;
			if (!first)
				first = f;
		}
	}
	if (!first)
		return MC_OK;
	mc_status code = status != MC_OK ? status : first->code != MC_OK ? first->code : MC_ERR_INVALID;
	if (fails > 1)
		return mc__fail(err, code, first->path, "%s (%zu problems in total)", first->message, fails);
	return mc__fail(err, code, first->path, "%s", first->message);
}

/* ---- field readers ------------------------------------------------------------ */

void mc__rd_fail(mc__rd *rd, mc_status code, const char *path, const char *fmt, ...)
{
	char msg[768], full[MC_ERR_PATH_MAX + 32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (rd->doc)
		snprintf(full, sizeof full, "%s: %s", rd->doc, path);
	else
		snprintf(full, sizeof full, "%s", path);
	if (mc__report_add(rd->rep, MC__CHECK_EU, MC_FAIL, code, full, "%s", msg) != MC_OK)
		rd->st = MC_ERR_NOMEM;
}

static void nomem(mc__rd *rd, mc_status st)
{
	if (st == MC_ERR_NOMEM)
		rd->st = MC_ERR_NOMEM;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

int mc__rd_str(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what, char **out)
{
	const cJSON *n = mc__json_get(obj, key);
	if (cJSON_IsString(n) && !blank(n->valuestring)) {
		/* the common case builds no path: paths are for messages only */
		nomem(rd, mc__strdup_to(out, n->valuestring));
		return 1;
	}
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	if (!n) {
		if (what)
			mc__rd_fail(rd, MC_ERR_MISSING, path, "%s is missing", what);
		return 0;
	}
	if (!cJSON_IsString(n)) {
		mc__rd_fail(rd, MC_ERR_TYPE, path, "must be a string");
		return -1;
	}
	if (blank(n->valuestring)) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "must not be empty");
		return -1;
	}
	nomem(rd, mc__strdup_to(out, n->valuestring));
	return 1;
}

int mc__rd_text_node(mc__rd *rd, const cJSON *n, const char *path, const char *deflang, mc__lmap *out)
{
	if (cJSON_IsString(n)) {
		if (blank(n->valuestring)) {
			mc__rd_fail(rd, MC_ERR_VALUE, path, "must not be empty");
			return -1;
		}
		nomem(rd, mc__lmap_add(out, deflang ? deflang : MC__DEFAULT_LANG, n->valuestring));
		return 1;
	}
	if (!cJSON_IsObject(n)) {
		mc__rd_fail(rd, MC_ERR_TYPE, path, "must be a text: a string or a language map such as {\"en\": \"...\"}");
		return -1;
	}
	int count = cJSON_GetArraySize(n);
	if (count == 0) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "language map is empty: give the text in at least one language");
		return -1;
	}
	if (count > MC_MODEL_MAX_ITEMS) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "has %d languages; at most %d are accepted", count,
		            MC_MODEL_MAX_ITEMS);
		return -1;
	}
	int ok = 1;
	const cJSON *e;
	cJSON_ArrayForEach(e, n)
	{
		if (mc__lang_valid(e->string) && cJSON_IsString(e) && !blank(e->valuestring)) {
			nomem(rd, mc__lmap_add(out, e->string, e->valuestring));
			continue;
		}
		char ep[MC_ERR_PATH_MAX];
		mc__path_key(ep, sizeof ep, path, e->string);
		if (!mc__lang_valid(e->string)) {
			mc__rd_fail(rd, MC_ERR_VALUE, ep,
			            "\"%.40s\" is not a language tag: use an ISO 639-1 code such as \"en\" or \"de-AT\"",
			            e->string);
			ok = -1;
		} else if (!cJSON_IsString(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be a string");
			ok = -1;
		} else if (blank(e->valuestring)) {
			mc__rd_fail(rd, MC_ERR_VALUE, ep, "must not be empty");
			ok = -1;
		} else {
			nomem(rd, mc__lmap_add(out, e->string, e->valuestring));
		}
	}
	return ok;
}

int mc__rd_text(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what,
                const char *deflang, mc__lmap *out)
{
	const cJSON *n = mc__json_get(obj, key);
	if (cJSON_IsString(n) && !blank(n->valuestring)) {
		nomem(rd, mc__lmap_add(out, deflang ? deflang : MC__DEFAULT_LANG, n->valuestring));
		return 1;
	}
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	if (!n) {
		if (what)
			mc__rd_fail(rd, MC_ERR_MISSING, path, "%s is missing", what);
		return 0;
	}
	return mc__rd_text_node(rd, n, path, deflang, out);
}

int mc__rd_code(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const mc__vocab *v,
                bool mandatory, int *out)
{
	char *s = NULL;
	int r = mc__rd_str(rd, obj, base, key, mandatory ? v->what : NULL, &s);
	if (r == 1) {
		*out = mc__vocab_find(v, s);
		if (!*out) {
			char path[MC_ERR_PATH_MAX], list[256];
			mc__path_key(path, sizeof path, base, key);
			mc__vocab_list(v, list, sizeof list);
			mc__rd_fail(rd, MC_ERR_VALUE, path, "\"%.60s\" is not a known %s; use one of %s", s, v->what,
			            list);
			r = -1;
		}
	}
	mc__free(s);
	return r;
}

int mc__rd_iri(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what, char **out)
{
	int r = mc__rd_str(rd, obj, base, key, what, out);
	if (r == 1 && !mc__iri_valid(*out)) {
		char path[MC_ERR_PATH_MAX];
		mc__path_key(path, sizeof path, base, key);
		mc__rd_fail(rd, MC_ERR_VALUE, path, "must be an absolute IRI such as a URL, DID or URN");
		mc__free(*out);
		*out = NULL;
		r = -1;
	}
	return r;
}

const cJSON *mc__rd_array(mc__rd *rd, const cJSON *obj, const char *base, const char *key, bool nonempty,
                          const char *what)
{
	const cJSON *n = mc__json_get(obj, key);
	int count = cJSON_IsArray(n) ? cJSON_GetArraySize(n) : -1;
	if (count > 0 && count <= MC_MODEL_MAX_ITEMS)
		return n; /* the common case builds no path */
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	if (!n) {
		if (what)
			mc__rd_fail(rd, MC_ERR_MISSING, path, "%s is missing", what);
		return NULL;
	}
	if (!cJSON_IsArray(n)) {
		mc__rd_fail(rd, MC_ERR_TYPE, path, "must be an array");
		return NULL;
	}
	if (count == 0 && nonempty) {
		mc__rd_fail(rd, MC_ERR_MISSING, path, "%s: the list is empty", what ? what : "list");
		return NULL;
	}
	if (count > MC_MODEL_MAX_ITEMS) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "has %d items; at most %d are accepted", count, MC_MODEL_MAX_ITEMS);
		return NULL;
	}
	return n;
}

const cJSON *mc__rd_obj(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *what,
                           char path[MC_ERR_PATH_MAX])
{
	mc__path_key(path, MC_ERR_PATH_MAX, base, key);
	const cJSON *n = mc__json_get(obj, key);
	if (!n) {
		if (what)
			mc__rd_fail(rd, MC_ERR_MISSING, path, "%s is missing", what);
		return NULL;
	}
	if (!cJSON_IsObject(n)) {
		mc__rd_fail(rd, MC_ERR_TYPE, path, "must be an object");
		return NULL;
	}
	return n;
}
