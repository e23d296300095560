/*
 * extract.c - mc__model -> the input documents of mc_credential_build
 * ({"achievement":..,"issuer":..,"learner":..}), so that
 * build(extract(build(x))) == build(x). Texts come back as a plain string
 * when they are one entry in the default language (the form people write),
 * else as a language map; optional elements that are absent stay absent.
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

typedef struct jb {
	bool oom;
} jb;

static cJSON *put(jb *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
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

static void put_text(jb *b, cJSON *obj, const char *key, const mc__lmap *m, const char *dl)
{
	if (m->n)
		put(b, obj, key, mc__lmap_json_input(m, dl));
}

static void put_code(jb *b, cJSON *obj, const char *key, const mc__vocab *v, int idx)
{
	put_str(b, obj, key, mc__vocab_code(v, idx));
}

static cJSON *str_array(jb *b, char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a && i < n; i++) {
		cJSON *s = cJSON_CreateString(v[i]);
		if (!s || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			b->oom = true;
		}
	}
	return a;
}

static void achievement(jb *b, cJSON *doc, const mc__model *m)
{
	const char *dl = m->deflang ? m->deflang : MC__DEFAULT_LANG;
	cJSON *a = put(b, doc, "achievement", cJSON_CreateObject());
	put_str(b, a, "id", m->ach_id);
	if (strcmp(dl, MC__DEFAULT_LANG) != 0)
		put_str(b, a, "defaultLanguage", dl);
	put_text(b, a, "title", &m->title, dl);
	put_text(b, a, "description", &m->description, dl);
	cJSON *los = put(b, a, "learningOutcomes", cJSON_CreateArray());
	for (size_t i = 0; los && i < m->noutcomes; i++) {
		const mc__outcome *o = &m->outcomes[i];
		cJSON *item;
		if (o->nskills) {
			item = cJSON_CreateObject();
			put_text(b, item, "text", &o->text, dl);
			put(b, item, "skills", str_array(b, o->skills, o->nskills));
		} else {
			item = mc__lmap_json_input(&o->text, dl);
		}
		if (!item || !cJSON_AddItemToArray(los, item)) {
			cJSON_Delete(item);
			b->oom = true;
		}
	}
	put(b, a, "ects", cJSON_CreateNumber(m->ects));
	if (m->workload_hours)
		put(b, a, "workloadHours", cJSON_CreateNumber(m->workload_hours));
	if (m->eqf)
		put(b, a, "eqfLevel", cJSON_CreateNumber(m->eqf));
	put_code(b, a, "qfEheaCycle", &mc__v_qfehea, m->qfehea);
	if (m->nqf_framework) {
		cJSON *n = put(b, a, "nqf", cJSON_CreateObject());
		put_str(b, n, "framework", m->nqf_framework);
		put_str(b, n, "level", m->nqf_level);
	}
	cJSON *as = put(b, a, "assessment", cJSON_CreateObject());
	put_code(b, as, "type", &mc__v_assessment, m->assessment);
	put_text(b, as, "description", &m->assessment_desc, dl);
	put_code(b, a, "participation", &mc__v_participation, m->participation);
	cJSON *qa = put(b, a, "qualityAssurance", cJSON_CreateObject());
	put_code(b, qa, "type", &mc__v_qa, m->qa_type);
	put_text(b, qa, "description", &m->qa_desc, dl);
	put_str(b, qa, "agency", m->qa_agency);
	put_str(b, qa, "url", m->qa_url);
	put_text(b, a, "prerequisites", &m->prerequisites, dl);
	put_code(b, a, "supervision", &mc__v_supervision, m->supervision);
	put_code(b, a, "identityVerification", &mc__v_idverif, m->idverif);
	if (m->has_stack) {
		cJSON *st = put(b, a, "stackability", cJSON_CreateObject());
		put(b, st, "standalone", cJSON_CreateBool(m->standalone));
		if (m->nstack_into) {
			cJSON *into = put(b, st, "stackableInto", cJSON_CreateArray());
			for (size_t i = 0; into && i < m->nstack_into; i++) {
				cJSON *t = cJSON_CreateObject();
				if (!t || !cJSON_AddItemToArray(into, t)) {
					cJSON_Delete(t);
					b->oom = true;
					break;
				}
				put_str(b, t, "id", m->stack_into[i].id);
				put_text(b, t, "title", &m->stack_into[i].title, dl);
			}
		}
	}
	put_text(b, a, "furtherInformation", &m->further_info, dl);
	if (m->iscedf[0])
		put_str(b, a, "iscedF", m->iscedf);
	if (m->nlanguages)
		put(b, a, "languages", str_array(b, m->languages, m->nlanguages));
	if (m->has_awarding) {
		cJSON *ab = put(b, a, "awardingBody", cJSON_CreateObject());
		put_str(b, ab, "id", m->awarding_id);
		put_text(b, ab, "name", &m->awarding_name, dl);
		put_str(b, ab, "url", m->awarding_url);
	}
	put_text(b, a, "gradingScheme", &m->grading_scheme, dl);
}

static void issuer(jb *b, cJSON *doc, const mc__model *m)
{
	const char *dl = m->deflang ? m->deflang : MC__DEFAULT_LANG;
	cJSON *s = put(b, doc, "issuer", cJSON_CreateObject());
	put_str(b, s, "id", m->iss_id);
	put_text(b, s, "name", &m->iss_name, dl);
	put_str(b, s, "country", m->country[0] ? m->country : NULL);
	put_str(b, s, "region", m->region);
	put_str(b, s, "url", m->iss_url);
	put_str(b, s, "email", m->iss_email);
	if (m->niss_ids) {
		cJSON *ids = put(b, s, "identifiers", cJSON_CreateArray());
		for (size_t i = 0; ids && i < m->niss_ids; i++) {
			cJSON *e = cJSON_CreateObject();
			if (!e || !cJSON_AddItemToArray(ids, e)) {
				cJSON_Delete(e);
				b->oom = true;
				break;
			}
			put_str(b, e, "scheme", mc__vocab_code(&mc__v_idscheme, m->iss_ids[i].scheme));
			put_str(b, e, "value", m->iss_ids[i].value);
		}
	}
}

static void learner(jb *b, cJSON *doc, const mc__model *m)
{
	cJSON *l = put(b, doc, "learner", cJSON_CreateObject());
	put_str(b, l, "id", m->lr_id);
	put_str(b, l, "name", m->lr_name);
	put_str(b, l, "givenName", m->lr_given);
	put_str(b, l, "familyName", m->lr_family);
	put_str(b, l, "email", m->lr_email);
	put_str(b, l, "studentId", m->lr_student_id);
	put_str(b, l, "externalId", m->lr_external_id);
	put_str(b, l, "grade", m->grade);
	put_str(b, l, "issued", m->issued);
	put_str(b, l, "validUntil", m->valid_until);
}

cJSON *mc__model_to_inputs(const mc__model *m)
{
	jb b = {false};
	cJSON *doc = cJSON_CreateObject();
	if (!doc)
		return NULL;
	achievement(&b, doc, m);
	issuer(&b, doc, m);
	learner(&b, doc, m);
	if (b.oom) {
		cJSON_Delete(doc);
		return NULL;
	}
	return doc;
}
