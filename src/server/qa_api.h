/*
 * qa_api.h - the quality-assurance handlers (qa_api.c) and their routes,
 * as one block that routes.c appends to srv_routes[] (a macro, so the
 * table stays one array that dispatch, the access log and the OpenAPI
 * test read).
 */
#ifndef MC_SRV_QA_API_H
#define MC_SRV_QA_API_H

#include "srv.h"

void srv_qa_config_get(srv *s, srv_req *r, srv_reply *out);
void srv_qa_config_put(srv *s, srv_req *r, srv_reply *out);
void srv_qa_decide(srv *s, srv_req *r, srv_reply *out);
void srv_qa_employment(srv *s, srv_req *r, srv_reply *out);
void srv_qa_feedback(srv *s, srv_req *r, srv_reply *out);
void srv_qa_feedback_csv(srv *s, srv_req *r, srv_reply *out);
void srv_qa_invitation_answer(srv *s, srv_req *r, srv_reply *out);
void srv_qa_invitation_get(srv *s, srv_req *r, srv_reply *out);
void srv_qa_invite(srv *s, srv_req *r, srv_reply *out);
void srv_qa_invites(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_action(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_canvas(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_compare(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_get(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_list(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_model(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_new(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_proposals(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_score(srv *s, srv_req *r, srv_reply *out);
void srv_qa_m_stage(srv *s, srv_req *r, srv_reply *out);
void srv_qa_modify(srv *s, srv_req *r, srv_reply *out);
void srv_qa_notifications(srv *s, srv_req *r, srv_reply *out);
void srv_qa_outbox(srv *s, srv_req *r, srv_reply *out);
void srv_qa_outbox_send(srv *s, srv_req *r, srv_reply *out);
void srv_qa_outcomes(srv *s, srv_req *r, srv_reply *out);
void srv_qa_overdue(srv *s, srv_req *r, srv_reply *out);
void srv_qa_page(srv *s, srv_req *r, srv_reply *out);
void srv_qa_public(srv *s, srv_req *r, srv_reply *out);
void srv_qa_publish(srv *s, srv_req *r, srv_reply *out);
void srv_qa_q_get(srv *s, srv_req *r, srv_reply *out);
void srv_qa_q_list(srv *s, srv_req *r, srv_reply *out);
void srv_qa_q_put(srv *s, srv_req *r, srv_reply *out);
void srv_qa_recognition(srv *s, srv_req *r, srv_reply *out);
void srv_qa_retire(srv *s, srv_req *r, srv_reply *out);
void srv_qa_review(srv *s, srv_req *r, srv_reply *out);
void srv_qa_spec_get(srv *s, srv_req *r, srv_reply *out);
void srv_qa_specs(srv *s, srv_req *r, srv_reply *out);
void srv_qa_submit(srv *s, srv_req *r, srv_reply *out);
void srv_qa_subscriber_add(srv *s, srv_req *r, srv_reply *out);
void srv_qa_subscriber_del(srv *s, srv_req *r, srv_reply *out);
void srv_qa_subscribers(srv *s, srv_req *r, srv_reply *out);

/* The notification delivery thread (serve.c starts and stops it). */
int srv_qa_notify_start(srv *s);
void srv_qa_notify_stop(srv *s);

/* Route entries; R is routes.c's {method, pattern, handler, auth, body}. */
#define SRV_QA_ROUTES \
	R("GET", "/qa", srv_qa_page, AUTH_PUBLIC, BODY_NONE), \
	R("GET", "/qa/feedback", srv_qa_page, AUTH_PUBLIC, BODY_NONE), \
	R("GET", "/qa/public", srv_qa_page, AUTH_PUBLIC, BODY_NONE), \
	R("GET", "/qa/workshop", srv_qa_page, AUTH_PUBLIC, BODY_NONE), \
	R("GET", "/api/v1/qa/public/{provider}", srv_qa_public, AUTH_PUBLIC, BODY_NONE), \
	R("GET", "/api/v1/qa/invitations/{token}", srv_qa_invitation_get, AUTH_PUBLIC, BODY_NONE), \
	R("POST", "/api/v1/qa/invitations/{token}", srv_qa_invitation_answer, AUTH_PUBLIC, BODY_PUBLIC_JSON), \
	R("GET", "/api/v1/qa/specs", srv_qa_specs, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/specs/{id}", srv_qa_spec_get, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/specs/{id}/submit", srv_qa_submit, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/decisions", srv_qa_decide, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/publish", srv_qa_publish, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/review", srv_qa_review, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/modify", srv_qa_modify, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/retire", srv_qa_retire, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/specs/{id}/notifications", srv_qa_notifications, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/specs/{id}/invitations", srv_qa_invite, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/specs/{id}/invitations", srv_qa_invites, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/specs/{id}/feedback", srv_qa_feedback, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/specs/{id}/feedback.csv", srv_qa_feedback_csv, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/specs/{id}/outcomes", srv_qa_outcomes, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/specs/{id}/outcomes/employment", srv_qa_employment, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/specs/{id}/outcomes/recognition", srv_qa_recognition, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/overdue", srv_qa_overdue, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/config", srv_qa_config_get, MC_ROLE_READER, BODY_NONE), \
	R("PUT", "/api/v1/qa/config", srv_qa_config_put, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/questionnaires", srv_qa_q_list, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/questionnaires/{id}", srv_qa_q_get, MC_ROLE_READER, BODY_NONE), \
	R("PUT", "/api/v1/qa/questionnaires/{id}", srv_qa_q_put, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/subscribers", srv_qa_subscribers, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/subscribers", srv_qa_subscriber_add, MC_ROLE_READER, BODY_JSON), \
	R("DELETE", "/api/v1/qa/subscribers/{id}", srv_qa_subscriber_del, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/outbox", srv_qa_outbox, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/outbox/send", srv_qa_outbox_send, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity/model", srv_qa_m_model, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity/proposals", srv_qa_m_proposals, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity/compare", srv_qa_m_compare, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity", srv_qa_m_list, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/maturity", srv_qa_m_new, MC_ROLE_READER, BODY_JSON), \
	R("GET", "/api/v1/qa/maturity/{id}", srv_qa_m_get, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity/{id}/canvas.svg", srv_qa_m_canvas, MC_ROLE_READER, BODY_NONE), \
	R("GET", "/api/v1/qa/maturity/{id}/canvas.html", srv_qa_m_canvas, MC_ROLE_READER, BODY_NONE), \
	R("POST", "/api/v1/qa/maturity/{id}/scores", srv_qa_m_score, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/maturity/{id}/stage", srv_qa_m_stage, MC_ROLE_READER, BODY_JSON), \
	R("POST", "/api/v1/qa/maturity/{id}/actions", srv_qa_m_action, MC_ROLE_READER, BODY_JSON),

#endif
