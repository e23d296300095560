/*
 * schema.c - the store schema as numbered migrations, each written once per
 * dialect side by side, applied at open inside one transaction and
 * recorded in schema_version. Append new migrations at the end; never edit
 * one that has shipped (stores in the field already ran it).
 */
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

struct migration {
	/* 1, 2, ...: strictly increasing, no gaps */
	int64_t version;
	/* short description, recorded in schema_version */
	const char *name;
	/* DDL per dialect (MC__SQL_*) */
	const char *sql[MC__SQL_N];
};

/* The tables both dialects share, with the types spelled per dialect:
 * INTEGER/BLOB in SQLite, BIGINT/BYTEA in PostgreSQL (so binary results
 * decode as int8 and bytea). Keys, templates and credentials are never
 * deleted: they are an archive, and foreign keys keep it whole. */
#define CORE_TABLES(INT, BLOB)                                                                        \
	"CREATE TABLE issuers ("                                                                      \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  legal_name TEXT NOT NULL,"                                                                 \
	"  country TEXT NOT NULL CHECK (length(country) = 2),"                                        \
	"  identifiers TEXT NOT NULL,"                                                                \
	"  url TEXT,"                                                                                 \
	"  created " INT " NOT NULL);"                                                                \
	"CREATE TABLE signing_keys ("                                                                 \
	"  key_id TEXT PRIMARY KEY,"                                                                  \
	"  issuer_id TEXT NOT NULL REFERENCES issuers(id),"                                           \
	"  public_key_multibase TEXT NOT NULL,"                                                       \
	"  key_file TEXT,"                                                                            \
	"  created " INT " NOT NULL,"                                                                 \
	"  retired_at " INT ");"                                                                      \
	"CREATE INDEX signing_keys_issuer ON signing_keys(issuer_id);"                                \
	/* at most one active key per issuer, enforced by the database */                             \
	"CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(issuer_id) "                     \
	"  WHERE retired_at IS NULL;"                                                                 \
	"CREATE TABLE templates ("                                                                    \
	"  id TEXT NOT NULL,"                                                                         \
	"  version " INT " NOT NULL CHECK (version >= 1),"                                            \
	"  state TEXT NOT NULL CHECK (state IN ('draft','published','retired')),"                     \
	"  json TEXT NOT NULL,"                                                                       \
	"  created " INT " NOT NULL,"                                                                 \
	"  PRIMARY KEY (id, version));"                                                               \
	"CREATE TABLE status_lists ("                                                                 \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  purpose TEXT NOT NULL CHECK (purpose IN ('revocation','suspension')),"                     \
	"  size " INT " NOT NULL CHECK (size >= 131072 AND size % 8 = 0),"                            \
	"  bits " BLOB " NOT NULL,"                                                                   \
	"  taken " BLOB " NOT NULL,"                                                                  \
	"  allocated " INT " NOT NULL,"                                                               \
	"  updated " INT " NOT NULL);"                                                                \
	"CREATE TABLE credentials ("                                                                  \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  template_id TEXT NOT NULL,"                                                                \
	"  template_version " INT " NOT NULL,"                                                        \
	"  learner_id TEXT NOT NULL,"                                                                 \
	"  external_id TEXT NOT NULL,"                                                                \
	"  batch_id TEXT,"                                                                            \
	"  status_list_id TEXT REFERENCES status_lists(id),"                                          \
	"  status_index " INT " CHECK (status_index >= 0),"                                           \
	"  learner TEXT,"                                                                             \
	"  json TEXT,"                                                                                \
	"  issued_at " INT " NOT NULL,"                                                               \
	"  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','suspended','revoked')),"    \
	"  state_reason TEXT,"                                                                        \
	"  erased_at " INT ","                                                                        \
	"  FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version),"            \
	"  CONSTRAINT credentials_idempotency UNIQUE (template_id, learner_id, external_id),"         \
	"  CONSTRAINT credentials_status_entry UNIQUE (status_list_id, status_index),"                \
	"  CHECK ((status_list_id IS NULL) = (status_index IS NULL)));"                               \
	"CREATE INDEX credentials_learner ON credentials(learner_id);"                                \
	"CREATE INDEX credentials_batch ON credentials(batch_id);"

#define REGISTER_TABLES(INT)                                                                          \
	"CREATE TABLE reg_providers ("                                                                \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  name TEXT NOT NULL,"                                                                       \
	"  country TEXT NOT NULL CHECK (length(country) = 2),"                                        \
	"  kind TEXT NOT NULL CHECK (kind IN ('hei','alternative')),"                                 \
	"  identifiers TEXT NOT NULL,"                                                                \
	"  url TEXT);"                                                                                \
	"CREATE TABLE reg_agencies ("                                                                 \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  name TEXT NOT NULL,"                                                                       \
	"  country TEXT NOT NULL CHECK (length(country) = 2),"                                        \
	"  eqar_registered " INT " NOT NULL CHECK (eqar_registered IN (0, 1)),"                       \
	"  url TEXT);"                                                                                \
	"CREATE TABLE reg_qa_results ("                                                               \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  provider_id TEXT NOT NULL REFERENCES reg_providers(id),"                                   \
	"  agency_id TEXT NOT NULL REFERENCES reg_agencies(id),"                                      \
	"  kind TEXT NOT NULL CHECK (kind IN ('institutional-review','programme-accreditation',"      \
	"    'iso-17024','platform-certification','other')),"                                         \
	"  decision TEXT NOT NULL CHECK (decision IN ('positive','positive-with-conditions','negative')),"\
	"  valid_from TEXT NOT NULL,"                                                                 \
	"  valid_until TEXT,"                                                                         \
	"  report_url TEXT,"                                                                          \
	"  scope TEXT,"                                                                               \
	"  CHECK (valid_until IS NULL OR valid_until >= valid_from));"                                \
	"CREATE INDEX reg_qa_provider ON reg_qa_results(provider_id);"

/* extra: PostgreSQL's generated search column */
#define CATALOGUE_TABLE(INT, extra)                                                                   \
	"CREATE TABLE catalogue_offers ("                                                             \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  provider_id TEXT NOT NULL,"                                                                \
	"  title TEXT NOT NULL,"                                                                      \
	"  description TEXT NOT NULL,"                                                                \
	"  outcomes TEXT NOT NULL,"                                                                   \
	"  ects_centi " INT " NOT NULL CHECK (ects_centi >= 0),"                                      \
	"  eqf " INT ","                                                                              \
	"  field TEXT,"                                                                               \
	"  country TEXT NOT NULL,"                                                                    \
	"  language TEXT NOT NULL,"                                                                   \
	"  mode TEXT NOT NULL,"                                                                       \
	"  json TEXT NOT NULL,"                                                                       \
	"  facets TEXT NOT NULL,"                                                                     \
	"  updated " INT " NOT NULL" extra ");"                                                       \
	"CREATE INDEX catalogue_provider ON catalogue_offers(provider_id);"

#define RECOGNITION_COLS(INT)                                                                         \
	"  policy_id TEXT NOT NULL,"                                                                  \
	"  digest TEXT NOT NULL CHECK (length(digest) = 64),"                                         \
	"  credential_id TEXT,"                                                                       \
	"  issuer_id TEXT,"                                                                           \
	"  outcome TEXT NOT NULL CHECK (outcome IN ('recognised','referred')),"                       \
	"  ects_centi " INT " NOT NULL,"                                                              \
	"  towards TEXT,"                                                                             \
	"  reasons TEXT NOT NULL,"                                                                    \
	"  actor TEXT NOT NULL,"                                                                      \
	"  decided_at " INT " NOT NULL);"                                                             \
	"CREATE INDEX recognition_digest ON recognition_decisions(digest);"

/* Migration 9: stored pathways and recognition policies (each row the
 * validated JSON with its id and title), and which pathways each offer
 * says it stacks into (its "stackableInto"), kept by triggers so that
 * every writer of catalogue_offers keeps it, for "which offers lead into
 * this pathway". */
#define PATHWAY_TABLES(INT)                                                                           \
	"CREATE TABLE trust_pathways (id TEXT PRIMARY KEY, title TEXT NOT NULL, json TEXT NOT NULL,"  \
	"  actor TEXT NOT NULL, updated " INT " NOT NULL);"                                           \
	"CREATE TABLE recognition_policies (id TEXT PRIMARY KEY, title TEXT NOT NULL,"                \
	"  json TEXT NOT NULL, actor TEXT NOT NULL, updated " INT " NOT NULL);"                       \
	"CREATE TABLE catalogue_stacks (offer_id TEXT NOT NULL, pathway_id TEXT NOT NULL,"            \
	"  PRIMARY KEY (offer_id, pathway_id));"                                                      \
	"CREATE INDEX catalogue_stacks_pathway ON catalogue_stacks(pathway_id);"

/* Migration 3, the part both dialects spell alike. */
#define ISSUER_SERVICE(INT)                                                                           \
	"ALTER TABLE issuers ADD COLUMN profile TEXT;"                                                \
	"ALTER TABLE credentials ADD COLUMN replaces TEXT REFERENCES credentials(id);"                \
	"CREATE INDEX credentials_replaces ON credentials(replaces);"                                 \
	"UPDATE credentials SET replaces = substr(batch_id, 9) WHERE batch_id LIKE 'reissue:%'"       \
	"  AND substr(batch_id, 9) IN (SELECT id FROM credentials);"                                  \
	"ALTER TABLE status_lists ADD COLUMN credential TEXT;"                                        \
	"ALTER TABLE status_lists ADD COLUMN etag TEXT;"                                              \
	"CREATE TABLE shares ("                                                                       \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  credential_id TEXT NOT NULL UNIQUE REFERENCES credentials(id),"                            \
	"  created " INT " NOT NULL);"
#define QA_LIFECYCLE(INT, SERIAL)                                                                     \
	"CREATE TABLE qa_config ("                                                                    \
	"  provider TEXT PRIMARY KEY, json TEXT NOT NULL, updated " INT " NOT NULL);"                  \
	"CREATE TABLE qa_specs ("                                                                     \
	"  template_id TEXT NOT NULL,"                                                                \
	"  template_version " INT " NOT NULL,"                                                        \
	"  provider TEXT NOT NULL,"                                                                   \
	"  state TEXT NOT NULL CHECK (state IN ('draft','submitted','approved','published',"          \
	"    'under-review','modified','retired','rejected','superseded')),"                          \
	"  chain TEXT,"                                                                               \
	"  step " INT " NOT NULL DEFAULT 0,"                                                          \
	"  round " INT " NOT NULL DEFAULT 0,"                                                         \
	"  checks TEXT,"                                                                              \
	"  reapproval TEXT,"                                                                          \
	"  submitted_at " INT ", approved_at " INT ", published_at " INT ", retired_at " INT ","      \
	"  review_due " INT ","                                                                       \
	"  updated " INT " NOT NULL,"                                                                 \
	"  PRIMARY KEY (template_id, template_version),"                                              \
	"  FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version));"          \
	"CREATE INDEX qa_specs_provider ON qa_specs(provider);"                                       \
	"CREATE TABLE qa_events ("                                                                    \
	"  seq " SERIAL ","                                                                           \
	"  template_id TEXT NOT NULL, template_version " INT " NOT NULL,"                             \
	"  round " INT " NOT NULL, action TEXT NOT NULL, step_id TEXT, decision TEXT,"                \
	"  actor TEXT NOT NULL, role TEXT NOT NULL, comment TEXT, at " INT " NOT NULL,"               \
	"  FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version));"          \
	"CREATE INDEX qa_events_spec ON qa_events(template_id, template_version);"                    \
	"CREATE TABLE qa_notifications ("                                                             \
	"  template_id TEXT NOT NULL, template_version " INT " NOT NULL,"                             \
	"  credential_id TEXT NOT NULL REFERENCES credentials(id),"                                   \
	"  learner_id TEXT NOT NULL, kind TEXT NOT NULL, created " INT " NOT NULL,"                   \
	"  PRIMARY KEY (template_id, template_version, credential_id));"

#define QA_EVIDENCE(INT, SERIAL)                                                                      \
	"CREATE TABLE qa_questionnaires ("                                                            \
	"  id TEXT NOT NULL, version " INT " NOT NULL,"                                               \
	"  audience TEXT NOT NULL CHECK (audience IN ('learner','employer','peer')),"                 \
	"  json TEXT NOT NULL, created " INT " NOT NULL,"                                             \
	"  PRIMARY KEY (id, version));"                                                               \
	"CREATE TABLE qa_responses ("                                                                 \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  questionnaire_id TEXT NOT NULL, questionnaire_version " INT " NOT NULL,"                   \
	"  audience TEXT NOT NULL,"                                                                   \
	"  template_id TEXT NOT NULL, template_version " INT " NOT NULL,"                             \
	"  credential_id TEXT REFERENCES credentials(id),"                                            \
	"  respondent TEXT, answers TEXT NOT NULL, created " INT " NOT NULL,"                         \
	"  FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES qa_questionnaires(id, version)," \
	"  FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version),"            \
	"  CONSTRAINT qa_responses_once UNIQUE (questionnaire_id, credential_id));"                   \
	"CREATE INDEX qa_responses_spec ON qa_responses(template_id, template_version);"              \
	"CREATE TABLE qa_recognitions ("                                                              \
	"  seq " SERIAL ","                                                                           \
	"  template_id TEXT NOT NULL, template_version " INT ", credential_id TEXT,"                  \
	"  institution TEXT NOT NULL, country TEXT,"                                                  \
	"  decision TEXT NOT NULL CHECK (decision IN ('recognised','partially-recognised','not-recognised')),"  \
	"  purpose TEXT, decided_at " INT " NOT NULL, recorded_at " INT " NOT NULL);"                  \
	"CREATE INDEX qa_recognitions_spec ON qa_recognitions(template_id);"                          \
	"CREATE TABLE qa_employment ("                                                                \
	"  seq " SERIAL ","                                                                           \
	"  template_id TEXT NOT NULL, template_version " INT ", credential_id TEXT,"                  \
	"  months_after " INT " NOT NULL,"                                                            \
	"  status TEXT NOT NULL CHECK (status IN ('employed','self-employed','unemployed','studying','other')),"  \
	"  in_field " INT ", recorded_at " INT " NOT NULL);"                                          \
	"CREATE INDEX qa_employment_spec ON qa_employment(template_id);"                              \
	"CREATE TABLE qa_sessions ("                                                                  \
	"  id TEXT PRIMARY KEY, provider TEXT, title TEXT NOT NULL, model TEXT NOT NULL,"             \
	"  stage TEXT NOT NULL CHECK (stage IN ('first','discussion','closed')),"                     \
	"  created " INT " NOT NULL, closed_at " INT ");"                                             \
	"CREATE TABLE qa_scores ("                                                                    \
	"  session_id TEXT NOT NULL REFERENCES qa_sessions(id),"                                      \
	"  participant TEXT NOT NULL, question TEXT NOT NULL,"                                        \
	"  phase TEXT NOT NULL CHECK (phase IN ('first','final')),"                                   \
	"  colour TEXT NOT NULL CHECK (colour IN ('red','yellow','green')),"                          \
	"  note TEXT, updated " INT " NOT NULL,"                                                      \
	"  PRIMARY KEY (session_id, participant, question, phase));"                                  \
	"CREATE TABLE qa_actions ("                                                                   \
	"  seq " SERIAL ","                                                                           \
	"  session_id TEXT NOT NULL REFERENCES qa_sessions(id),"                                      \
	"  question TEXT, text TEXT NOT NULL, owner TEXT, created " INT " NOT NULL);"                 \
	"CREATE INDEX qa_actions_session ON qa_actions(session_id);"

/* Migration 10: feedback invitations (only the token's SHA-256 is kept)
 * and the notification outbox with its subscribers. */
#define QA_DELIVERY(INT, SERIAL)                                                                      \
	"CREATE TABLE qa_invitations ("                                                               \
	"  hash TEXT PRIMARY KEY CHECK (length(hash) = 64),"                                          \
	"  audience TEXT NOT NULL CHECK (audience IN ('learner','employer','peer')),"                 \
	"  questionnaire_id TEXT NOT NULL,"                                                           \
	"  template_id TEXT NOT NULL, template_version " INT " NOT NULL,"                             \
	"  credential_id TEXT REFERENCES credentials(id),"                                            \
	"  respondent TEXT, created_by TEXT NOT NULL,"                                                \
	"  created " INT " NOT NULL, expires " INT " NOT NULL,"                                       \
	"  used_at " INT ", response_id TEXT,"                                                        \
	"  FOREIGN KEY (template_id, template_version) REFERENCES templates(id, version));"          \
	"CREATE INDEX qa_invitations_spec ON qa_invitations(template_id);"                            \
	"CREATE TABLE qa_subscribers ("                                                               \
	"  id TEXT PRIMARY KEY,"                                                                      \
	"  kind TEXT NOT NULL CHECK (kind IN ('webhook','email')),"                                   \
	"  target TEXT NOT NULL, secret TEXT NOT NULL,"                                               \
	"  active " INT " NOT NULL CHECK (active IN (0, 1)), created " INT " NOT NULL);"              \
	"CREATE TABLE qa_outbox ("                                                                    \
	"  seq " SERIAL ","                                                                           \
	"  subscriber_id TEXT NOT NULL REFERENCES qa_subscribers(id),"                                \
	"  template_id TEXT NOT NULL, template_version " INT " NOT NULL,"                             \
	"  credential_id TEXT NOT NULL, learner_id TEXT NOT NULL,"                                    \
	"  state TEXT NOT NULL CHECK (state IN ('pending','sending','delivered','failed')),"          \
	"  attempts " INT " NOT NULL DEFAULT 0, next_at " INT " NOT NULL,"                            \
	"  lease_until " INT ", last_error TEXT, delivered_at " INT ", created " INT " NOT NULL,"      \
	"  CONSTRAINT qa_outbox_once UNIQUE (subscriber_id, template_id, template_version, credential_id));" \
	"CREATE INDEX qa_outbox_due ON qa_outbox(state, next_at);"

static const struct migration migrations[] = {
	{1, "issuers, keys, templates, status lists, credentials",
	 {CORE_TABLES("INTEGER", "BLOB"), CORE_TABLES("BIGINT", "BYTEA")}},
	/* The audit log refuses UPDATE and DELETE in the database itself, so
	 * no code path (ours or a DBA's slip) can rewrite history. */
	{2, "append-only audit log",
	 {"CREATE TABLE audit_log ("
	  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	  "  time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	  "  subject TEXT, details TEXT NOT NULL);"
	  "CREATE INDEX audit_subject ON audit_log(subject);"
	  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
	  "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
	  "  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
	  "CREATE TABLE audit_log ("
	  "  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	  "  time BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
	  "  subject TEXT, details TEXT NOT NULL);"
	  "CREATE INDEX audit_subject ON audit_log(subject);"
	  "CREATE FUNCTION mcred_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
	  "  $f$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $f$;"
	  "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
	  "  FOR EACH ROW EXECUTE FUNCTION mcred_audit_append_only();"
	  "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
	  "  FOR EACH STATEMENT EXECUTE FUNCTION mcred_audit_append_only();"}},
	/* The issuer service (include/mcred/issuer.h): the issuer profile in its
	 * own column (version 2 kept it in identifiers under "mcred:profile":
	 * moved here), the credential a reissue replaces (backfilled from the
	 * "reissue:<id>" batch ids version 2 wrote), the signed status list
	 * credential each list publishes with its ETag, and share ids. */
	{3, "issuer profile, reissue links, published status lists, shares",
	 {ISSUER_SERVICE("INTEGER") "UPDATE issuers SET profile = json_extract(identifiers, '$.\"mcred:profile\"'),"
	  "  identifiers = json_remove(identifiers, '$.\"mcred:profile\"')"
	  "  WHERE json_type(identifiers, '$.\"mcred:profile\"') = 'object';",
	  ISSUER_SERVICE("BIGINT") "UPDATE issuers SET profile = (identifiers::jsonb -> 'mcred:profile')::text,"
	  "  identifiers = (identifiers::jsonb - 'mcred:profile')::text"
	  "  WHERE jsonb_typeof(identifiers::jsonb -> 'mcred:profile') = 'object';"}},
	/* QA lifecycle (src/qa, docs/qa.md): one row per template version that
	 * QA touched, the approval chain copied at submission, the history of
	 * every step, and who is told when a specification retires. */
	{4, "qa lifecycle: specifications, decisions, notifications",
	 {QA_LIFECYCLE("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT"),
	  QA_LIFECYCLE("BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")}},
	/* QA evidence (src/qa): questionnaires and responses, outcome signals,
	 * maturity workshop sessions. Responses carry no learner column: the
	 * credential links them to a learner for de-duplication only. */
	{5, "qa feedback, outcome signals, maturity sessions",
	 {QA_EVIDENCE("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT"),
	  QA_EVIDENCE("BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")}},
	/* Trust register (trust.h): providers, QA agencies and external QA
	 * results. Dates are 'YYYY-MM-DD' text, which orders as dates; the
	 * database refuses a result that ends before it starts. */
	{6, "register of providers, QA agencies and QA results",
	 {REGISTER_TABLES("INTEGER"), REGISTER_TABLES("BIGINT")}},
	/* Catalogue of offers with full-text search: SQLite FTS5 as an
	 * external-content index kept by triggers (unicode61, diacritics
	 * folded); PostgreSQL a generated tsvector with a GIN index. Both use
	 * no stemming ('simple'), so a word finds the same offers on either.
	 * ECTS are stored in hundredths (integers: the SQL layer binds no
	 * floating point). `facets` holds one token per filter value
	 * ("xcountryat", "xeqf6", ...): filters become terms the index
	 * intersects before ranking, so a common word with two filters ranks
	 * the few offers that pass them instead of every offer with the word. */
	{7, "catalogue of offers with full-text search",
	 {CATALOGUE_TABLE("INTEGER", "")
	  "CREATE VIRTUAL TABLE catalogue_fts USING fts5(title, description, outcomes, facets,"
	  "  content='catalogue_offers', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');"
	  "CREATE TRIGGER catalogue_ai AFTER INSERT ON catalogue_offers BEGIN"
	  "  INSERT INTO catalogue_fts(rowid, title, description, outcomes, facets)"
	  "  VALUES (new.rowid, new.title, new.description, new.outcomes, new.facets); END;"
	  "CREATE TRIGGER catalogue_ad AFTER DELETE ON catalogue_offers BEGIN"
	  "  INSERT INTO catalogue_fts(catalogue_fts, rowid, title, description, outcomes, facets)"
	  "  VALUES ('delete', old.rowid, old.title, old.description, old.outcomes, old.facets); END;"
	  "CREATE TRIGGER catalogue_au AFTER UPDATE ON catalogue_offers BEGIN"
	  "  INSERT INTO catalogue_fts(catalogue_fts, rowid, title, description, outcomes, facets)"
	  "  VALUES ('delete', old.rowid, old.title, old.description, old.outcomes, old.facets);"
	  "  INSERT INTO catalogue_fts(rowid, title, description, outcomes, facets)"
	  "  VALUES (new.rowid, new.title, new.description, new.outcomes, new.facets); END;",
	  CATALOGUE_TABLE("BIGINT", ", search tsvector GENERATED ALWAYS AS ("
	                            "setweight(to_tsvector('simple', title), 'A') || "
	                            "setweight(to_tsvector('simple', description), 'B') || "
	                            "setweight(to_tsvector('simple', outcomes), 'C') || "
	                            "setweight(to_tsvector('simple', facets), 'D')) STORED")
	  "CREATE INDEX catalogue_search ON catalogue_offers USING GIN (search);"}},
	/* Recognition decisions (trust.h), kept with their reasons; the audit
	 * log records who decided. */
	{8, "recognition decisions",
	 {"CREATE TABLE recognition_decisions ("
	  "  id INTEGER PRIMARY KEY AUTOINCREMENT," RECOGNITION_COLS("INTEGER"),
	  "CREATE TABLE recognition_decisions ("
	  "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY," RECOGNITION_COLS("BIGINT")}},
	/* Pathways and recognition policies kept for the HTTP API and the
	 * portal; offer -> pathway links from each offer's stackableInto. */
	{9, "pathways, recognition policies, offer stacking links",
	 {PATHWAY_TABLES("INTEGER")
	  "CREATE TRIGGER catalogue_stacks_ai AFTER INSERT ON catalogue_offers BEGIN"
	  "  INSERT OR IGNORE INTO catalogue_stacks (offer_id, pathway_id)"
	  "  SELECT new.id, value FROM json_each(new.json, '$.stackableInto') WHERE type = 'text'; END;"
	  "CREATE TRIGGER catalogue_stacks_au AFTER UPDATE ON catalogue_offers BEGIN"
	  "  DELETE FROM catalogue_stacks WHERE offer_id = old.id;"
	  "  INSERT OR IGNORE INTO catalogue_stacks (offer_id, pathway_id)"
	  "  SELECT new.id, value FROM json_each(new.json, '$.stackableInto') WHERE type = 'text'; END;"
	  "CREATE TRIGGER catalogue_stacks_ad AFTER DELETE ON catalogue_offers BEGIN"
	  "  DELETE FROM catalogue_stacks WHERE offer_id = old.id; END;"
	  "INSERT OR IGNORE INTO catalogue_stacks (offer_id, pathway_id)"
	  "  SELECT o.id, j.value FROM catalogue_offers o, json_each(o.json, '$.stackableInto') j"
	  "  WHERE j.type = 'text';",
	  PATHWAY_TABLES("BIGINT")
	  "CREATE FUNCTION mcred_catalogue_stacks() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
	  "  IF TG_OP <> 'INSERT' THEN DELETE FROM catalogue_stacks WHERE offer_id = OLD.id; END IF;"
	  "  IF TG_OP <> 'DELETE' THEN"
	  "    INSERT INTO catalogue_stacks (offer_id, pathway_id)"
	  "    SELECT NEW.id, v FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(NEW.json::jsonb -> 'stackableInto')"
	  "      = 'array' THEN NEW.json::jsonb -> 'stackableInto' ELSE '[]'::jsonb END) v ON CONFLICT DO NOTHING;"
	  "  END IF; RETURN NULL; END $f$;"
	  "CREATE TRIGGER catalogue_stacks_sync AFTER INSERT OR UPDATE OR DELETE ON catalogue_offers"
	  "  FOR EACH ROW EXECUTE FUNCTION mcred_catalogue_stacks();"
	  "INSERT INTO catalogue_stacks (offer_id, pathway_id)"
	  "  SELECT o.id, v FROM catalogue_offers o, jsonb_array_elements_text(CASE WHEN"
	  "  jsonb_typeof(o.json::jsonb -> 'stackableInto') = 'array' THEN o.json::jsonb -> 'stackableInto'"
	  "  ELSE '[]'::jsonb END) v ON CONFLICT DO NOTHING;"}},
	{10, "qa feedback invitations, notification subscribers and outbox",
	 {QA_DELIVERY("INTEGER", "INTEGER PRIMARY KEY AUTOINCREMENT"),
	  QA_DELIVERY("BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")}},
};

#define N_MIGRATIONS (sizeof migrations / sizeof *migrations)

static const char sql_version_table[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	"  version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
static const char sql_current[] = "SELECT coalesce(max(version), 0) FROM schema_version";
static const char sql_count[] = "SELECT count(*) FROM schema_version";
static const char sql_record[] = "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

static mc_status apply(mc_store *s, const struct migration *m, mc_err *err)
{
	mc_status st = mc__store_script(s, "migrate", m->sql[s->vt->dialect], err);
	if (st != MC_OK)
		return st;
	mc__val p[3] = {mc__v_int(m->version), mc__v_text(m->name), mc__v_int(mc__time_now())};
	return mc__store_exec(s, "migrate", sql_record, p, 3, NULL, NULL, NULL, err);
}

static mc_status migrate_locked(mc_store *s, mc_err *err)
{
	mc_status st = MC_OK;
	if (s->vt->lock_schema)
		st = s->vt->lock_schema(s, err);
	if (st == MC_OK)
		st = mc__store_script(s, "migrate", sql_version_table, err);
	int64_t cur = 0;
	if (st == MC_OK)
		st = mc__store_exec(s, "migrate", sql_current, NULL, 0, mc__row_int, &cur, NULL, err);
	if (st != MC_OK)
		return st;
	if (cur > (int64_t)N_MIGRATIONS)
		return mc__fail(err, MC_ERR_UNSUPPORTED, NULL,
		                "store schema version %lld is newer than this mcred understands (%d): upgrade mcred",
		                (long long)cur, (int)N_MIGRATIONS);
	for (size_t i = (size_t)cur; i < N_MIGRATIONS && st == MC_OK; i++)
		st = apply(s, &migrations[i], err);
	return st;
}

mc_status mc__store_migrate(mc_store *s, mc_err *err)
{
	/* One transaction for all pending steps: a store is either at the old
	 * version or at the new one, never half-migrated. */
	mc_status st = mc__store_atomic_begin(s, false, err);
	if (st != MC_OK)
		return st;
	return mc__store_atomic_end(s, migrate_locked(s, err), err);
}

mc_status mc__store_schema(mc_store *s, int64_t *version, int64_t *applied, mc_err *err)
{
	int64_t v = 0, n = 0;
	mc_status st = mc__store_exec(s, "schema", sql_current, NULL, 0, mc__row_int, &v, NULL, err);
	if (st == MC_OK)
		st = mc__store_exec(s, "schema", sql_count, NULL, 0, mc__row_int, &n, NULL, err);
	if (st != MC_OK)
		return st;
	if (version)
		*version = v;
	if (applied)
		*applied = n;
	return MC_OK;
}
