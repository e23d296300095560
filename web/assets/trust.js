/* mcred portal: the trust pages (catalogue, pathway view, register). One
 * script for the three: each part runs when its page's elements exist.
 * Every value from the server goes in through textContent (MC.el). */
'use strict';

(() => {
	const { el, clear, api, txt, showError, linkOrText } = MC;
	const enc = (id) => encodeURIComponent(id);
	const RESULT = { pass: 'Registered, valid ESG-aligned QA', warn: 'Registered, QA not ESG-aligned', fail: 'Not registered or no valid QA', skip: 'Not checked' };

	/* ---------------- catalogue ---------------- */
	const form = document.getElementById('search-form');
	if (form) {
		const results = document.getElementById('results');
		const more = document.getElementById('more');
		const offerBox = document.getElementById('offer');
		const offerBody = document.getElementById('offer-body');
		let offset = 0, seq = 0;

		function query() {
			const p = new URLSearchParams();
			for (const f of form.querySelectorAll('input, select')) if (f.name && f.value.trim()) p.set(f.name, f.value.trim());
			return p;
		}
		function card(o) {
			const facts = [
				typeof o.ects === 'number' ? o.ects + ' ECTS' : null,
				o.eqfLevel ? 'EQF ' + o.eqfLevel : null, o.mode, o.language, o.country
			].filter(Boolean).join(' · ');
			const open = el('button', { type: 'button', class: 'linklike' }, txt(o.title) || o.id);
			open.addEventListener('click', () => showOffer(o.id));
			return el('li', { class: 'offer', 'data-id': o.id }, el('h3', {}, open), el('p', { class: 'hint' }, facts),
				el('p', {}, txt(o.description) || ''));
		}
		async function search(append) {
			const my = ++seq;
			if (!append) offset = 0;
			const p = query();
			p.set('offset', String(offset));
			const r = await api('GET', '/api/v1/catalogue?' + p.toString());
			if (my !== seq) return; /* a newer search answered first */
			if (!r.ok) { showError(results, r.error); more.hidden = true; return; }
			let list = results.querySelector('ol');
			if (!append || !list) { clear(results); list = el('ol', { class: 'offers' }); results.append(list); }
			for (const o of r.data.items) list.append(card(o));
			if (!list.children.length) results.append(el('p', { id: 'no-results' }, 'No offers match.'));
			offset += r.data.items.length;
			more.hidden = !r.data.hasMore;
			results.setAttribute('data-count', String(list.children.length));
		}
		async function showOffer(id) {
			const r = await api('GET', '/api/v1/catalogue/offers/' + enc(id));
			offerBox.hidden = false;
			if (!r.ok) { showError(offerBody, r.error); return; }
			const o = r.data.offer, qa = o.qualityAssurance || {};
			clear(offerBody);
			const rows = [
				['Title', txt(o.title)], ['Provider', o.provider], ['Learning outcomes', (o.learningOutcomes || []).map(txt).join('; ')],
				['Workload', typeof o.ects === 'number' ? o.ects + ' ECTS' : null], ['EQF level', o.eqfLevel],
				['Field (ISCED-F)', o.iscedF], ['Country', o.country], ['Language', o.language], ['Mode', o.mode],
				['Place', o.place], ['Schedule', o.schedule ? (o.schedule.start || '') + (o.schedule.end ? ' – ' + o.schedule.end : '') : null],
				['Price', o.price ? o.price.amount + ' ' + o.price.currency : null],
				['Quality assurance', [qa.type, qa.agency].filter(Boolean).join(', ') || null],
				['Register', r.data.register ? (RESULT[r.data.register.result] || '') + ': ' + r.data.register.reason : null]
			];
			const dl = el('dl', { class: 'facts' });
			for (const [k, v] of rows) if (v !== null && v !== undefined && v !== '') dl.append(el('dt', {}, k), el('dd', {}, String(v)));
			offerBody.append(el('h3', {}, txt(o.title) || o.id), dl);
			if (o.enrolment) offerBody.append(el('p', {}, linkOrText(o.enrolment, 'Enrol')));
			const stacks = el('ul', { id: 'stacks-into' });
			for (const p of r.data.stacksInto) {
				stacks.append(el('li', {}, p.known ? el('a', { href: '/pathway?id=' + enc(p.id) }, p.title || p.id) : p.id));
			}
			offerBody.append(el('h3', {}, 'Stacks into'), r.data.stacksInto.length ? stacks : el('p', {}, 'No pathway named.'));
			// feedback aggregates, only when the provider publishes them;
			// groups and questions below the minimum size stay hidden
			const fb = r.data.feedback;
			if (fb && Array.isArray(fb.groups)) {
				const box = el('div', { id: 'offer-feedback' }, el('h3', {}, 'Feedback from learners and employers'));
				if (!fb.groups.length) box.append(el('p', {}, 'No feedback yet.'));
				for (const g of fb.groups) {
					if (g.suppressed) {
						box.append(el('p', { 'data-suppressed': '' }, (g.audience || 'Respondents') + ': too few responses to show.'));
						continue;
					}
					const ul = el('ul', {});
					for (const q of g.questions || []) {
						let v = 'too few answers to show';
						if (!q.suppressed && q.type === 'scale') v = 'average ' + q.mean + ' of 5 (' + q.answered + ' answers)';
						else if (!q.suppressed && q.type === 'yesno') v = q.yes + ' yes, ' + q.no + ' no';
						else if (!q.suppressed) v = q.answered + ' written answers (not published)';
						ul.append(el('li', {}, q.text + ': ' + v));
					}
					box.append(el('h4', {}, (g.title || g.questionnaire) + ' (' + g.audience + ', ' + g.responses + ' responses)'), ul);
				}
				offerBody.append(box);
			}
			offerBox.scrollIntoView({ block: 'nearest' });
		}
		form.addEventListener('submit', (e) => { e.preventDefault(); search(false); });
		for (const s of form.querySelectorAll('select')) s.addEventListener('change', () => search(false));
		more.addEventListener('click', () => search(true));
		search(false);
	}

	/* ---------------- pathway view ---------------- */
	const select = document.getElementById('pathway-select');
	if (select) {
		const rules = document.getElementById('rules');
		const offers = document.getElementById('pathway-offers');
		const progress = document.getElementById('progress');

		function ruleTree(r) {
			if (typeof r === 'string') return el('li', {}, 'A credential of ', el('code', {}, r));
			const [k, v] = Object.entries(r || {})[0] || [];
			const kids = (items) => el('ul', {}, (items || []).map(ruleTree));
			switch (k) {
			case 'all': return el('li', {}, 'All of:', kids(v));
			case 'any': return el('li', {}, 'Any ' + v.n + ' of:', kids(v.of));
			case 'and': return el('li', {}, 'All of these rules:', kids(v));
			case 'or': return el('li', {}, 'One of these rules:', kids(v));
			case 'ects': return el('li', {}, 'At least ' + v.min + ' ECTS' + (v.from ? ' from:' : ''), v.from ? kids(v.from) : null);
			case 'level': return el('li', {}, 'At EQF level ' + v.min + ' or higher' + (v.rule ? ':' : ''), v.rule ? kids([v.rule]) : null);
			case 'within': return el('li', {}, 'Earned within ' + v.years + ' years' + (v.rule ? ':' : ''), v.rule ? kids([v.rule]) : null);
			case 'ref': return el('li', {}, 'Rule “' + v + '”');
			default: return el('li', {}, JSON.stringify(r));
			}
		}
		async function load(id) {
			const r = await api('GET', '/api/v1/pathways/' + enc(id));
			if (!r.ok) { showError(rules, r.error); return; }
			document.getElementById('h-pathway').textContent = r.data.title;
			clear(rules);
			const p = r.data.pathway;
			const top = el('ul', { class: 'rules' }, ruleTree(p.rule));
			rules.append(top);
			for (const [name, rule] of Object.entries(p.rules || {})) rules.append(el('h3', {}, 'Rule “' + name + '”'), el('ul', {}, ruleTree(rule)));
			clear(offers);
			const ul = el('ul', {});
			for (const o of r.data.offers) ul.append(el('li', {}, o.title + ' (' + o.ects + ' ECTS' + (o.eqfLevel ? ', EQF ' + o.eqfLevel : '') + ')'));
			offers.append(r.data.offers.length ? ul : el('p', {}, 'No offer in the catalogue names this pathway yet.'));
			clear(progress);
		}
		/* several pasted credentials: a JSON array, or objects one after another */
		function splitCredentials(text) {
			text = text.trim();
			if (!text) return [];
			if (text.startsWith('[')) return JSON.parse(text).map((c) => typeof c === 'string' ? c : JSON.stringify(c));
			const out = [];
			let depth = 0, start = -1, inStr = false, esc = false;
			for (let i = 0; i < text.length; i++) {
				const ch = text[i];
				if (inStr) { if (esc) esc = false; else if (ch === '\\') esc = true; else if (ch === '"') inStr = false; continue; }
				if (ch === '"') inStr = true;
				else if (ch === '{') { if (depth++ === 0) start = i; }
				else if (ch === '}' && --depth === 0) out.push(text.slice(start, i + 1));
			}
			return out;
		}
		document.getElementById('progress-form').addEventListener('submit', async (e) => {
			e.preventDefault();
			let creds;
			try { creds = splitCredentials(document.getElementById('creds').value); }
			catch (err) { showError(progress, 'The pasted text is not JSON.'); return; }
			for (const f of document.getElementById('cred-files').files) creds.push(await f.text());
			if (!creds.length) { showError(progress, 'Paste or choose at least one credential.'); return; }
			const r = await api('POST', '/api/v1/pathways/evaluate', { json: { pathway: select.value, credentials: creds } });
			clear(progress);
			if (!r.ok) { showError(progress, r.error); return; }
			const pct = Math.round(r.data.progress * 100);
			progress.append(el('p', { id: 'progress-verdict', class: r.data.done ? 'ok' : 'warn' },
				r.data.done ? 'Complete: you can ask for the stacked credential.' : 'Not complete yet: ' + pct + '% done.'),
			el('progress', { max: '100', value: String(pct), 'aria-label': 'Progress' }));
			if (r.data.missing.length) progress.append(el('h3', {}, 'What is missing'), el('ul', { id: 'missing' }, r.data.missing.map((m) => el('li', {}, m.message))));
			if (r.data.notCounted.length) progress.append(el('h3', {}, 'Not counted'), el('ul', {}, r.data.notCounted.map((m) => el('li', {}, m.message))));
		});
		(async () => {
			const r = await api('GET', '/api/v1/pathways');
			if (!r.ok) { showError(rules, r.error); return; }
			for (const p of r.data) select.append(el('option', { value: p.id }, p.title));
			const want = new URLSearchParams(location.search).get('id');
			if (want && r.data.some((p) => p.id === want)) select.value = want;
			select.addEventListener('change', () => load(select.value));
			if (select.value) load(select.value); else rules.append(el('p', {}, 'No pathway is published yet.'));
		})();
	}

	/* ---------------- register ---------------- */
	const providers = document.getElementById('providers');
	if (providers) {
		(async () => {
			const r = await api('GET', '/api/v1/register/providers');
			if (!r.ok) { showError(providers, r.error); return; }
			if (!r.data.providers.length) { providers.append(el('p', {}, 'The register is empty.')); return; }
			for (const p of r.data.providers) {
				const table = el('table', {}, el('caption', {}, 'External quality assurance of ' + p.name),
					el('thead', {}, el('tr', {}, ['Agency', 'Kind', 'Decision', 'Valid', 'Report'].map((h) => el('th', { scope: 'col' }, h)))),
					el('tbody', {}, p.qaResults.map((q) => el('tr', {},
						el('td', {}, (q.agencyName || q.agency) + (q.eqarRegistered ? ' (EQAR)' : '')), el('td', {}, q.kind),
						el('td', {}, q.decision), el('td', {}, q.validFrom + ' – ' + (q.validUntil || 'open')),
						el('td', {}, q.report ? linkOrText(q.report, 'report') : '')))));
				providers.append(el('section', { class: 'panel provider', 'data-id': p.id },
					el('h2', {}, p.name), el('p', {}, p.country + ' · ' + (p.kind === 'hei' ? 'Higher-education institution' : 'Alternative provider') + ' · ', el('code', {}, p.id)),
					el('p', { class: 'check-' + p.check.result }, (RESULT[p.check.result] || '') + '. ' + p.check.reason), table));
			}
		})();
	}
})();
