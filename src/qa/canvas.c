/*
 * canvas.c - the EDEH boardroom canvas of a maturity session, drawn from
 * the session view (mc_qa_maturity_view) as SVG, and a printable HTML
 * page around it. Pure functions: the portal serves them, the CLI writes
 * them, tests compare them; nothing here touches the store.
 *
 * Every text from the view is XML-escaped (participants' notes are free
 * text), the page has no script (the portal's CSP forbids inline ones),
 * and the output has a ceiling (MC_QA_RENDER_MAX).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qa/qa_internal.h"

/* Layout, in SVG user units (px at 96 dpi). Ten questions per row as on
 * the printed canvas; the QA area's 31 questions take four rows. */
#define COLS 10
#define MARGIN 24
#define LABEL_W 190
#define CELL_W 96
#define CELL_H 78
#define HEAD_Y 104
#define MARK_R 5
#define MARKS_PER_ROW 7
#define MARKS_MAX 14

static const char *const fill[] = {"#c62828", "#f9a825", "#2e7d32"};
static const char *const tint[] = {"#ffebee", "#fff8e1", "#e8f5e9"};
static const char *const cnames[] = {"red", "yellow", "green"};

static int colour_of(const cJSON *v)
{
	for (int i = 0; cJSON_IsString(v) && i < 3; i++)
		if (strcmp(v->valuestring, cnames[i]) == 0)
			return i;
	return -1;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = mc__json_get(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void esc(mc__buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': mc__buf_adds(b, "&lt;"); break;
		case '>': mc__buf_adds(b, "&gt;"); break;
		case '&': mc__buf_adds(b, "&amp;"); break;
		case '"': mc__buf_adds(b, "&quot;"); break;
		case '\'': mc__buf_adds(b, "&#39;"); break;
		default: mc__buf_add(b, s, 1);
		}
	}
}

/* Each participant's latest indication of a question (revised, else
 * first); counts[3] gets the tally. Calls mark(i, colour) in order. */
static int latest(const cJSON *q, int counts[3], int colours_out[MARKS_MAX])
{
	const cJSON *first = mc__json_get(q, "first"), *rev = mc__json_get(q, "revised"), *e, *r;
	int n = 0;
	counts[0] = counts[1] = counts[2] = 0;
	cJSON_ArrayForEach(e, first)
	{
		int c = colour_of(mc__json_get(e, "colour"));
		cJSON_ArrayForEach(r, rev) if (strcmp(str(r, "participant"), str(e, "participant")) == 0) c =
			colour_of(mc__json_get(r, "colour"));
		if (c < 0)
			continue;
		counts[c]++;
		if (n < MARKS_MAX)
			colours_out[n] = c;
		n++;
	}
	/* revisions by someone without a first indication still count */
	cJSON_ArrayForEach(r, rev)
	{
		bool had = false;
		cJSON_ArrayForEach(e, first) had = had || strcmp(str(r, "participant"), str(e, "participant")) == 0;
		int c = colour_of(mc__json_get(r, "colour"));
		if (had || c < 0)
			continue;
		counts[c]++;
		if (n < MARKS_MAX)
			colours_out[n] = c;
		n++;
	}
	return n;
}

static mc_status check_view(const cJSON *v, mc_err *err)
{
	const cJSON *areas = mc__json_get(v, "areas");
	if (!cJSON_IsArray(areas))
		return mc__fail(err, areas ? MC_ERR_TYPE : MC_ERR_MISSING, "$.areas", "a maturity view has an areas array");
	int i = 0;
	const cJSON *a, *q;
	cJSON_ArrayForEach(a, areas)
	{
		char p[MC_ERR_PATH_MAX];
		mc__path_index(p, sizeof p, "$.areas", (size_t)i++);
		const cJSON *qs = mc__json_get(a, "questions");
		if (!cJSON_IsObject(a) || !cJSON_IsString(mc__json_get(a, "title")) || !cJSON_IsArray(qs))
			return mc__fail(err, MC_ERR_TYPE, p, "an area is {id, title, questions[]}");
		if (cJSON_GetArraySize(qs) > MC_QA_QUESTIONS_MAX)
			return mc__fail(err, MC_ERR_JSON_LIMIT, p, "an area has more than %d questions", MC_QA_QUESTIONS_MAX);
		int k = 0;
		cJSON_ArrayForEach(q, qs)
		{
			char qp[MC_ERR_PATH_MAX];
			mc__path_key(qp, sizeof qp, p, "questions");
			mc__path_index(qp, sizeof qp, qp, (size_t)k++);
			if (!cJSON_IsObject(q) || !cJSON_IsString(mc__json_get(q, "id")))
				return mc__fail(err, MC_ERR_TYPE, qp, "a question is an object with an id");
		}
	}
	return MC_OK;
}

static void svg_cell(mc__buf *b, const cJSON *q, int x, int y)
{
	int counts[3], marks[MARKS_MAX];
	int n = latest(q, counts, marks);
	int res = colour_of(mc__json_get(q, "result"));
	mc__buf_adds(b, "<g class=\"q\"><title>");
	esc(b, str(q, "id"));
	mc__buf_adds(b, " (");
	esc(b, str(q, "topic"));
	mc__buf_adds(b, "): ");
	esc(b, str(q, "text"));
	mc__buf_adds(b, "</title>");
	mc__buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#9e9e9e\"/>", x, y,
	             CELL_W, CELL_H, res >= 0 ? tint[res] : "#ffffff");
	if (res >= 0)
		mc__buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"4\" fill=\"%s\"/>", x, y, CELL_W, fill[res]);
	mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"qid\">", x + 6, y + 17);
	esc(b, str(q, "id"));
	mc__buf_adds(b, "</text>");
	const cJSON *prop = mc__json_get(q, "proposal");
	int pc = colour_of(mc__json_get(prop, "colour"));
	if (pc >= 0) {
		mc__buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"11\" height=\"11\" fill=\"%s\" stroke=\"#212121\" "
		                "stroke-dasharray=\"2 1\"><title>platform proposes %s: ",
		             x + CELL_W - 17, y + 7, fill[pc], cnames[pc]);
		esc(b, str(prop, "evidence"));
		mc__buf_adds(b, "</title></rect>");
	}
	for (int i = 0; i < n && i < MARKS_MAX; i++)
		mc__buf_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" stroke=\"#424242\" stroke-width=\"0.5\"/>",
		             x + 11 + (i % MARKS_PER_ROW) * 12, y + 32 + (i / MARKS_PER_ROW) * 13, MARK_R,
		             fill[marks[i]]);
	if (n > MARKS_MAX)
		mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\">+%d</text>", x + CELL_W - 22, y + 49, n - MARKS_MAX);
	const cJSON *hidden = mc__json_get(q, "hidden");
	int h = cJSON_IsNumber(hidden) ? (int)hidden->valuedouble : 0;
	mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\">%dG %dY %dR", x + 6, y + CELL_H - 8, counts[2], counts[1],
	             counts[0]);
	if (h > 0)
		mc__buf_addf(b, " +%d hidden", h);
	mc__buf_adds(b, "</text></g>\n");
}

/* The area label: title broken into lines of about 22 characters. */
static void svg_label(mc__buf *b, const cJSON *area, int y, int h)
{
	mc__buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eceff1\" stroke=\"#9e9e9e\"/>", MARGIN,
	             y, LABEL_W, h);
	const char *t = str(area, "title");
	int line = 0;
	while (*t && line < 4) {
		size_t n = strlen(t), cut = n;
		if (n > 22) {
			cut = 22;
			while (cut > 0 && t[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = 22;
		}
		char part[64];
		snprintf(part, sizeof part, "%.*s", (int)cut, t);
		mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"area\">", MARGIN + 10, y + 24 + line * 18);
		esc(b, part);
		mc__buf_adds(b, "</text>");
		t += cut;
		while (*t == ' ')
			t++;
		line++;
	}
}

static void svg_body(mc__buf *b, const cJSON *v)
{
	const cJSON *areas = mc__json_get(v, "areas"), *a, *q;
	int rows = 0;
	cJSON_ArrayForEach(a, areas) rows += (cJSON_GetArraySize(mc__json_get(a, "questions")) + COLS - 1) / COLS;
	int w = 2 * MARGIN + LABEL_W + COLS * CELL_W;
	int h = HEAD_Y + 24 + rows * CELL_H + 40;
	const cJSON *sess = mc__json_get(v, "session"), *model = mc__json_get(v, "model");
	mc__buf_addf(b,
	             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	             "role=\"img\" aria-labelledby=\"canvas-title\" font-family=\"Helvetica, Arial, sans-serif\">\n"
	             "<style>.qid{font-size:13px;font-weight:bold}.small{font-size:10px;fill:#424242}"
	             ".area{font-size:14px;font-weight:bold}.head{font-size:12px;fill:#616161}</style>\n"
	             "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
	             w, h, w, h);
	mc__buf_addf(b, "<text id=\"canvas-title\" x=\"%d\" y=\"38\" font-size=\"20\" font-weight=\"bold\">", MARGIN);
	esc(b, *str(model, "title") ? str(model, "title") : "Boardroom canvas");
	mc__buf_adds(b, "</text>\n");
	const cJSON *np = mc__json_get(v, "participants");
	mc__buf_addf(b, "<text x=\"%d\" y=\"62\" font-size=\"14\">", MARGIN);
	esc(b, str(sess, "title"));
	mc__buf_adds(b, " · stage: ");
	esc(b, str(sess, "stage"));
	mc__buf_addf(b, " · %d participant(s)</text>\n", cJSON_IsNumber(np) ? (int)np->valuedouble : 0);
	/* legend */
	static const char *const meaning[] = {"serious effort needed", "progress, room to improve", "on track"};
	for (int c = 2; c >= 0; c--) {
		int x = MARGIN + (2 - c) * 200;
		mc__buf_addf(b, "<circle cx=\"%d\" cy=\"82\" r=\"6\" fill=\"%s\"/><text x=\"%d\" y=\"86\" class=\"small\">%s</text>",
		             x + 6, fill[c], x + 16, meaning[c]);
	}
	mc__buf_addf(b, "<rect x=\"%d\" y=\"76\" width=\"11\" height=\"11\" fill=\"#ffffff\" stroke=\"#212121\" "
	                "stroke-dasharray=\"2 1\"/><text x=\"%d\" y=\"86\" class=\"small\">platform proposal</text>\n",
	             MARGIN + 600, MARGIN + 616);
	for (int c = 0; c < COLS; c++)
		mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"head\" text-anchor=\"middle\">%d</text>",
		             MARGIN + LABEL_W + c * CELL_W + CELL_W / 2, HEAD_Y + 14, c + 1);
	mc__buf_adds(b, "\n");
	int y = HEAD_Y + 24;
	cJSON_ArrayForEach(a, areas)
	{
		int nq = cJSON_GetArraySize(mc__json_get(a, "questions"));
		int arows = (nq + COLS - 1) / COLS;
		if (arows == 0)
			continue;
		svg_label(b, a, y, arows * CELL_H);
		int i = 0;
		cJSON_ArrayForEach(q, mc__json_get(a, "questions"))
		{
			svg_cell(b, q, MARGIN + LABEL_W + (i % COLS) * CELL_W, y + (i / COLS) * CELL_H);
			i++;
		}
		y += arows * CELL_H;
	}
	mc__buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"small\">Questions: EDEH, A European maturity model for "
	                "micro-credentials (2024), Part 4; canvas after Paul den Hertog (CC BY 4.0). G/Y/R: each "
	                "participant's latest indication.</text>\n</svg>",
	             MARGIN, y + 24);
}

static mc_status render(const char *view, size_t len, char **out, bool html, mc_err *err)
{
	if (!out)
		return mc__fail(err, MC_ERR_ARG, "out", "out is NULL");
	*out = NULL;
	if (!view)
		return mc__fail(err, MC_ERR_ARG, "view", "view is NULL");
	cJSON *v = NULL;
	MC__CHECK(mc__json_load(view, len, &v, err));
	mc_status st = check_view(v, err);
	if (st != MC_OK) {
		cJSON_Delete(v);
		return st;
	}
	mc__buf b;
	mc__buf_init(&b, MC_QA_RENDER_MAX);
	if (!html) {
		svg_body(&b, v);
	} else {
		const cJSON *sess = mc__json_get(v, "session"), *a, *q, *e;
		mc__buf_adds(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
		esc(&b, str(sess, "title"));
		mc__buf_adds(&b, " - maturity self-assessment</title>\n<style>@page{size:A3 landscape;margin:12mm}"
		                 "body{font-family:Helvetica,Arial,sans-serif;font-size:11pt;margin:0 12px}"
		                 "svg{max-width:100%;height:auto}table{border-collapse:collapse;width:100%;margin:8px 0 20px}"
		                 "th,td{border:1px solid #9e9e9e;padding:4px 6px;vertical-align:top;text-align:left}"
		                 "th{background:#eceff1}.c{display:inline-block;width:10px;height:10px;border-radius:5px;"
		                 "margin-right:4px}.red{background:#c62828}.yellow{background:#f9a825}.green{background:#2e7d32}"
		                 "h2{page-break-before:auto}tr{page-break-inside:avoid}</style></head><body>\n<h1>");
		esc(&b, str(sess, "title"));
		mc__buf_adds(&b, "</h1>\n<p>Stage: ");
		esc(&b, str(sess, "stage"));
		mc__buf_adds(&b, " · created ");
		esc(&b, str(sess, "created"));
		mc__buf_adds(&b, "</p>\n");
		svg_body(&b, v);
		cJSON_ArrayForEach(a, mc__json_get(v, "areas"))
		{
			mc__buf_adds(&b, "\n<h2>");
			esc(&b, str(a, "title"));
			mc__buf_adds(&b, "</h2>\n<table><tr><th>#</th><th>Question</th><th>First indications</th>"
			                 "<th>Revised</th><th>Result</th><th>Platform proposal</th><th>Actions</th></tr>\n");
			cJSON_ArrayForEach(q, mc__json_get(a, "questions"))
			{
				mc__buf_adds(&b, "<tr><td>");
				esc(&b, str(q, "id"));
				mc__buf_adds(&b, "</td><td>");
				esc(&b, str(q, "text"));
				for (int phase = 0; phase < 2; phase++) {
					mc__buf_adds(&b, "</td><td>");
					cJSON_ArrayForEach(e, mc__json_get(q, phase ? "revised" : "first"))
					{
						int c = colour_of(mc__json_get(e, "colour"));
						mc__buf_addf(&b, "<div><span class=\"c %s\"></span>", c >= 0 ? cnames[c] : "");
						esc(&b, str(e, "participant"));
						if (*str(e, "note")) {
							mc__buf_adds(&b, ": ");
							esc(&b, str(e, "note"));
						}
						mc__buf_adds(&b, "</div>");
					}
				}
				int r = colour_of(mc__json_get(q, "result"));
				mc__buf_addf(&b, "</td><td>%s%s%s", r >= 0 ? "<span class=\"c " : "", r >= 0 ? cnames[r] : "",
				             r >= 0 ? "\"></span>" : "");
				if (r >= 0)
					mc__buf_adds(&b, cnames[r]);
				mc__buf_adds(&b, "</td><td>");
				const cJSON *prop = mc__json_get(q, "proposal");
				int pc = colour_of(mc__json_get(prop, "colour"));
				if (pc >= 0) {
					mc__buf_addf(&b, "<span class=\"c %s\"></span>", cnames[pc]);
					esc(&b, str(prop, "evidence"));
				}
				mc__buf_adds(&b, "</td><td>");
				cJSON_ArrayForEach(e, mc__json_get(q, "actions"))
				{
					mc__buf_adds(&b, "<div>");
					esc(&b, str(e, "text"));
					if (*str(e, "owner")) {
						mc__buf_adds(&b, " (");
						esc(&b, str(e, "owner"));
						mc__buf_adds(&b, ")");
					}
					mc__buf_adds(&b, "</div>");
				}
				mc__buf_adds(&b, "</td></tr>\n");
			}
			mc__buf_adds(&b, "</table>\n");
		}
		mc__buf_adds(&b, "<h2>General actions</h2>\n<ul>");
		cJSON_ArrayForEach(e, mc__json_get(v, "actions"))
		{
			mc__buf_adds(&b, "<li>");
			esc(&b, str(e, "text"));
			if (*str(e, "owner")) {
				mc__buf_adds(&b, " (");
				esc(&b, str(e, "owner"));
				mc__buf_adds(&b, ")");
			}
			mc__buf_adds(&b, "</li>");
		}
		mc__buf_adds(&b, "</ul>\n<p>Have we gathered enough insights to take the next step and establish the "
		                 "strategy? If not, what is still lacking and where can we find more information?</p>\n"
		                 "</body></html>");
	}
	cJSON_Delete(v);
	st = b.status;
	*out = mc__buf_take(&b, NULL);
	if (st != MC_OK || !*out) {
		mc_free(*out);
		*out = NULL;
		return mc__fail(err, st != MC_OK ? st : MC_ERR_NOMEM, NULL, "rendering the canvas: %s",
		                mc_strerror(st != MC_OK ? st : MC_ERR_NOMEM));
	}
	return MC_OK;
}

mc_status mc_qa_maturity_svg(const char *view, size_t len, char **svg, mc_err *err)
{
	return render(view, len, svg, false, err);
}

mc_status mc_qa_maturity_html(const char *view, size_t len, char **html, mc_err *err)
{
	return render(view, len, html, true, err);
}
