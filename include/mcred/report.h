/*
 * report.h - the list of checks a verification or validation produced.
 *
 * A report is an opaque, library-owned handle. Each entry says which check
 * ran ("signature", "eu-elements", ...), its result, the JSON path it is
 * about (may be ""), a plain-language message for people, and the status
 * code a program can switch on. Strings in an entry live as long as the
 * report; mc_report_free releases everything.
 */
#ifndef MCRED_REPORT_H
#define MCRED_REPORT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_result {
	MC_PASS = 0,  /* the check ran and succeeded */
	MC_FAIL = 1,  /* the check ran and failed: the credential is not valid */
	MC_WARN = 2,  /* worth telling, does not make the credential invalid */
	MC_SKIP = 3   /* the check could not apply (e.g. no status entry) */
} mc_result;

typedef struct mc_finding {
	/* stable check identifier, e.g. "signature", "eu-elements", "dates" */
	const char *check;
	/* outcome */
	mc_result result;
	/* JSON path of the field concerned, "" when the check is about the whole */
	const char *path;
	/* one plain sentence */
	const char *message;
	/* machine-readable reason; MC_OK for MC_PASS/MC_SKIP */
	mc_status code;
} mc_finding;

typedef struct mc_report mc_report;

MC_API size_t mc_report_count(const mc_report *r);
/* i < mc_report_count(r); NULL otherwise */
MC_API const mc_finding *mc_report_get(const mc_report *r, size_t i);
/* 1 when no entry is MC_FAIL */
MC_API int mc_report_ok(const mc_report *r);
/* {"ok":true,"checks":[{"check":..,"result":"pass",..}]} ; caller frees */
MC_API MC_NODISCARD mc_status mc_report_json(const mc_report *r, char **out);
MC_API void mc_report_free(mc_report *r);

#ifdef __cplusplus
}
#endif
#endif /* MCRED_REPORT_H */
