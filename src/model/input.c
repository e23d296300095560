/*
 * input.c - read the three input documents of mc_credential_build
 * (achievement template, issuer profile, learner; formats in docs/model.md)
 * into an mc__model, reporting every problem with a path such as
 * "achievement: $.ects". Unknown members are refused: in a document a person
 * writes by hand, an unknown key is nearly always a typo of a known one, and
 * silently dropping "ECTS" would issue a credential without a workload.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

static void check_keys(mc__rd *rd, const cJSON *obj, const char *base, const char *const *allowed)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, obj)
	{
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, e->string) == 0;
		if (!ok) {
			char path[MC_ERR_PATH_MAX];
			mc__path_key(path, sizeof path, base, e->string);
			mc__rd_fail(rd, MC_ERR_VALUE, path, "unknown field (see docs/model.md for the input format)");
		}
	}
}


/* Integer member in [lo, hi]; 1 present+valid, 0 absent, -1 invalid. */
static int rd_int(mc__rd *rd, const cJSON *obj, const char *base, const char *key, int lo, int hi, int *out)
{
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	const cJSON *n = mc__json_get(obj, key);
	if (!n)
		return 0;
	if (!cJSON_IsNumber(n)) {
		mc__rd_fail(rd, MC_ERR_TYPE, path, "must be a number");
		return -1;
	}
	double d = n->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < lo || d > hi) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "must be a whole number from %d to %d", lo, hi);
		return -1;
	}
	*out = (int)d;
	return 1;
}

static void rd_skills(mc__rd *rd, const cJSON *arr, const char *base, mc__outcome *o)
{
	/* ESCO skills first, then other frameworks: the credential keeps them
	 * in two ELM properties, so this is the order a round trip returns. */
	for (int pass = 0; pass < 2; pass++) {
		int i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, arr)
		{
			char path[MC_ERR_PATH_MAX];
			mc__path_index(path, sizeof path, base, (size_t)i++);
			if (!cJSON_IsString(e) || !mc__iri_valid(e->valuestring)) {
				if (pass == 0)
					mc__rd_fail(rd, MC_ERR_VALUE, path,
					            "a skill must be an IRI such as an ESCO skill URI");
				continue;
			}
			bool esco = strncmp(e->valuestring, MC__ESCO_SKILL_IRI, strlen(MC__ESCO_SKILL_IRI)) == 0;
			if ((pass == 0) == esco && mc__strlist_add(&o->skills, &o->nskills, e->valuestring) != MC_OK)
				rd->st = MC_ERR_NOMEM;
		}
	}
}

static void rd_outcomes(mc__rd *rd, mc__model *m, const cJSON *ach)
{
	const cJSON *arr = mc__rd_array(rd, ach, "$", "learningOutcomes", true, "the learning outcomes");
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	m->outcomes = mc__calloc(n, sizeof *m->outcomes);
	if (!m->outcomes) {
		rd->st = MC_ERR_NOMEM;
		return;
	}
	m->noutcomes = n;
	static const char *const keys[] = {"text", "skills", NULL};
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char path[MC_ERR_PATH_MAX];
		mc__path_index(path, sizeof path, "$.learningOutcomes", i);
		mc__outcome *o = &m->outcomes[i++];
		/* {"text": .., "skills": [..]} or the text alone; "text" is never
		 * a language tag, so the two forms cannot be confused */
		if (cJSON_IsObject(e) && (mc__json_get(e, "text") || mc__json_get(e, "skills"))) {
			check_keys(rd, e, path, keys);
			mc__rd_text(rd, e, path, "text", "the learning outcome text", m->deflang, &o->text);
			char sp[MC_ERR_PATH_MAX];
			mc__path_key(sp, sizeof sp, path, "skills");
			const cJSON *sk = mc__rd_array(rd, e, path, "skills", false, NULL);
			if (sk)
				rd_skills(rd, sk, sp, o);
		} else {
			mc__rd_text_node(rd, e, path, m->deflang, &o->text);
		}
	}
}

static void rd_level(mc__rd *rd, mc__model *m, const cJSON *ach)
{
	int r1 = rd_int(rd, ach, "$", "eqfLevel", 1, 8, &m->eqf);
	int r2 = mc__rd_code(rd, ach, "$", "qfEheaCycle", &mc__v_qfehea, false, &m->qfehea);
	int r3 = 0;
	char path[MC_ERR_PATH_MAX];
	const cJSON *nqf = mc__rd_obj(rd, ach, "$", "nqf", NULL, path);
	if (nqf) {
		static const char *const keys[] = {"framework", "level", NULL};
		check_keys(rd, nqf, path, keys);
		int a = mc__rd_str(rd, nqf, path, "framework", "the national qualifications framework", &m->nqf_framework);
		int b = mc__rd_str(rd, nqf, path, "level", "the NQF level", &m->nqf_level);
		r3 = a == 1 && b == 1 ? 1 : -1;
	} else if (mc__json_get(ach, "nqf")) {
		r3 = -1;
	}
	if (r1 == 0 && r2 == 0 && r3 == 0)
		mc__rd_fail(rd, MC_ERR_MISSING, "$.eqfLevel",
		            "the level is missing: give eqfLevel (1-8), qfEheaCycle or nqf {framework, level}");
}

static void rd_achievement(mc__rd *rd, mc__model *m, const cJSON *a)
{
	static const char *const keys[] = {
		"id",          "defaultLanguage", "title",        "description",    "learningOutcomes",
		"ects",        "workloadHours",   "eqfLevel",     "qfEheaCycle",    "nqf",
		"assessment",  "participation",   "qualityAssurance", "prerequisites", "supervision",
		"identityVerification", "stackability", "furtherInformation", "iscedF", "languages",
		"awardingBody", "gradingScheme",  NULL};
	char path[MC_ERR_PATH_MAX];
	check_keys(rd, a, "$", keys);
	mc__rd_iri(rd, a, "$", "id", NULL, &m->ach_id);
	if (mc__rd_str(rd, a, "$", "defaultLanguage", NULL, &m->deflang) == 1 && !mc__lang_valid(m->deflang))
		mc__rd_fail(rd, MC_ERR_VALUE, "$.defaultLanguage", "must be an ISO 639-1 language code such as \"en\"");
	if (!m->deflang || !mc__lang_valid(m->deflang))
		if (mc__strdup_to(&m->deflang, MC__DEFAULT_LANG) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	const char *dl = m->deflang ? m->deflang : MC__DEFAULT_LANG;

	mc__rd_text(rd, a, "$", "title", "the title of the micro-credential", dl, &m->title);
	mc__rd_text(rd, a, "$", "description", "the description (Open Badges requires one)", dl, &m->description);
	rd_outcomes(rd, m, a);

	const cJSON *ects = mc__json_get(a, "ects");
	if (!ects)
		mc__rd_fail(rd, MC_ERR_MISSING, "$.ects", "the notional workload in ECTS credits is missing");
	else if (!cJSON_IsNumber(ects))
		mc__rd_fail(rd, MC_ERR_TYPE, "$.ects", "must be a number of ECTS credits, such as 5");
	else if (!(ects->valuedouble > 0 && ects->valuedouble <= MC__MAX_ECTS))
		mc__rd_fail(rd, MC_ERR_VALUE, "$.ects", "must be more than 0 and at most %g ECTS credits", MC__MAX_ECTS);
	else
		m->ects = ects->valuedouble;
	rd_int(rd, a, "$", "workloadHours", 1, MC__MAX_WORKLOAD_HOURS, &m->workload_hours);
	rd_level(rd, m, a);

	const cJSON *as = mc__rd_obj(rd, a, "$", "assessment", "the type of assessment", path);
	if (as) {
		static const char *const ak[] = {"type", "description", NULL};
		check_keys(rd, as, path, ak);
		mc__rd_code(rd, as, path, "type", &mc__v_assessment, true, &m->assessment);
		mc__rd_text(rd, as, path, "description", NULL, dl, &m->assessment_desc);
	}
	mc__rd_code(rd, a, "$", "participation", &mc__v_participation, true, &m->participation);

	const cJSON *qa = mc__rd_obj(rd, a, "$", "qualityAssurance", "the type of quality assurance", path);
	if (qa) {
		static const char *const qk[] = {"type", "description", "agency", "url", NULL};
		check_keys(rd, qa, path, qk);
		mc__rd_code(rd, qa, path, "type", &mc__v_qa, true, &m->qa_type);
		mc__rd_text(rd, qa, path, "description", NULL, dl, &m->qa_desc);
		mc__rd_str(rd, qa, path, "agency", NULL, &m->qa_agency);
		mc__rd_iri(rd, qa, path, "url", NULL, &m->qa_url);
	}

	mc__rd_text(rd, a, "$", "prerequisites", NULL, dl, &m->prerequisites);
	mc__rd_code(rd, a, "$", "supervision", &mc__v_supervision, false, &m->supervision);
	mc__rd_code(rd, a, "$", "identityVerification", &mc__v_idverif, false, &m->idverif);

	const cJSON *st = mc__rd_obj(rd, a, "$", "stackability", NULL, path);
	if (st) {
		static const char *const sk[] = {"standalone", "stackableInto", NULL};
		check_keys(rd, st, path, sk);
		m->has_stack = true;
		char sp[MC_ERR_PATH_MAX];
		mc__path_key(sp, sizeof sp, path, "standalone");
		const cJSON *sa = mc__json_get(st, "standalone");
		if (!sa)
			mc__rd_fail(rd, MC_ERR_MISSING, sp, "say whether the micro-credential stands alone (true/false)");
		else if (!cJSON_IsBool(sa))
			mc__rd_fail(rd, MC_ERR_TYPE, sp, "must be true or false");
		else
			m->standalone = cJSON_IsTrue(sa);
		mc__path_key(sp, sizeof sp, path, "stackableInto");
		const cJSON *into = mc__rd_array(rd, st, path, "stackableInto", false, NULL);
		size_t n = into ? (size_t)cJSON_GetArraySize(into) : 0;
		if (n && !(m->stack_into = mc__calloc(n, sizeof *m->stack_into)))
			rd->st = MC_ERR_NOMEM;
		else
			m->nstack_into = n;
		size_t i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, into)
		{
			char ep[MC_ERR_PATH_MAX];
			mc__path_index(ep, sizeof ep, sp, i);
			mc__stack_target *t = m->stack_into ? &m->stack_into[i] : NULL;
			i++;
			if (!t)
				break;
			if (!cJSON_IsObject(e)) {
				mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an object {\"id\", \"title\"}");
				continue;
			}
			static const char *const tk[] = {"id", "title", NULL};
			check_keys(rd, e, ep, tk);
			mc__rd_iri(rd, e, ep, "id", NULL, &t->id);
			mc__rd_text(rd, e, ep, "title", "the title of the larger credential", dl, &t->title);
		}
	}

	mc__rd_text(rd, a, "$", "furtherInformation", NULL, dl, &m->further_info);
	char *isced = NULL;
	if (mc__rd_str(rd, a, "$", "iscedF", NULL, &isced) == 1) {
		if (mc__iscedf_valid(isced))
			memcpy(m->iscedf, isced, 5);
		else
			mc__rd_fail(rd, MC_ERR_VALUE, "$.iscedF",
			            "must be a 4-digit ISCED-F 2013 field code such as \"0613\" (broad field 00-10 or 99)");
	}
	mc__free(isced);

	const cJSON *langs = mc__rd_array(rd, a, "$", "languages", false, NULL);
	size_t li = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, langs)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, "$.languages", li++);
		if (!cJSON_IsString(e) || !mc__lang_valid(e->valuestring))
			mc__rd_fail(rd, MC_ERR_VALUE, ep, "must be an ISO 639-1 language code such as \"de\"");
		else if (mc__strlist_add(&m->languages, &m->nlanguages, e->valuestring) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	}

	const cJSON *ab = mc__rd_obj(rd, a, "$", "awardingBody", NULL, path);
	if (ab) {
		static const char *const bk[] = {"id", "name", "url", NULL};
		check_keys(rd, ab, path, bk);
		m->has_awarding = true;
		mc__rd_iri(rd, ab, path, "id", NULL, &m->awarding_id);
		mc__rd_text(rd, ab, path, "name", "the name of the awarding body", dl, &m->awarding_name);
		mc__rd_iri(rd, ab, path, "url", NULL, &m->awarding_url);
	}
	mc__rd_text(rd, a, "$", "gradingScheme", NULL, dl, &m->grading_scheme);
}

static void rd_issuer(mc__rd *rd, mc__model *m, const cJSON *s, const char *fallback_id)
{
	static const char *const keys[] = {"id", "name", "country", "region", "url", "email", "identifiers", NULL};
	const char *dl = m->deflang ? m->deflang : MC__DEFAULT_LANG;
	check_keys(rd, s, "$", keys);
	if (mc__rd_iri(rd, s, "$", "id", NULL, &m->iss_id) == 0) {
		if (!fallback_id)
			mc__rd_fail(rd, MC_ERR_MISSING, "$.id", "the issuer's id (a DID) is missing");
		else if (!mc__iri_valid(fallback_id))
			mc__rd_fail(rd, MC_ERR_VALUE, "$.id", "the issuer id given as option is not an absolute IRI");
		else if (mc__strdup_to(&m->iss_id, fallback_id) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	}
	mc__rd_text(rd, s, "$", "name", "the name of the awarding body", dl, &m->iss_name);
	char *cc = NULL;
	if (mc__rd_str(rd, s, "$", "country", "the country of the issuer", &cc) == 1) {
		if (mc__country_valid(cc))
			memcpy(m->country, cc, 3);
		else
			mc__rd_fail(rd, MC_ERR_VALUE, "$.country",
			            "\"%.20s\" is not an ISO 3166-1 alpha-2 country code such as \"AT\"", cc);
	}
	mc__free(cc);
	if (mc__rd_str(rd, s, "$", "region", NULL, &m->region) == 1 && !mc__region_valid(m->region, m->country))
		mc__rd_fail(rd, MC_ERR_VALUE, "$.region",
		            "must be an ISO 3166-2 code of the issuer's country, such as \"AT-9\"");
	mc__rd_iri(rd, s, "$", "url", NULL, &m->iss_url);
	if (mc__rd_str(rd, s, "$", "email", NULL, &m->iss_email) == 1 && !mc__email_valid(m->iss_email))
		mc__rd_fail(rd, MC_ERR_VALUE, "$.email", "is not an email address");

	const cJSON *ids = mc__rd_array(rd, s, "$", "identifiers", false, NULL);
	size_t n = ids ? (size_t)cJSON_GetArraySize(ids) : 0;
	if (n && !(m->iss_ids = mc__calloc(n, sizeof *m->iss_ids))) {
		rd->st = MC_ERR_NOMEM;
		return;
	}
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, ids)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, "$.identifiers", i++);
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an object {\"scheme\", \"value\"}");
			continue;
		}
		static const char *const ik[] = {"scheme", "value", NULL};
		check_keys(rd, e, ep, ik);
		mc__identifier *id = &m->iss_ids[m->niss_ids];
		int a = mc__rd_code(rd, e, ep, "scheme", &mc__v_idscheme, true, &id->scheme);
		int b = mc__rd_str(rd, e, ep, "value", "the identifier value", &id->value);
		if (a == 1 && b == 1)
			m->niss_ids++;
		else {
			mc__free(id->value);
			id->value = NULL;
		}
	}
}

static void rd_date(mc__rd *rd, const cJSON *s, const char *key, char **out, int64_t *t)
{
	char *v = NULL, norm[40], path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, "$", key);
	if (mc__rd_str(rd, s, "$", key, NULL, &v) == 1) {
		if (!mc__date_norm(v, norm, t))
			mc__rd_fail(rd, MC_ERR_VALUE, path,
			            "\"%.40s\" is not an ISO 8601 date (\"2024-06-30\") or dateTime (\"2024-06-30T12:00:00Z\")",
			            v);
		else if (mc__strdup_to(out, norm) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	}
	mc__free(v);
}

static void rd_learner(mc__rd *rd, mc__model *m, const cJSON *l)
{
	static const char *const keys[] = {"id",    "name",    "givenName", "familyName", "email",
	                                   "studentId", "grade", "issued",    "validUntil", "externalId", NULL};
	check_keys(rd, l, "$", keys);
	int id = mc__rd_iri(rd, l, "$", "id", NULL, &m->lr_id);
	mc__rd_str(rd, l, "$", "name", NULL, &m->lr_name);
	mc__rd_str(rd, l, "$", "givenName", NULL, &m->lr_given);
	mc__rd_str(rd, l, "$", "familyName", NULL, &m->lr_family);
	int em = mc__rd_str(rd, l, "$", "email", NULL, &m->lr_email);
	if (em == 1 && !mc__email_valid(m->lr_email))
		mc__rd_fail(rd, MC_ERR_VALUE, "$.email", "is not an email address");
	int sid = mc__rd_str(rd, l, "$", "studentId", NULL, &m->lr_student_id);
	int ext = mc__rd_str(rd, l, "$", "externalId", NULL, &m->lr_external_id);
	if (id == 0 && em == 0 && sid == 0 && ext == 0)
		mc__rd_fail(rd, MC_ERR_MISSING, "$.id",
		            "the learner identification is missing: give id (DID, URL or mailto:), email, studentId "
		            "or externalId");
	mc__rd_str(rd, l, "$", "grade", NULL, &m->grade);
	int64_t t_from = 0, t_until = 0;
	rd_date(rd, l, "issued", &m->issued, &t_from);
	rd_date(rd, l, "validUntil", &m->valid_until, &t_until);
	if (m->issued && m->valid_until && t_until <= t_from)
		mc__rd_fail(rd, MC_ERR_VALUE, "$.validUntil", "must be later than the date of issuing");
}

void mc__model_read_inputs(mc__model *m, const cJSON *ach, const cJSON *iss, const cJSON *lrn, const char *issuer_id,
                           mc_report *rep, mc_status *st)
{
	mc__rd rd = {rep, "achievement", MC_OK};
	rd_achievement(&rd, m, ach);
	rd.doc = "issuer";
	rd_issuer(&rd, m, iss, issuer_id);
	rd.doc = "learner";
	rd_learner(&rd, m, lrn);
	*st = rd.st;
}

void mc__model_read_achievement(mc__model *m, const cJSON *ach, mc_report *rep, mc_status *st)
{
	mc__rd rd = {rep, "achievement", MC_OK};
	rd_achievement(&rd, m, ach);
	*st = rd.st;
}
