/*
 * credential.c - read an OpenBadgeCredential back into an mc__model,
 * checking every EU element on the way (mc_credential_validate), and
 * mc_credential_extract on top of it.
 *
 * Reading is lenient where JSON-LD is (a text may be a plain string or a
 * language map, "type" a string or an array) and strict where the EU model
 * is (controlled values, ranges, mandatory elements). Members this module
 * does not know are ignored: other extensions may share the credential.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

#define P_SUBJ "$.credentialSubject"
#define P_ACH "$.credentialSubject.achievement"
#define P_ISS "$.issuer"


static void need_type(mc__rd *rd, const cJSON *node, const char *base, const char *type)
{
	if (!mc__has_type(node, type)) {
		char path[MC_ERR_PATH_MAX];
		mc__path_key(path, sizeof path, base, "type");
		mc__rd_fail(rd, mc__json_get(node, "type") ? MC_ERR_VALUE : MC_ERR_MISSING, path,
		            "type must include \"%s\"", type);
	}
}

/* A dateTime member (VC 2.0 wants a time and a zone); 1/0/-1 as readers. */
static int rd_datetime(mc__rd *rd, const cJSON *obj, const char *key, const char *what, char **out, int64_t *t)
{
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, "$", key);
	int r = mc__rd_str(rd, obj, "$", key, what, out);
	if (r == 1 && !mc__time_parse(*out, false, t)) {
		mc__rd_fail(rd, MC_ERR_VALUE, path, "\"%.40s\" is not an ISO 8601 dateTime such as 2024-06-30T12:00:00Z",
		            *out);
		mc__free(*out);
		*out = NULL;
		r = -1;
	}
	return r;
}

/* Both the OB3 plain string and our language map: the map wins, the
 * string alone means the default language. */
static void rd_name_pair(mc__rd *rd, const cJSON *obj, const char *base, const char *key, const char *langkey,
                         const char *what, const char *dl, mc__lmap *out)
{
	char *plain = NULL;
	int r = mc__rd_str(rd, obj, base, key, what, &plain);
	mc__lmap tmp = {0};
	if (mc__rd_text(rd, obj, base, langkey, NULL, dl, &tmp) == 1) {
		*out = tmp;
	} else {
		mc__lmap_release(&tmp);
		if (r == 1 && mc__lmap_add(out, dl ? dl : MC__DEFAULT_LANG, plain) == MC_ERR_NOMEM)
			rd->st = MC_ERR_NOMEM;
	}
	mc__free(plain);
}

static void rd_iri_list(mc__rd *rd, const cJSON *obj, const char *base, const char *key, char ***v, size_t *n)
{
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, base, key);
	const cJSON *arr = mc__rd_array(rd, obj, base, key, false, NULL);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, path, i++);
		if (!cJSON_IsString(e) || !mc__iri_valid(e->valuestring))
			mc__rd_fail(rd, MC_ERR_VALUE, ep, "must be an IRI");
		else if (mc__strlist_add(v, n, e->valuestring) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	}
}

static void rd_outcomes(mc__rd *rd, mc__model *m, const cJSON *a)
{
	const cJSON *arr = mc__rd_array(rd, a, P_ACH, "learningOutcome", true, "the learning outcomes");
	if (!arr)
		return;
	size_t n = (size_t)cJSON_GetArraySize(arr);
	if (!(m->outcomes = mc__calloc(n, sizeof *m->outcomes))) {
		rd->st = MC_ERR_NOMEM;
		return;
	}
	m->noutcomes = n;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char path[MC_ERR_PATH_MAX];
		mc__path_index(path, sizeof path, P_ACH ".learningOutcome", i);
		mc__outcome *o = &m->outcomes[i++];
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, path, "must be a LearningOutcome object with a title");
			continue;
		}
		mc__rd_text(rd, e, path, "title", "the text of the learning outcome", m->deflang, &o->text);
		rd_iri_list(rd, e, path, "relatedESCOSkill", &o->skills, &o->nskills);
		rd_iri_list(rd, e, path, "relatedSkill", &o->skills, &o->nskills);
	}
}

static void rd_level(mc__rd *rd, mc__model *m, const cJSON *a)
{
	char *eqf = NULL;
	int r1 = mc__rd_str(rd, a, P_ACH, "eqfLevel", NULL, &eqf);
	if (r1 == 1) {
		size_t pl = strlen(MC__EQF_IRI);
		if (strncmp(eqf, MC__EQF_IRI, pl) == 0 && eqf[pl] >= '1' && eqf[pl] <= '8' && eqf[pl + 1] == '\0') {
			m->eqf = eqf[pl] - '0';
		} else {
			mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".eqfLevel",
			            "\"%.60s\" is not an EQF level: use " MC__EQF_IRI "1 to " MC__EQF_IRI "8", eqf);
			r1 = -1;
		}
	}
	mc__free(eqf);
	int r2 = mc__rd_code(rd, a, P_ACH, "qfEheaCycle", &mc__v_qfehea, false, &m->qfehea);
	bool has_f = mc__json_get(a, "nqfFramework"), has_l = mc__json_get(a, "nqfLevel");
	int r3 = 0;
	if (has_f || has_l) {
		int x = mc__rd_str(rd, a, P_ACH, "nqfFramework", "the national qualifications framework of nqfLevel",
		                   &m->nqf_framework);
		int y = mc__rd_str(rd, a, P_ACH, "nqfLevel", "the NQF level of nqfFramework", &m->nqf_level);
		r3 = x == 1 && y == 1 ? 1 : -1;
	}
	if (r1 == 0 && r2 == 0 && r3 == 0)
		mc__rd_fail(rd, MC_ERR_MISSING, P_ACH ".eqfLevel",
		            "the level is missing: give eqfLevel, qfEheaCycle or nqfLevel with nqfFramework");
}

/* ELM Note: {"type": "Note", "noteLiteral": {lang: text}}. */
static void rd_note(mc__rd *rd, const cJSON *a, const char *key, const char *dl, mc__lmap *out)
{
	char path[MC_ERR_PATH_MAX];
	const cJSON *n = mc__rd_obj(rd, a, P_ACH, key, NULL, path);
	if (n)
		mc__rd_text(rd, n, path, "noteLiteral", "the text (noteLiteral) of the note", dl, out);
}

static void rd_stackability(mc__rd *rd, mc__model *m, const cJSON *a)
{
	char path[MC_ERR_PATH_MAX], sp[MC_ERR_PATH_MAX];
	const cJSON *st = mc__rd_obj(rd, a, P_ACH, "stackability", NULL, path);
	if (!st)
		return;
	m->has_stack = true;
	mc__path_key(sp, sizeof sp, path, "standalone");
	const cJSON *sa = mc__json_get(st, "standalone");
	if (!sa)
		mc__rd_fail(rd, MC_ERR_MISSING, sp, "stackability must say whether the credential stands alone");
	else if (!cJSON_IsBool(sa))
		mc__rd_fail(rd, MC_ERR_TYPE, sp, "must be true or false");
	else
		m->standalone = cJSON_IsTrue(sa);
	mc__path_key(sp, sizeof sp, path, "stackableInto");
	const cJSON *into = mc__rd_array(rd, st, path, "stackableInto", false, NULL);
	size_t n = into ? (size_t)cJSON_GetArraySize(into) : 0;
	if (!n)
		return;
	if (!(m->stack_into = mc__calloc(n, sizeof *m->stack_into))) {
		rd->st = MC_ERR_NOMEM;
		return;
	}
	m->nstack_into = n;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, into)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, sp, i);
		mc__stack_target *t = &m->stack_into[i++];
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an object with nameLang");
			continue;
		}
		mc__rd_iri(rd, e, ep, "id", NULL, &t->id);
		mc__rd_text(rd, e, ep, "nameLang", "the title of the larger credential", m->deflang, &t->title);
	}
}

static void rd_checked_list(mc__rd *rd, const cJSON *a, const char *key, void (*check)(mc__rd *, const cJSON *,
                                                                                       const char *))
{
	char path[MC_ERR_PATH_MAX];
	mc__path_key(path, sizeof path, P_ACH, key);
	const cJSON *arr = mc__rd_array(rd, a, P_ACH, key, false, NULL);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, path, i++);
		if (!cJSON_IsObject(e))
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an object");
		else
			check(rd, e, ep);
	}
}

/* OB3 Alignment: type, targetName and targetUrl are required. */
static void check_alignment(mc__rd *rd, const cJSON *e, const char *ep)
{
	char *s = NULL;
	need_type(rd, e, ep, "Alignment");
	mc__rd_str(rd, e, ep, "targetName", "targetName", &s);
	mc__free(s);
	s = NULL;
	mc__rd_iri(rd, e, ep, "targetUrl", "targetUrl", &s);
	mc__free(s);
}

/* OB3 ResultDescription: id, type, name and resultType are required. */
static void check_result_description(mc__rd *rd, const cJSON *e, const char *ep)
{
	char *s = NULL;
	need_type(rd, e, ep, "ResultDescription");
	const char *keys[] = {"id", "name", "resultType"};
	for (size_t k = 0; k < 3; k++) {
		mc__rd_str(rd, e, ep, keys[k], keys[k], &s);
		mc__free(s);
		s = NULL;
	}
}

static void rd_achievement(mc__rd *rd, mc__model *m, const cJSON *a)
{
	char path[MC_ERR_PATH_MAX];
	mc__rd_iri(rd, a, P_ACH, "id", "the achievement id", &m->ach_id);
	need_type(rd, a, P_ACH, "Achievement");
	char *at = NULL;
	if (mc__rd_str(rd, a, P_ACH, "achievementType", "achievementType (\"MicroCredential\")", &at) == 1 &&
	    strcmp(at, "MicroCredential") != 0)
		mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".achievementType", "must be \"MicroCredential\", not \"%.40s\"", at);
	mc__free(at);
	if (mc__rd_str(rd, a, P_ACH, "inLanguage", NULL, &m->deflang) == 1 && !mc__lang_valid(m->deflang)) {
		mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".inLanguage", "must be an ISO 639-1 language code such as \"en\"");
		mc__free(m->deflang);
		m->deflang = NULL;
	}
	if (!m->deflang && mc__strdup_to(&m->deflang, MC__DEFAULT_LANG) != MC_OK) {
		rd->st = MC_ERR_NOMEM;
		return;
	}
	const char *dl = m->deflang;
	rd_name_pair(rd, a, P_ACH, "name", "nameLang", "the title of the micro-credential", dl, &m->title);
	rd_name_pair(rd, a, P_ACH, "description", "descriptionLang", "the description (Open Badges requires one)", dl,
	             &m->description);
	mc__rd_obj(rd, a, P_ACH, "criteria", "criteria (Open Badges requires it)", path);

	const cJSON *ects = mc__json_get(a, "creditsAvailable");
	if (!ects)
		mc__rd_fail(rd, MC_ERR_MISSING, P_ACH ".creditsAvailable",
		            "the notional workload in ECTS credits is missing");
	else if (!cJSON_IsNumber(ects))
		mc__rd_fail(rd, MC_ERR_TYPE, P_ACH ".creditsAvailable", "must be a number of ECTS credits");
	else if (!(ects->valuedouble > 0 && ects->valuedouble <= MC__MAX_ECTS))
		mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".creditsAvailable", "must be more than 0 and at most %g ECTS credits",
		            MC__MAX_ECTS);
	else
		m->ects = ects->valuedouble;

	char *vol = NULL;
	if (mc__rd_str(rd, a, P_ACH, "volumeOfLearning", NULL, &vol) == 1) {
		/* we write whole hours, "PT125H"; other durations are refused
		 * rather than converted, since months have no fixed hours */
		char *end = NULL;
		long h = strncmp(vol, "PT", 2) == 0 && vol[2] >= '1' && vol[2] <= '9' ? strtol(vol + 2, &end, 10) : 0;
		if (!end || strcmp(end, "H") != 0 || h < 1 || h > MC__MAX_WORKLOAD_HOURS)
			mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".volumeOfLearning",
			            "must be a whole number of hours as an ISO 8601 duration, such as \"PT125H\"");
		else
			m->workload_hours = (int)h;
	}
	mc__free(vol);

	char *isced = NULL;
	if (mc__rd_str(rd, a, P_ACH, "iscedF", NULL, &isced) == 1) {
		size_t pl = strlen(MC__ISCED_IRI);
		if (strncmp(isced, MC__ISCED_IRI, pl) == 0 && mc__iscedf_valid(isced + pl))
			memcpy(m->iscedf, isced + pl, 5);
		else
			mc__rd_fail(rd, MC_ERR_VALUE, P_ACH ".iscedF",
			            "must be " MC__ISCED_IRI "NNNN with a 4-digit ISCED-F 2013 field (broad field 00-10 "
			            "or 99)");
	}
	mc__free(isced);
	char *fos = NULL;
	mc__rd_str(rd, a, P_ACH, "fieldOfStudy", NULL, &fos);
	mc__free(fos);

	rd_level(rd, m, a);
	rd_outcomes(rd, m, a);
	mc__rd_code(rd, a, P_ACH, "assessmentType", &mc__v_assessment, true, &m->assessment);
	mc__rd_text(rd, a, P_ACH, "assessmentDescription", NULL, dl, &m->assessment_desc);
	mc__rd_code(rd, a, P_ACH, "participationMode", &mc__v_participation, true, &m->participation);

	const cJSON *qa = mc__rd_obj(rd, a, P_ACH, "qualityAssurance", "the type of quality assurance", path);
	if (qa) {
		mc__rd_code(rd, qa, path, "qualityAssuranceType", &mc__v_qa, true, &m->qa_type);
		mc__rd_text(rd, qa, path, "descriptionLang", NULL, dl, &m->qa_desc);
		mc__rd_str(rd, qa, path, "qualityAssuranceAgency", NULL, &m->qa_agency);
		mc__rd_iri(rd, qa, path, "url", NULL, &m->qa_url);
	}
	mc__rd_code(rd, a, P_ACH, "supervision", &mc__v_supervision, false, &m->supervision);
	mc__rd_code(rd, a, P_ACH, "identityVerification", &mc__v_idverif, false, &m->idverif);
	rd_note(rd, a, "prerequisites", dl, &m->prerequisites);
	rd_stackability(rd, m, a);
	rd_note(rd, a, "furtherInformation", dl, &m->further_info);

	const cJSON *langs = mc__rd_array(rd, a, P_ACH, "instructionLanguage", false, NULL);
	size_t li = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, langs)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, P_ACH ".instructionLanguage", li++);
		if (!cJSON_IsString(e) || !mc__lang_valid(e->valuestring))
			mc__rd_fail(rd, MC_ERR_VALUE, ep, "must be an ISO 639-1 language code such as \"de\"");
		else if (mc__strlist_add(&m->languages, &m->nlanguages, e->valuestring) != MC_OK)
			rd->st = MC_ERR_NOMEM;
	}

	const cJSON *ab = mc__rd_obj(rd, a, P_ACH, "awardingBody", NULL, path);
	if (ab) {
		m->has_awarding = true;
		mc__rd_iri(rd, ab, path, "id", NULL, &m->awarding_id);
		rd_name_pair(rd, ab, path, "name", "nameLang", "the name of the awarding body", dl, &m->awarding_name);
		mc__rd_iri(rd, ab, path, "url", NULL, &m->awarding_url);
	}

	rd_checked_list(rd, a, "alignment", check_alignment);
	rd_checked_list(rd, a, "resultDescription", check_result_description);
	const cJSON *rds = mc__json_get(a, "resultDescription");
	const cJSON *rd0 = cJSON_IsArray(rds) ? cJSON_GetArrayItem(rds, 0) : NULL;
	if (cJSON_IsObject(rd0) && mc__json_get(rd0, "nameLang"))
		mc__rd_text(rd, rd0, P_ACH ".resultDescription[0]", "nameLang", NULL, dl, &m->grading_scheme);
}

static void rd_issuer(mc__rd *rd, mc__model *m, const cJSON *cred)
{
	const cJSON *is = mc__json_get(cred, "issuer");
	if (!is) {
		mc__rd_fail(rd, MC_ERR_MISSING, P_ISS, "the issuer (awarding body and its country) is missing");
		return;
	}
	if (!cJSON_IsObject(is)) {
		mc__rd_fail(rd, MC_ERR_TYPE, P_ISS,
		            "must be an Open Badges Profile object carrying the awarding body's name and country");
		return;
	}
	mc__rd_iri(rd, is, P_ISS, "id", "the issuer id", &m->iss_id);
	need_type(rd, is, P_ISS, "Profile");
	rd_name_pair(rd, is, P_ISS, "name", "nameLang", "the name of the awarding body", m->deflang, &m->iss_name);
	mc__rd_iri(rd, is, P_ISS, "url", NULL, &m->iss_url);
	if (mc__rd_str(rd, is, P_ISS, "email", NULL, &m->iss_email) == 1 && !mc__email_valid(m->iss_email))
		mc__rd_fail(rd, MC_ERR_VALUE, P_ISS ".email", "is not an email address");

	char path[MC_ERR_PATH_MAX];
	const cJSON *ad = mc__rd_obj(rd, is, P_ISS, "address", NULL, path);
	if (!ad && !mc__json_get(is, "address"))
		mc__rd_fail(rd, MC_ERR_MISSING, P_ISS ".address.addressCountryCode", "the country of the issuer is missing");
	if (ad) {
		need_type(rd, ad, path, "Address");
		char *cc = NULL;
		if (mc__rd_str(rd, ad, path, "addressCountryCode", "the country of the issuer", &cc) == 1) {
			if (mc__country_valid(cc))
				memcpy(m->country, cc, 3);
			else
				mc__rd_fail(rd, MC_ERR_VALUE, P_ISS ".address.addressCountryCode",
				            "\"%.20s\" is not an ISO 3166-1 alpha-2 country code", cc);
		}
		mc__free(cc);
		if (mc__rd_str(rd, ad, path, "addressRegion", NULL, &m->region) == 1 &&
		    !mc__region_valid(m->region, m->country))
			mc__rd_fail(rd, MC_ERR_VALUE, P_ISS ".address.addressRegion",
			            "must be an ISO 3166-2 code of the issuer's country, such as \"AT-9\"");
	}

	const cJSON *ids = mc__rd_array(rd, is, P_ISS, "otherIdentifier", false, NULL);
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
		mc__path_index(ep, sizeof ep, P_ISS ".otherIdentifier", i++);
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an IdentifierEntry object");
			continue;
		}
		char *val = NULL, *type = NULL;
		int a = mc__rd_str(rd, e, ep, "identifier", "identifier", &val);
		int b = mc__rd_str(rd, e, ep, "identifierType", "identifierType", &type);
		int scheme = b == 1 ? mc__idscheme_from_obtype(type) : 0;
		/* identifier types outside our schemes belong to someone else's
		 * profile: valid, but not an EU element to extract */
		if (a == 1 && scheme) {
			m->iss_ids[m->niss_ids].scheme = scheme;
			m->iss_ids[m->niss_ids++].value = val;
			val = NULL;
		}
		mc__free(val);
		mc__free(type);
	}
}

static void rd_subject(mc__rd *rd, mc__model *m, const cJSON *cred)
{
	const cJSON *s = mc__json_get(cred, "credentialSubject");
	if (!s) {
		mc__rd_fail(rd, MC_ERR_MISSING, P_SUBJ, "the credential subject (learner and achievement) is missing");
		return;
	}
	if (!cJSON_IsObject(s)) {
		mc__rd_fail(rd, MC_ERR_TYPE, P_SUBJ, "must be one AchievementSubject object");
		return;
	}
	need_type(rd, s, P_SUBJ, "AchievementSubject");
	/* the achievement first: its inLanguage is the default for all texts */
	char path[MC_ERR_PATH_MAX];
	const cJSON *a = mc__rd_obj(rd, s, P_SUBJ, "achievement", "the achievement", path);
	if (a)
		rd_achievement(rd, m, a);
	if (!m->deflang && mc__strdup_to(&m->deflang, MC__DEFAULT_LANG) != MC_OK)
		rd->st = MC_ERR_NOMEM;

	int ident = mc__rd_iri(rd, s, P_SUBJ, "id", NULL, &m->lr_id) == 1;
	mc__rd_str(rd, s, P_SUBJ, "name", NULL, &m->lr_name);
	mc__rd_str(rd, s, P_SUBJ, "givenName", NULL, &m->lr_given);
	mc__rd_str(rd, s, P_SUBJ, "familyName", NULL, &m->lr_family);
	const cJSON *ids = mc__rd_array(rd, s, P_SUBJ, "identifier", false, NULL);
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, ids)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, P_SUBJ ".identifier", i++);
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be an IdentityObject");
			continue;
		}
		need_type(rd, e, ep, "IdentityObject");
		char *hash = NULL, *type = NULL, hp[MC_ERR_PATH_MAX];
		int a1 = mc__rd_str(rd, e, ep, "identityHash", "identityHash", &hash);
		int a2 = mc__rd_str(rd, e, ep, "identityType", "identityType", &type);
		const cJSON *hashed = mc__json_get(e, "hashed");
		mc__path_key(hp, sizeof hp, ep, "hashed");
		if (!cJSON_IsBool(hashed))
			mc__rd_fail(rd, hashed ? MC_ERR_TYPE : MC_ERR_MISSING, hp, "hashed must be true or false");
		if (a1 == 1 && a2 == 1 && cJSON_IsBool(hashed)) {
			ident = 1;
			char **dst = NULL;
			if (cJSON_IsFalse(hashed)) {
				if (strcmp(type, "emailAddress") == 0)
					dst = &m->lr_email;
				else if (strcmp(type, "sisSourcedId") == 0)
					dst = &m->lr_student_id;
				else if (strcmp(type, "identifier") == 0)
					dst = &m->lr_external_id;
				else if (strcmp(type, "name") == 0 && !m->lr_name)
					dst = &m->lr_name;
			}
			if (dst && !*dst) {
				*dst = hash;
				hash = NULL;
			}
			if (dst == &m->lr_email && m->lr_email && !mc__email_valid(m->lr_email))
				mc__rd_fail(rd, MC_ERR_VALUE, ep, "the emailAddress identity is not an email address");
		}
		mc__free(hash);
		mc__free(type);
	}
	if (!ident)
		mc__rd_fail(rd, MC_ERR_MISSING, P_SUBJ ".id",
		            "the learner identification is missing: give credentialSubject.id or an identifier");

	const cJSON *res = mc__rd_array(rd, s, P_SUBJ, "result", false, NULL);
	i = 0;
	cJSON_ArrayForEach(e, res)
	{
		char ep[MC_ERR_PATH_MAX];
		mc__path_index(ep, sizeof ep, P_SUBJ ".result", i++);
		if (!cJSON_IsObject(e)) {
			mc__rd_fail(rd, MC_ERR_TYPE, ep, "must be a Result object");
			continue;
		}
		need_type(rd, e, ep, "Result");
		char *v = NULL;
		if (mc__rd_str(rd, e, ep, "value", NULL, &v) == 1 && !m->grade) {
			m->grade = v;
			v = NULL;
		}
		mc__free(v);
	}
}

static void rd_context(mc__rd *rd, const cJSON *cred)
{
	const cJSON *ctx = mc__json_get(cred, "@context");
	if (!cJSON_IsArray(ctx)) {
		mc__rd_fail(rd, ctx ? MC_ERR_TYPE : MC_ERR_MISSING, "$.@context",
		            "@context must be an array starting with the VC 2.0 context");
		return;
	}
	const cJSON *first = cJSON_GetArrayItem(ctx, 0);
	if (!cJSON_IsString(first) || strcmp(first->valuestring, MC_VC_CONTEXT_URL) != 0)
		mc__rd_fail(rd, MC_ERR_VALUE, "$.@context[0]", "must be " MC_VC_CONTEXT_URL);
	bool ob = false, mc = false;
	const cJSON *e;
	cJSON_ArrayForEach(e, ctx)
	{
		if (!cJSON_IsString(e))
			continue;
		/* any OB 3.0.x context: the terms we use are the same in all */
		ob |= strncmp(e->valuestring, "https://purl.imsglobal.org/spec/ob/v3p0/context", 47) == 0;
		mc |= strcmp(e->valuestring, MC_CONTEXT_URL) == 0;
	}
	if (!ob)
		mc__rd_fail(rd, MC_ERR_MISSING, "$.@context", "the Open Badges 3.0 context is missing");
	if (!mc)
		mc__rd_fail(rd, MC_ERR_MISSING, "$.@context", "the mcred context " MC_CONTEXT_URL " is missing");
}

void mc__model_read_credential(mc__model *m, const cJSON *cred, mc_report *rep, mc_status *st)
{
	mc__rd rd = {rep, NULL, MC_OK};
	if (!cJSON_IsObject(cred)) {
		mc__rd_fail(&rd, MC_ERR_TYPE, "$", "a credential must be a JSON object");
		*st = rd.st;
		return;
	}
	rd_context(&rd, cred);
	char *cid = NULL;
	mc__rd_iri(&rd, cred, "$", "id", "the credential id", &cid);
	mc__free(cid);
	if (!mc__has_type(cred, "VerifiableCredential") ||
	    !(mc__has_type(cred, "OpenBadgeCredential") || mc__has_type(cred, "AchievementCredential")))
		mc__rd_fail(&rd, mc__json_get(cred, "type") ? MC_ERR_VALUE : MC_ERR_MISSING, "$.type",
		            "type must include \"VerifiableCredential\" and \"OpenBadgeCredential\"");
	rd_subject(&rd, m, cred);
	/* texts of the issuer use the achievement's language, "en" without one */
	if (!m->deflang && mc__strdup_to(&m->deflang, MC__DEFAULT_LANG) != MC_OK)
		rd.st = MC_ERR_NOMEM;
	rd_issuer(&rd, m, cred);

	char *vf = NULL, *aw = NULL;
	int64_t t_from = 0, t_until = 0, t_aw = 0;
	rd_datetime(&rd, cred, "validFrom", "the date of issuing (validFrom)", &vf, &t_from);
	rd_datetime(&rd, cred, "validUntil", NULL, &m->valid_until, &t_until);
	rd_datetime(&rd, cred, "awardedDate", NULL, &aw, &t_aw);
	if (vf && m->valid_until && t_until <= t_from)
		mc__rd_fail(&rd, MC_ERR_VALUE, "$.validUntil", "must be later than validFrom");
	else if (aw && m->valid_until && t_until <= t_aw)
		mc__rd_fail(&rd, MC_ERR_VALUE, "$.validUntil", "must be later than the date of issuing (awardedDate)");
	/* the date of issuing: OB 3.0.3's awardedDate when given, else validFrom */
	m->issued = aw ? aw : vf;
	mc__free(aw ? vf : NULL);
	*st = rd.st;
}

mc_status mc_credential_validate(const char *cred, size_t len, mc_report **rep, mc_err *err)
{
	if (rep)
		*rep = NULL;
	if (!cred)
		return mc__fail(err, MC_ERR_ARG, "cred", "cred must not be NULL");
	cJSON *root = NULL;
	mc_status st = mc__json_load(cred, len, &root, err);
	if (st != MC_OK)
		return st;
	mc_report *r = mc__report_new();
	if (!r) {
		cJSON_Delete(root);
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	}
	mc__model m;
	mc__model_init(&m);
	mc__model_read_credential(&m, root, r, &st);
	mc__model_release(&m);
	cJSON_Delete(root);
	if (st == MC_OK) {
		if (mc__report_first(r, err, MC_ERR_INVALID) != MC_OK)
			st = MC_ERR_INVALID;
		else if (mc__report_add(r, MC__CHECK_EU, MC_PASS, MC_OK, "",
		                        "all EU micro-credential elements are present and valid") != MC_OK)
			st = MC_ERR_NOMEM;
	}
	if (st == MC_ERR_NOMEM)
		mc__fail(err, st, NULL, "out of memory");
	if (rep && st != MC_ERR_NOMEM)
		*rep = r;
	else
		mc_report_free(r);
	return st;
}

mc_status mc_credential_extract(const char *cred, size_t len, char **out, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out must not be NULL");
	*out = NULL;
	if (!cred)
		return mc__fail(err, MC_ERR_ARG, "cred", "cred must not be NULL");
	cJSON *root = NULL;
	mc_status st = mc__json_load(cred, len, &root, err);
	if (st != MC_OK)
		return st;
	mc_report *r = mc__report_new();
	mc__model m;
	mc__model_init(&m);
	if (!r)
		st = MC_ERR_NOMEM;
	else
		mc__model_read_credential(&m, root, r, &st);
	cJSON_Delete(root);
	if (st == MC_OK && mc__report_first(r, err, MC_ERR_INVALID) != MC_OK)
		st = MC_ERR_INVALID; /* err names the first problem */
	if (st == MC_OK) {
		cJSON *doc = mc__model_to_inputs(&m);
		if (!doc || !(*out = mc__json_print(doc, 1)))
			st = MC_ERR_NOMEM;
		cJSON_Delete(doc);
	}
	if (st == MC_ERR_NOMEM)
		mc__fail(err, st, NULL, "out of memory");
	mc_report_free(r);
	mc__model_release(&m);
	return st;
}
