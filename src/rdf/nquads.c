/*
 * nquads.c - strict RDF 1.1 N-Quads parser (W3C grammar, section 5) into an
 * mc_rdf_dataset.
 *
 * The whole input is first checked to be UTF-8 without NUL bytes; the
 * grammar is then followed against an explicit end pointer, one token at a
 * time. Escapes are decoded into scratch buffers and the resulting terms go
 * through the same checks and interning as mc_rdf_dataset_add, so a parsed
 * dataset and a built one cannot differ. Nothing is repaired: the first
 * deviation is reported with its line and column.
 */
#include <stdio.h>
#include <string.h>

#include "rdf/rdf_internal.h"

typedef struct parser {
	/* whole input, for line/column of errors */
	const unsigned char *buf;
	/* cursor and end */
	const unsigned char *p, *end;
	mc_rdf_dataset *ds;
	/* decoded IRI or lexical form, and datatype IRI */
	mc__buf val, dt;
	mc_err *err;
} parser;

MC__PRINTF(4, 5)
static mc_status fail_at(parser *ps, mc_status st, const unsigned char *at, const char *fmt, ...)
{
	size_t line = 1, col = 1;
	for (const unsigned char *q = ps->buf; q < at; q++) {
		if (*q == '\n') {
			line++, col = 1;
		} else if (*q == '\r') {
			line++, col = 1;
			if (q + 1 < at && q[1] == '\n')
				q++;
		} else if ((*q & 0xC0) != 0x80) {
			col++;
		}
	}
	char msg[MC_ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return mc__fail(ps->err, st, "nquads", "line %zu, column %zu: %s", line, col, msg);
}

/* Status of a scratch buffer after appending (NOMEM or TOO_LARGE). */
static mc_status buf_check(parser *ps, mc__buf *b, const unsigned char *at)
{
	if (b->status == MC_OK)
		return MC_OK;
	return fail_at(ps, b->status, at, "%s", b->status == MC_ERR_TOO_LARGE ? "term too long" : "out of memory");
}

static void skip_ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	c |= 32;
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	return -1;
}

/* UCHAR after the backslash: ps->p at 'u' or 'U'. */
static mc_status uchar(parser *ps, uint32_t *cp)
{
	const unsigned char *at = ps->p - 1;
	size_t n = *ps->p == 'u' ? 4 : 8;
	ps->p++;
	if ((size_t)(ps->end - ps->p) < n)
		return fail_at(ps, MC_ERR_VALUE, at, "truncated \\%c escape", n == 4 ? 'u' : 'U');
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(ps->p[i]);
		if (h < 0)
			return fail_at(ps, MC_ERR_VALUE, at, "\\%c escape needs %zu hex digits", n == 4 ? 'u' : 'U', n);
		v = v << 4 | (uint32_t)h;
	}
	ps->p += n;
	if (v >= 0xD800 && v <= 0xDFFF)
		return fail_at(ps, MC_ERR_VALUE, at, "escape of U+%04X, a surrogate, is not a character", (unsigned)v);
	if (v > 0x10FFFF)
		return fail_at(ps, MC_ERR_VALUE, at, "escape beyond U+10FFFF");
	*cp = v;
	return MC_OK;
}

/* IRIREF into b; ps->p at '<'. */
static mc_status iriref(parser *ps, mc__buf *b)
{
	const unsigned char *start = ps->p;
	b->len = 0;
	ps->p++;
	for (;;) {
		if (ps->p >= ps->end)
			return fail_at(ps, MC_ERR_VALUE, start, "unterminated IRI (no '>')");
		unsigned c = *ps->p;
		if (c == '>')
			break;
		if (c == '\\') {
			ps->p++;
			if (ps->p >= ps->end || (*ps->p != 'u' && *ps->p != 'U'))
				return fail_at(ps, MC_ERR_VALUE, ps->p - 1, "only \\u and \\U escapes are allowed in an IRI");
			uint32_t cp;
			mc_status st = uchar(ps, &cp);
			if (st != MC_OK)
				return st;
			if (mc__rdf_iri_bad(cp))
				return fail_at(ps, MC_ERR_VALUE, start,
				               "IRI escapes U+%04X, which an IRI may not contain", (unsigned)cp);
			mc__utf8_put(b, cp);
			continue;
		}
		if (mc__rdf_iri_bad(c))
			return fail_at(ps, MC_ERR_VALUE, ps->p,
			               c == ' ' ? "space in IRI" : c < 0x20 ? "control character or line break in IRI"
			                                                   : "character '%c' not allowed in IRI",
			               (int)c);
		/* a run of ordinary bytes (the input is valid UTF-8 already) */
		const unsigned char *run = ps->p;
		while (ps->p < ps->end && *ps->p != '>' && !mc__rdf_iri_bad(*ps->p))
			ps->p++;
		mc__buf_add(b, run, (size_t)(ps->p - run));
	}
	ps->p++; /* '>' */
	mc_status st = buf_check(ps, b, start);
	if (st != MC_OK)
		return st;
	const char *why = mc__rdf_check_scheme(b->data ? b->data : "", b->len);
	if (why)
		return fail_at(ps, MC_ERR_VALUE, start, "%s", why);
	return MC_OK;
}

static mc_status iri_term(parser *ps, uint32_t *id)
{
	const unsigned char *start = ps->p;
	mc_status st = iriref(ps, &ps->val);
	if (st != MC_OK)
		return st;
	st = mc__rdf_term_iri(ps->ds, ps->val.data, ps->val.len, id);
	if (st != MC_OK)
		return fail_at(ps, st, start, "%s",
		               st == MC_ERR_TOO_LARGE ? "dataset exceeds MC_RDF_MAX_TEXT_BYTES" : mc_strerror(st));
	return MC_OK;
}

/* BLANK_NODE_LABEL; ps->p at '_'. */
static mc_status blank_term(parser *ps, uint32_t *id)
{
	const unsigned char *start = ps->p;
	if (ps->end - ps->p < 2 || ps->p[1] != ':')
		return fail_at(ps, MC_ERR_VALUE, start, "expected \"_:\" to start a blank node label");
	ps->p += 2;
	const unsigned char *lab = ps->p, *last_ok = ps->p;
	for (int first = 1; ps->p < ps->end; first = 0) {
		uint32_t cp;
		size_t k = mc__utf8_decode(ps->p, ps->end, &cp);
		if (first && !(mc__rdf_pn_chars_u(cp) || (cp >= '0' && cp <= '9')))
			return fail_at(ps, MC_ERR_VALUE, ps->p,
			               "blank node label must start with a letter, digit, '_' or ':'");
		if (!first && !(mc__rdf_pn_chars(cp) || cp == '.'))
			break; /* the label ends at the first character it cannot hold */
		ps->p += k;
		if (cp != '.')
			last_ok = ps->p;
	}
	if (last_ok == lab)
		return fail_at(ps, MC_ERR_VALUE, start, "empty blank node label");
	ps->p = last_ok; /* a label never ends with '.': trailing dots belong to the statement */
	mc_status st = mc__rdf_term_blank(ps->ds, (const char *)lab, (size_t)(last_ok - lab), id);
	if (st != MC_OK)
		return fail_at(ps, st, start, "%s",
		               st == MC_ERR_TOO_LARGE ? "more than MC_RDF_MAX_BLANK_NODES blank nodes or "
		                                        "MC_RDF_MAX_TEXT_BYTES of text"
		                                      : mc_strerror(st));
	return MC_OK;
}

/* STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?; ps->p at '"'. */
static mc_status literal_term(parser *ps, uint32_t *id)
{
	const unsigned char *start = ps->p;
	mc__buf *v = &ps->val;
	v->len = 0;
	ps->p++;
	for (;;) {
		if (ps->p >= ps->end)
			return fail_at(ps, MC_ERR_VALUE, start, "unterminated string literal");
		unsigned c = *ps->p;
		if (c == '"')
			break;
		if (c == '\n' || c == '\r')
			return fail_at(ps, MC_ERR_VALUE, ps->p, "line break inside a string literal (write \\n or \\r)");
		if (c == '\\') {
			ps->p++;
			if (ps->p >= ps->end)
				return fail_at(ps, MC_ERR_VALUE, start, "unterminated string literal");
			char e = 0;
			switch (*ps->p) {
			case 't': e = '\t'; break;
			case 'b': e = '\b'; break;
			case 'n': e = '\n'; break;
			case 'r': e = '\r'; break;
			case 'f': e = '\f'; break;
			case '"': e = '"'; break;
			case '\'': e = '\''; break;
			case '\\': e = '\\'; break;
			case 'u':
			case 'U': {
				uint32_t cp;
				mc_status st = uchar(ps, &cp);
				if (st != MC_OK)
					return st;
				mc__utf8_put(v, cp);
				continue;
			}
			default:
				return fail_at(ps, MC_ERR_VALUE, ps->p - 1, "invalid escape '\\%c' (allowed: \\t \\b \\n \\r \\f \\\" \\' \\\\ \\u \\U)",
				               *ps->p < 0x80 && *ps->p >= 0x20 ? (int)*ps->p : '?');
			}
			mc__buf_add(v, &e, 1);
			ps->p++;
			continue;
		}
		const unsigned char *run = ps->p; /* ordinary bytes up to the next special one */
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && *ps->p != '\n' && *ps->p != '\r')
			ps->p++;
		mc__buf_add(v, run, (size_t)(ps->p - run));
	}
	ps->p++; /* closing quote */
	mc_status st = buf_check(ps, v, start);
	if (st != MC_OK)
		return st;
	const char *dt = NULL, *lang = NULL;
	size_t dtn = 0, langn = 0;
	if (ps->p < ps->end && *ps->p == '^') {
		if (ps->end - ps->p < 3 || ps->p[1] != '^' || ps->p[2] != '<')
			return fail_at(ps, MC_ERR_VALUE, ps->p, "expected ^^<datatype IRI> after the literal");
		ps->p += 2;
		st = iriref(ps, &ps->dt);
		if (st != MC_OK)
			return st;
		dt = ps->dt.data;
		dtn = ps->dt.len;
	} else if (ps->p < ps->end && *ps->p == '@') {
		const unsigned char *at = ps->p++;
		const unsigned char *l = ps->p;
		while (ps->p < ps->end && (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9') ||
		                           ((*ps->p | 32) >= 'a' && (*ps->p | 32) <= 'z')))
			ps->p++;
		lang = (const char *)l;
		langn = (size_t)(ps->p - l);
		const char *why = mc__rdf_check_lang(lang, langn);
		if (why)
			return fail_at(ps, MC_ERR_VALUE, at, "%s", why);
	}
	const char *why = mc__rdf_check_literal(dt, dtn, lang);
	if (why)
		return fail_at(ps, MC_ERR_VALUE, start, "%s", why);
	st = mc__rdf_term_literal(ps->ds, v->data ? v->data : "", v->len, dt, dtn, lang, langn, id);
	if (st != MC_OK)
		return fail_at(ps, st, start, "%s",
		               st == MC_ERR_TOO_LARGE ? "dataset exceeds MC_RDF_MAX_TEXT_BYTES" : mc_strerror(st));
	return MC_OK;
}

static mc_status statement(parser *ps)
{
	const unsigned char *start = ps->p;
	uint32_t q[4] = {0, 0, 0, MC__RDF_DEFAULT};
	mc_status st;
	/* subject */
	if (*ps->p == '<')
		st = iri_term(ps, &q[0]);
	else if (*ps->p == '_')
		st = blank_term(ps, &q[0]);
	else
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected a subject (<IRI> or _:label)");
	if (st != MC_OK)
		return st;
	/* predicate */
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '<')
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected a predicate <IRI>");
	if ((st = iri_term(ps, &q[1])) != MC_OK)
		return st;
	/* object */
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected an object");
	if (*ps->p == '<')
		st = iri_term(ps, &q[2]);
	else if (*ps->p == '_')
		st = blank_term(ps, &q[2]);
	else if (*ps->p == '"')
		st = literal_term(ps, &q[2]);
	else
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected an object (<IRI>, _:label or \"literal\")");
	if (st != MC_OK)
		return st;
	/* optional graph label */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '<')
		st = iri_term(ps, &q[3]);
	else if (ps->p < ps->end && *ps->p == '_')
		st = blank_term(ps, &q[3]);
	if (st != MC_OK)
		return st;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '.')
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected '.' to end the statement");
	ps->p++;
	st = mc__rdf_add_quad(ps->ds, q);
	if (st != MC_OK)
		return fail_at(ps, st, start, "%s",
		               st == MC_ERR_TOO_LARGE ? "more than MC_RDF_MAX_QUADS quads" : mc_strerror(st));
	/* the rest of the line: whitespace and an optional comment */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '#')
		while (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r')
			ps->p++;
	if (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r')
		return fail_at(ps, MC_ERR_VALUE, ps->p, "expected the end of the line after '.'");
	return MC_OK;
}

/* Whole input is UTF-8 without NUL. */
static mc_status check_encoding(parser *ps)
{
	const unsigned char *p = ps->buf, *end = ps->end;
	while (p < end) {
		if (*p >= 0x80) {
			uint32_t cp;
			size_t k = mc__utf8_decode(p, end, &cp);
			if (!k)
				return fail_at(ps, MC_ERR_VALUE, p, "invalid UTF-8");
			p += k;
		} else if (*p == 0) {
			return fail_at(ps, MC_ERR_VALUE, p, "NUL byte");
		} else {
			p++;
		}
	}
	return MC_OK;
}

mc_status mc_nquads_parse(mc_rdf_dataset *ds, const char *buf, size_t len, mc_err *err)
{
	if (!ds || (!buf && len))
		return mc__fail(err, MC_ERR_ARG, !ds ? "ds" : "buf", "argument is NULL");
	if (len > MC_NQUADS_MAX_BYTES)
		return mc__fail(err, MC_ERR_TOO_LARGE, "nquads", "N-Quads input of %zu bytes exceeds MC_NQUADS_MAX_BYTES (%u)",
		                len, (unsigned)MC_NQUADS_MAX_BYTES);
	parser ps = {.buf = (const unsigned char *)buf, .p = (const unsigned char *)buf,
	             .end = (const unsigned char *)buf + len, .ds = ds, .err = err};
	mc__buf_init(&ps.val, MC_RDF_MAX_TEXT_BYTES);
	mc__buf_init(&ps.dt, MC_RDF_MAX_TEXT_BYTES);
	mc_status st = len ? check_encoding(&ps) : MC_OK;
	while (st == MC_OK && ps.p < ps.end) {
		skip_ws(&ps);
		if (ps.p >= ps.end)
			break;
		unsigned c = *ps.p;
		if (c == '\n' || c == '\r') {
			ps.p++;
		} else if (c == '#') {
			while (ps.p < ps.end && *ps.p != '\n' && *ps.p != '\r')
				ps.p++;
		} else {
			st = statement(&ps);
		}
	}
	mc__buf_release(&ps.val);
	mc__buf_release(&ps.dt);
	return st;
}
