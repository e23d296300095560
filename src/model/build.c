/*
 * build.c - mc__model -> OpenBadgeCredential JSON, and mc_credential_build.
 *
 * Layout decisions (docs/model.md has the full mapping table):
 *  - Elements with an Open Badges 3.0 property use it (name, description,
 *    creditsAvailable, inLanguage, fieldOfStudy, alignment, result,
 *    resultDescription, issuer Profile and Address, IdentityObject), so any
 *    OB3 wallet shows them.
 *  - The rest use terms of our context (contexts/mcred-v1.jsonld), mapped to
 *    ELM v3 IRIs where ELM has the property and our value fits its range.
 *  - Every text also appears as a language map (nameLang, descriptionLang,
 *    title, noteLiteral, ...) next to OB3's plain string, which holds the
 *    default language.
 * The builder keeps a sticky out-of-memory flag so the layout code reads as
 * a list of fields instead of a ladder of NULL checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

typedef struct jb {
	bool oom;
} jb;

static cJSON *put(jb *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item) {
		b->oom = true;
		return NULL;
	}
	if (!obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

static cJSON *push(jb *b, cJSON *arr, cJSON *item)
{
	if (!item) {
		b->oom = true;
		return NULL;
	}
	if (!arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

static void put_str(jb *b, cJSON *obj, const char *key, const char *s)
{
	if (s)
		put(b, obj, key, cJSON_CreateString(s));
}

static cJSON *types(jb *b, const char *t1, const char *t2)
{
	cJSON *a = cJSON_CreateArray();
	push(b, a, cJSON_CreateString(t1));
	if (t2)
		push(b, a, cJSON_CreateString(t2));
	return a;
}

static void put_lmap(jb *b, cJSON *obj, const char *key, const mc__lmap *m)
{
	if (m->n)
		put(b, obj, key, mc__lmap_json(m));
}

/* ELM Note node: {"type": "Note", "noteLiteral": {lang: text}}. */
static void put_note(jb *b, cJSON *obj, const char *key, const mc__lmap *m)
{
	if (!m->n)
		return;
	cJSON *n = put(b, obj, key, cJSON_CreateObject());
	put_str(b, n, "type", "Note");
	put_lmap(b, n, "noteLiteral", m);
}

static void put_code(jb *b, cJSON *obj, const char *key, const mc__vocab *v, int idx)
{
	put_str(b, obj, key, mc__vocab_code(v, idx));
}

static void build_issuer(jb *b, cJSON *cred, const mc__model *m)
{
	cJSON *is = put(b, cred, "issuer", cJSON_CreateObject());
	put_str(b, is, "id", m->iss_id);
	put(b, is, "type", types(b, "Profile", NULL));
	put_str(b, is, "name", mc__lmap_pick(&m->iss_name, m->deflang));
	put_lmap(b, is, "nameLang", &m->iss_name);
	put_str(b, is, "url", m->iss_url);
	put_str(b, is, "email", m->iss_email);
	cJSON *ad = put(b, is, "address", cJSON_CreateObject());
	put(b, ad, "type", types(b, "Address", NULL));
	put_str(b, ad, "addressCountryCode", m->country);
	put_str(b, ad, "addressRegion", m->region);
	if (m->niss_ids) {
		cJSON *ids = put(b, is, "otherIdentifier", cJSON_CreateArray());
		for (size_t i = 0; i < m->niss_ids; i++) {
			cJSON *e = push(b, ids, cJSON_CreateObject());
			put_str(b, e, "type", "IdentifierEntry");
			put_str(b, e, "identifier", m->iss_ids[i].value);
			put_str(b, e, "identifierType", mc__idscheme_obtype(m->iss_ids[i].scheme));
		}
	}
}

/* OB3 IdentityObject, unhashed: the learner already sees these values and
 * the credential is shared by the learner, so hashing buys no privacy. */
static void put_identity(jb *b, cJSON **arr, cJSON *subj, const char *type, const char *value)
{
	if (!value)
		return;
	if (!*arr)
		*arr = put(b, subj, "identifier", cJSON_CreateArray());
	cJSON *o = push(b, *arr, cJSON_CreateObject());
	put_str(b, o, "type", "IdentityObject");
	put(b, o, "hashed", cJSON_CreateFalse());
	put_str(b, o, "identityHash", value);
	put_str(b, o, "identityType", type);
}

static void build_alignments(jb *b, cJSON *ach, const mc__model *m)
{
	bool any = m->eqf != 0;
	for (size_t i = 0; i < m->noutcomes && !any; i++)
		any = m->outcomes[i].nskills != 0;
	if (!any)
		return;
	cJSON *al = put(b, ach, "alignment", cJSON_CreateArray());
	if (m->eqf) {
		char url[64], code[8], name[32];
		snprintf(url, sizeof url, MC__EQF_IRI "%d", m->eqf);
		snprintf(code, sizeof code, "%d", m->eqf);
		snprintf(name, sizeof name, "EQF level %d", m->eqf);
		cJSON *a = push(b, al, cJSON_CreateObject());
		put(b, a, "type", types(b, "Alignment", NULL));
		put_str(b, a, "targetCode", code);
		put_str(b, a, "targetFramework", "European Qualifications Framework");
		put_str(b, a, "targetName", name);
		put_str(b, a, "targetType", "ext:EQFLevel");
		put_str(b, a, "targetUrl", url);
	}
	for (size_t i = 0; i < m->noutcomes; i++) {
		const mc__outcome *o = &m->outcomes[i];
		for (size_t k = 0; k < o->nskills; k++) {
			bool esco = strncmp(o->skills[k], MC__ESCO_SKILL_IRI, strlen(MC__ESCO_SKILL_IRI)) == 0;
			cJSON *a = push(b, al, cJSON_CreateObject());
			put(b, a, "type", types(b, "Alignment", NULL));
			if (esco)
				put_str(b, a, "targetFramework", "ESCO");
			/* ESCO labels are not looked up offline: the outcome the
			 * skill belongs to names it for people */
			put_str(b, a, "targetName", mc__lmap_pick(&o->text, m->deflang));
			put_str(b, a, "targetType", "ceasn:Competency");
			put_str(b, a, "targetUrl", o->skills[k]);
		}
	}
}

static void build_outcomes(jb *b, cJSON *ach, const mc__model *m)
{
	cJSON *arr = put(b, ach, "learningOutcome", cJSON_CreateArray());
	for (size_t i = 0; i < m->noutcomes; i++) {
		const mc__outcome *o = &m->outcomes[i];
		cJSON *lo = push(b, arr, cJSON_CreateObject());
		put_str(b, lo, "type", "LearningOutcome");
		put_lmap(b, lo, "title", &o->text);
		cJSON *esco = NULL, *other = NULL;
		for (size_t k = 0; k < o->nskills; k++) {
			bool is_esco = strncmp(o->skills[k], MC__ESCO_SKILL_IRI, strlen(MC__ESCO_SKILL_IRI)) == 0;
			cJSON **dst = is_esco ? &esco : &other;
			if (!*dst)
				*dst = put(b, lo, is_esco ? "relatedESCOSkill" : "relatedSkill", cJSON_CreateArray());
			push(b, *dst, cJSON_CreateString(o->skills[k]));
		}
	}
}

/* OB3 requires criteria; the learning outcomes are what must be shown. */
static void build_criteria(jb *b, cJSON *ach, const mc__model *m)
{
	mc__buf nb;
	mc__buf_init(&nb, MC_JSON_MAX_BYTES);
	for (size_t i = 0; i < m->noutcomes; i++) {
		mc__buf_adds(&nb, i ? "\n- " : "- ");
		const char *t = mc__lmap_pick(&m->outcomes[i].text, m->deflang);
		mc__buf_adds(&nb, t ? t : "");
	}
	char *narr = mc__buf_take(&nb, NULL);
	if (!narr) {
		b->oom = true;
		return;
	}
	cJSON *c = put(b, ach, "criteria", cJSON_CreateObject());
	put_str(b, c, "narrative", narr);
	mc__free(narr);
}

static void build_achievement(jb *b, cJSON *subj, const mc__model *m)
{
	const char *dl = m->deflang;
	cJSON *a = put(b, subj, "achievement", cJSON_CreateObject());
	put_str(b, a, "id", m->ach_id);
	put(b, a, "type", types(b, "Achievement", NULL));
	put_str(b, a, "achievementType", "MicroCredential");
	put_str(b, a, "name", mc__lmap_pick(&m->title, dl));
	put_lmap(b, a, "nameLang", &m->title);
	put_str(b, a, "description", mc__lmap_pick(&m->description, dl));
	put_lmap(b, a, "descriptionLang", &m->description);
	build_criteria(b, a, m);
	put_str(b, a, "inLanguage", dl);
	put(b, a, "creditsAvailable", cJSON_CreateNumber(m->ects));
	if (m->workload_hours) {
		char d[32];
		snprintf(d, sizeof d, "PT%dH", m->workload_hours);
		put_str(b, a, "volumeOfLearning", d);
	}
	if (m->iscedf[0]) {
		char iri[64];
		snprintf(iri, sizeof iri, MC__ISCED_IRI "%s", m->iscedf);
		put_str(b, a, "fieldOfStudy", mc__iscedf_broad_name(m->iscedf));
		put_str(b, a, "iscedF", iri);
	}
	if (m->eqf) {
		char iri[64];
		snprintf(iri, sizeof iri, MC__EQF_IRI "%d", m->eqf);
		put_str(b, a, "eqfLevel", iri);
	}
	put_code(b, a, "qfEheaCycle", &mc__v_qfehea, m->qfehea);
	put_str(b, a, "nqfFramework", m->nqf_framework);
	put_str(b, a, "nqfLevel", m->nqf_level);
	build_outcomes(b, a, m);
	put_code(b, a, "assessmentType", &mc__v_assessment, m->assessment);
	put_lmap(b, a, "assessmentDescription", &m->assessment_desc);
	put_code(b, a, "participationMode", &mc__v_participation, m->participation);
	cJSON *qa = put(b, a, "qualityAssurance", cJSON_CreateObject());
	put_code(b, qa, "qualityAssuranceType", &mc__v_qa, m->qa_type);
	put_lmap(b, qa, "descriptionLang", &m->qa_desc);
	put_str(b, qa, "qualityAssuranceAgency", m->qa_agency);
	put_str(b, qa, "url", m->qa_url);
	put_code(b, a, "supervision", &mc__v_supervision, m->supervision);
	put_code(b, a, "identityVerification", &mc__v_idverif, m->idverif);
	put_note(b, a, "prerequisites", &m->prerequisites);
	if (m->has_stack) {
		cJSON *st = put(b, a, "stackability", cJSON_CreateObject());
		put(b, st, "standalone", cJSON_CreateBool(m->standalone));
		if (m->nstack_into) {
			cJSON *into = put(b, st, "stackableInto", cJSON_CreateArray());
			for (size_t i = 0; i < m->nstack_into; i++) {
				cJSON *t = push(b, into, cJSON_CreateObject());
				put_str(b, t, "id", m->stack_into[i].id);
				put_lmap(b, t, "nameLang", &m->stack_into[i].title);
			}
		}
	}
	put_note(b, a, "furtherInformation", &m->further_info);
	if (m->nlanguages) {
		cJSON *l = put(b, a, "instructionLanguage", cJSON_CreateArray());
		for (size_t i = 0; i < m->nlanguages; i++)
			push(b, l, cJSON_CreateString(m->languages[i]));
	}
	if (m->has_awarding) {
		cJSON *ab = put(b, a, "awardingBody", cJSON_CreateObject());
		put_str(b, ab, "id", m->awarding_id);
		put_str(b, ab, "name", mc__lmap_pick(&m->awarding_name, dl));
		put_lmap(b, ab, "nameLang", &m->awarding_name);
		put_str(b, ab, "url", m->awarding_url);
	}
	build_alignments(b, a, m);
}

/* Id of the grade's ResultDescription, derived from the achievement IRI so
 * the same template always names its scale alike and build stays
 * deterministic: "<id>#grade", or "<id>-grade" when the IRI already has a
 * fragment (an IRI has at most one). */
static void grade_rd_id(const mc__model *m, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", m->ach_id, strchr(m->ach_id, '#') ? "-grade" : "#grade");
}

cJSON *mc__model_to_credential(const mc__model *m, const char *cred_id, const char *valid_from)
{
	jb b = {false};
	cJSON *cred = cJSON_CreateObject();
	if (!cred)
		return NULL;
	cJSON *ctx = put(&b, cred, "@context", cJSON_CreateArray());
	push(&b, ctx, cJSON_CreateString(MC_VC_CONTEXT_URL));
	push(&b, ctx, cJSON_CreateString(MC_OB_CONTEXT_URL));
	push(&b, ctx, cJSON_CreateString(MC_CONTEXT_URL));
	put_str(&b, cred, "id", cred_id);
	put(&b, cred, "type", types(&b, "VerifiableCredential", "OpenBadgeCredential"));
	put_str(&b, cred, "name", mc__lmap_pick(&m->title, m->deflang));
	build_issuer(&b, cred, m);
	put_str(&b, cred, "validFrom", valid_from);
	put_str(&b, cred, "validUntil", m->valid_until);
	put_str(&b, cred, "awardedDate", m->issued);

	cJSON *subj = put(&b, cred, "credentialSubject", cJSON_CreateObject());
	put_str(&b, subj, "id", m->lr_id);
	bool profile = m->lr_name || m->lr_given || m->lr_family;
	/* OB3 recommended practice: a subject that carries names is also a Profile */
	put(&b, subj, "type", types(&b, "AchievementSubject", profile ? "Profile" : NULL));
	put_str(&b, subj, "name", m->lr_name);
	put_str(&b, subj, "givenName", m->lr_given);
	put_str(&b, subj, "familyName", m->lr_family);
	cJSON *ids = NULL;
	put_identity(&b, &ids, subj, "emailAddress", m->lr_email);
	put_identity(&b, &ids, subj, "sisSourcedId", m->lr_student_id);
	put_identity(&b, &ids, subj, "identifier", m->lr_external_id);
	build_achievement(&b, subj, m);

	if (m->grade || m->grading_scheme.n) {
		size_t cap = strlen(m->ach_id) + 8;
		char *rd_id = mc__malloc(cap);
		if (!rd_id) {
			cJSON_Delete(cred);
			return NULL;
		}
		grade_rd_id(m, rd_id, cap);
		cJSON *ach = mc__json_get(subj, "achievement");
		cJSON *rds = put(&b, ach, "resultDescription", cJSON_CreateArray());
		cJSON *rd = push(&b, rds, cJSON_CreateObject());
		put_str(&b, rd, "id", rd_id);
		put(&b, rd, "type", types(&b, "ResultDescription", NULL));
		const char *scale = mc__lmap_pick(&m->grading_scheme, m->deflang);
		put_str(&b, rd, "name", scale ? scale : "Grade");
		put_lmap(&b, rd, "nameLang", &m->grading_scheme);
		put_str(&b, rd, "resultType", "Result");
		if (m->grade) {
			cJSON *res = put(&b, subj, "result", cJSON_CreateArray());
			cJSON *r = push(&b, res, cJSON_CreateObject());
			put(&b, r, "type", types(&b, "Result", NULL));
			put_str(&b, r, "resultDescription", rd_id);
			put_str(&b, r, "value", m->grade);
		}
		mc__free(rd_id);
	}
	if (b.oom) {
		cJSON_Delete(cred);
		return NULL;
	}
	return cred;
}

/* Parse one input document; errors name the document ("learner: $.name"). */
static mc_status load_doc(const char *name, const char *buf, size_t len, cJSON **out, mc_err *err)
{
	mc_err local = {0};
	*out = NULL;
	if (!buf)
		return mc__fail(err, MC_ERR_ARG, name, "%s document is NULL", name);
	if (mc__json_load(buf, len, out, &local) != MC_OK) {
		char p[MC_ERR_PATH_MAX + 32];
		snprintf(p, sizeof p, "%s: %s", name, local.path);
		return mc__fail(err, local.status, p, "%s", local.msg);
	}
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		char p[64];
		snprintf(p, sizeof p, "%s: $", name);
		return mc__fail(err, MC_ERR_TYPE, p, "the %s document must be a JSON object", name);
	}
	return MC_OK;
}

mc_status mc__build_prepare(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                            mc__build_prep *p, mc_err *err)
{
	p->ach = p->iss = NULL;
	mc_status st = load_doc("achievement", achievement, alen, &p->ach, err);
	if (st == MC_OK && (st = load_doc("issuer", issuer, ilen, &p->iss, err)) != MC_OK) {
		cJSON_Delete(p->ach);
		p->ach = NULL;
	}
	return st;
}

void mc__build_prep_release(mc__build_prep *p)
{
	cJSON_Delete(p->ach);
	cJSON_Delete(p->iss);
	p->ach = p->iss = NULL;
}

/* Shared by build and check_inputs: parse the learner document, read all
 * three, report. On MC_OK *m holds the model; the report always comes back
 * (NULL only on NOMEM). */
static mc_status read_inputs(const mc__build_prep *p, const char *learner, size_t llen, const char *issuer_id,
                             mc__model *m, mc_report **rep, mc_err *err)
{
	cJSON *lrn = NULL;
	mc_status st = load_doc("learner", learner, llen, &lrn, err);
	if (st == MC_OK && !(*rep = mc__report_new()))
		st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	if (st == MC_OK) {
		mc__model_read_inputs(m, p->ach, p->iss, lrn, issuer_id, *rep, &st);
		if (st != MC_OK)
			mc__fail(err, st, NULL, "out of memory");
	}
	cJSON_Delete(lrn);
	return st;
}

mc_status mc_credential_check_inputs(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                                     const char *learner, size_t llen, const char *issuer_id, mc_report **rep,
                                     mc_err *err)
{
	if (!rep)
		return mc__fail(err, MC_ERR_ARG, "rep", "rep must not be NULL");
	*rep = NULL;
	mc__build_prep p;
	mc_status st = mc__build_prepare(achievement, alen, issuer, ilen, &p, err);
	if (st != MC_OK)
		return st;
	mc__model m;
	mc__model_init(&m);
	st = read_inputs(&p, learner, llen, issuer_id, &m, rep, err);
	mc__model_release(&m);
	mc__build_prep_release(&p);
	if (st != MC_OK)
		return st;
	return mc__report_first(*rep, err, MC_ERR_INVALID);
}

mc_status mc__build_tree(const mc__build_prep *p, const char *learner, size_t llen, const mc_build_opts *opts,
                         cJSON **out, mc_err *err)
{
	*out = NULL;
	mc__model m, back;
	mc__model_init(&m);
	mc__model_init(&back);
	mc_report *rep = NULL, *rep2 = NULL;
	cJSON *cred = NULL;
	char cred_id[48], vf[40];
	const char *id = NULL;
	mc_status st = read_inputs(p, learner, llen, opts ? opts->issuer_id : NULL, &m, &rep, err);
	if (st == MC_OK)
		st = mc__report_first(rep, err, MC_OK);
	if (st != MC_OK)
		goto done;

	/* Defaults the inputs may leave open. */
	if (!m.ach_id) {
		char u[48];
		mc__uuid_urn(u);
		if ((st = mc__strdup_to(&m.ach_id, u)) != MC_OK)
			goto nomem;
	}
	id = opts ? opts->credential_id : NULL;
	if (id && !mc__iri_valid(id)) {
		st = mc__fail(err, MC_ERR_VALUE, "credential_id", "credential_id must be an absolute IRI");
		goto done;
	}
	if (!id) {
		mc__uuid_urn(cred_id);
		id = cred_id;
	}
	int64_t t;
	if (opts && opts->valid_from) {
		if (!mc__date_norm(opts->valid_from, vf, &t)) {
			st = mc__fail(err, MC_ERR_VALUE, "valid_from", "valid_from is not an ISO 8601 dateTime");
			goto done;
		}
	} else if (m.issued) {
		snprintf(vf, sizeof vf, "%s", m.issued);
	} else {
		mc__time_format(mc__time_now(), vf);
	}
	/* The date of issuing is an Annex I element: when the learner document
	 * has none, it is the moment of validity. */
	if (!m.issued && (st = mc__strdup_to(&m.issued, vf)) != MC_OK)
		goto nomem;

	if (!(cred = mc__model_to_credential(&m, id, vf)))
		goto nomem;

	/* Self-check: the produced credential must validate and read back to
	 * the same model; this also catches option/input conflicts such as a
	 * valid_from after the learner's validUntil. */
	if (!(rep2 = mc__report_new()))
		goto nomem;
	mc__model_read_credential(&back, cred, rep2, &st);
	if (st != MC_OK)
		goto nomem;
	if ((st = mc__report_first(rep2, err, MC_ERR_INVALID)) != MC_OK)
		goto done;
	const char *where = NULL;
	if (!mc__model_equal(&m, &back, &where)) {
		st = mc__fail(err, MC_ERR_INTERNAL, NULL, "credential does not read back: %s differs", where);
		goto done;
	}
	*out = cred;
	cred = NULL;
	st = MC_OK;
	goto done;
nomem:
	st = mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
done:
	cJSON_Delete(cred);
	mc_report_free(rep);
	mc_report_free(rep2);
	mc__model_release(&m);
	mc__model_release(&back);
	return st;
}

mc_status mc__build_tree_texts(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                            const char *learner, size_t llen, const mc_build_opts *opts, cJSON **out,
                            mc_err *err)
{
	*out = NULL;
	mc__build_prep p;
	mc_status st = mc__build_prepare(achievement, alen, issuer, ilen, &p, err);
	if (st == MC_OK) {
		st = mc__build_tree(&p, learner, llen, opts, out, err);
		mc__build_prep_release(&p);
	}
	return st;
}

mc_status mc_credential_build(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                              const char *learner, size_t llen, const mc_build_opts *opts, char **out,
                              mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out must not be NULL");
	*out = NULL;
	cJSON *cred = NULL;
	mc_status st = mc__build_tree_texts(achievement, alen, issuer, ilen, learner, llen, opts, &cred, err);
	if (st != MC_OK)
		return st;
	*out = mc__json_print(cred, 1);
	cJSON_Delete(cred);
	return *out ? MC_OK : mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_status mc_credential_build_doc(const char *achievement, size_t alen, const char *issuer, size_t ilen,
                                  const char *learner, size_t llen, const mc_build_opts *opts, mc_doc **out,
                                  mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out must not be NULL");
	*out = NULL;
	cJSON *cred = NULL;
	mc_status st = mc__build_tree_texts(achievement, alen, issuer, ilen, learner, llen, opts, &cred, err);
	if (st != MC_OK)
		return st;
	if (!(*out = mc__doc_wrap(cred)))
		return mc__fail(err, MC_ERR_NOMEM, NULL, "out of memory");
	return MC_OK;
}
