/* mcred portal: helpers shared by every page (loaded before the page's own
 * script). No framework; no innerHTML with data: every text from a credential
 * or the server goes in through textContent, and links from a credential are
 * kept only when they are http(s), so a hostile credential cannot inject
 * markup or javascript: URLs. The page CSP (default-src 'self') forbids
 * inline scripts, so everything is wired with addEventListener. */
'use strict';

const MC = (() => {
	/* el('p', {class: 'x'}, 'text', child) -> element */
	function el(tag, attrs, ...kids) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === null || v === undefined || v === false) continue;
			if (k === 'class') e.className = v;
			else if (k === 'text') e.textContent = v;
			else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'id' ||
				k === 'href' || k === 'download' || k === 'src' || k === 'alt' || k === 'for' ||
				k === 'type' || k === 'name' || k === 'value' || k === 'lang' || k === 'scope' ||
				k === 'tabindex' || k === 'rel' || k === 'width' || k === 'height' || k === 'colspan')
				e.setAttribute(k, v === true ? '' : String(v));
			else e[k] = v;
		}
		for (const kid of kids.flat(Infinity)) {
			if (kid === null || kid === undefined || kid === false) continue;
			e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
		}
		return e;
	}

	function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

	/* Only http(s) links from credential data become hyperlinks. */
	function safeUrl(u) {
		if (typeof u !== 'string') return null;
		try {
			const url = new URL(u);
			return (url.protocol === 'https:' || url.protocol === 'http:') ? url.href : null;
		} catch (e) { return null; }
	}
	function linkOrText(u, label) {
		const href = safeUrl(u);
		return href ? el('a', { href, rel: 'noopener noreferrer' }, label || u) : document.createTextNode(label || String(u));
	}

	/* ---------- HTTP ---------- */
	let csrf = null;
	function setCsrf(token) { csrf = token; }

	/* Problem (RFC 9457) to one sentence naming the field. */
	function problemText(p, status) {
		if (p && typeof p === 'object' && (p.title || p.detail)) {
			let s = p.detail || p.title;
			if (p.field) s += ' (field ' + p.field + ')';
			return s;
		}
		return 'The server answered with HTTP ' + status + '.';
	}

	/* api('POST', '/api/v1/x', {json} | {body, type}) -> {ok, status, data, error} */
	async function api(method, path, opts) {
		opts = opts || {};
		const headers = { 'Accept': 'application/json, application/problem+json' };
		let body;
		if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers['Content-Type'] = 'application/json'; }
		else if (opts.body !== undefined) { body = opts.body; headers['Content-Type'] = opts.type || 'application/json'; }
		if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
		let res;
		try {
			res = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
		} catch (e) {
			return { ok: false, status: 0, data: null, error: 'The server could not be reached. Check your connection and try again.' };
		}
		let data = null;
		const text = await res.text();
		if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
		return { ok: res.ok, status: res.status, data, error: res.ok ? null : problemText(data, res.status) };
	}

	/* ---------- words for codes (docs/model.md, "Controlled values") ---------- */
	const WORDS = {
		assessment: {
			'written-exam': 'Written exam', 'oral-exam': 'Oral exam', 'online-test': 'Online test',
			'practical': 'Practical assessment', 'project': 'Project', 'portfolio': 'Portfolio',
			'presentation': 'Presentation', 'assignment': 'Assignment', 'other': 'Other'
		},
		participation: {
			'online': 'Online', 'onsite': 'On site', 'blended': 'Blended (online and on site)',
			'volunteering': 'Volunteering', 'work-experience': 'Work experience'
		},
		qa: {
			'internal': 'Internal quality assurance of the provider',
			'external-programme': 'External programme accreditation or evaluation',
			'external-institutional': 'External institutional accreditation or audit',
			'iso-17024': 'ISO 17024 personnel certification', 'iso-9001': 'ISO 9001 certification', 'other': 'Other'
		},
		supervision: {
			'supervised-onsite': 'Supervised on site', 'supervised-online': 'Supervised online', 'unsupervised': 'Unsupervised'
		},
		identity: { 'onsite': 'Identity checked on site', 'online': 'Identity checked online', 'none': 'Identity not checked' },
		cycle: { 'short': 'Short cycle', 'first': 'First cycle (Bachelor)', 'second': 'Second cycle (Master)', 'third': 'Third cycle (Doctorate)' },
		check: {
			'json': 'Readable file', 'structure': 'Credential format', 'eu-elements': 'EU micro-credential elements',
			'proof': 'Proof type', 'signature': 'Signature (not tampered with)', 'issuer-key': 'Signed by the issuer',
			'dates': 'Dates', 'status': 'Not revoked or suspended'
		},
		result: { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' },
		icon: { pass: '\u2714', fail: '\u2718', warn: '!', skip: '\u2013' }
	};
	function word(kind, code) {
		if (code === undefined || code === null) return null;
		return (WORDS[kind] && WORDS[kind][code]) || String(code);
	}

	/* ---------- multilingual text ---------- */
	const prefLangs = (navigator.languages || [navigator.language || 'en']).map(l => String(l).toLowerCase());
	/* plain: the default-language string; map: {"en": .., "de": ..} */
	function pick(plain, map) {
		if (map && typeof map === 'object' && !Array.isArray(map)) {
			for (const want of prefLangs) {
				for (const [k, v] of Object.entries(map)) if (k.toLowerCase() === want && typeof v === 'string') return v;
				const base = want.split('-')[0];
				for (const [k, v] of Object.entries(map)) if (k.toLowerCase().split('-')[0] === base && typeof v === 'string') return v;
			}
		}
		if (typeof plain === 'string') return plain;
		if (map && typeof map === 'object') { for (const v of Object.values(map)) if (typeof v === 'string') return v; }
		return null;
	}
	/* A "text" that is either a string or a language map. */
	function txt(v) { return typeof v === 'string' ? v : pick(null, v); }

	function countryName(code) {
		if (typeof code !== 'string') return null;
		try {
			const dn = new Intl.DisplayNames(['en'], { type: 'region' });
			const n = dn.of(code);
			return n && n !== code ? n + ' (' + code + ')' : code;
		} catch (e) { return code; }
	}
	function langName(code) {
		try { return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) || code; } catch (e) { return code; }
	}
	/* an ISO 8601 string, or a number of seconds since 1970 (the search API's
	 * "issued") */
	function date(s) {
		if (typeof s === 'number' && isFinite(s) && s > 0) s = new Date(s * 1000).toISOString();
		if (typeof s !== 'string') return null;
		const d = new Date(s);
		if (isNaN(d.getTime())) return s;
		return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
	}
	function hours(iso) {
		const m = typeof iso === 'string' && /^PT(\d+)H$/.exec(iso);
		return m ? m[1] + ' hours' : null;
	}

	/* ---------- credential -> EU elements ---------- */
	/* Reads the EU elements out of a signed credential (paths from docs/model.md)
	 * into plain values; absent elements are null. */
	function elements(cred) {
		const c = cred && typeof cred === 'object' ? cred : {};
		const s = c.credentialSubject && typeof c.credentialSubject === 'object' && !Array.isArray(c.credentialSubject) ? c.credentialSubject : {};
		const a = s.achievement && typeof s.achievement === 'object' ? s.achievement : {};
		const iss = c.issuer && typeof c.issuer === 'object' ? c.issuer : { id: c.issuer };
		const addr = iss.address || {};
		const idents = Array.isArray(s.identifier) ? s.identifier : [];
		const identOf = t => { const i = idents.find(x => x && x.identityType === t && !x.hashed); return i ? i.identityHash : null; };
		const learnerName = s.name || [s.givenName, s.familyName].filter(Boolean).join(' ') || null;
		const eqf = typeof a.eqfLevel === 'string' && /\/eqf\/([1-8])$/.exec(a.eqfLevel);
		const note = n => n && typeof n === 'object' ? txt(n.noteLiteral) : (typeof n === 'string' ? n : null);
		const results = Array.isArray(s.result) ? s.result : [];
		const rds = Array.isArray(a.resultDescription) ? a.resultDescription : [];
		const grade = results.length && results[0] && typeof results[0].value === 'string' ? results[0].value : null;
		const scheme = rds.length && rds[0] ? pick(rds[0].name, rds[0].nameLang) : null;
		const st = a.stackability && typeof a.stackability === 'object' ? a.stackability : null;
		const qa = a.qualityAssurance && typeof a.qualityAssurance === 'object' ? a.qualityAssurance : null;
		const ab = a.awardingBody && typeof a.awardingBody === 'object' ? a.awardingBody : null;
		return {
			id: typeof c.id === 'string' ? c.id : null,
			title: pick(a.name, a.nameLang) || pick(c.name, null),
			description: pick(a.description, a.descriptionLang),
			learner: {
				name: learnerName, id: typeof s.id === 'string' ? s.id : null,
				email: identOf('emailAddress'), studentId: identOf('sisSourcedId'), otherId: identOf('identifier')
			},
			issuer: {
				id: iss.id || null, name: pick(iss.name, iss.nameLang), country: addr.addressCountryCode || null,
				region: addr.addressRegion || null, url: iss.url || null, email: iss.email || null
			},
			awardingBody: ab ? { name: txt(ab.nameLang) || txt(ab.name), url: ab.url || null } : null,
			issued: c.awardedDate || c.validFrom || null,
			validUntil: c.validUntil || null,
			outcomes: (Array.isArray(a.learningOutcome) ? a.learningOutcome : []).map(o => ({
				text: o ? txt(o.title) : null,
				skills: [].concat(o && Array.isArray(o.relatedESCOSkill) ? o.relatedESCOSkill : [], o && Array.isArray(o.relatedSkill) ? o.relatedSkill : [])
			})),
			ects: typeof a.creditsAvailable === 'number' ? a.creditsAvailable : null,
			hours: hours(a.volumeOfLearning),
			eqf: eqf ? eqf[1] : null,
			cycle: a.qfEheaCycle || null,
			nqf: a.nqfFramework || a.nqfLevel ? { framework: a.nqfFramework || null, level: a.nqfLevel || null } : null,
			assessment: a.assessmentType || null,
			assessmentDescription: txt(a.assessmentDescription),
			participation: a.participationMode || null,
			qa: qa ? { type: qa.qualityAssuranceType || null, description: txt(qa.descriptionLang) || txt(qa.description), agency: qa.qualityAssuranceAgency || null, url: qa.url || null } : null,
			prerequisites: note(a.prerequisites),
			supervision: a.supervision || null,
			identityVerification: a.identityVerification || null,
			grade, gradingScheme: scheme,
			stackability: st ? {
				standalone: st.standalone,
				into: (Array.isArray(st.stackableInto) ? st.stackableInto : []).map(x => ({ title: x ? txt(x.nameLang) || txt(x.name) : null, id: x ? x.id : null }))
			} : null,
			furtherInformation: note(a.furtherInformation),
			field: a.fieldOfStudy || null,
			languages: Array.isArray(a.instructionLanguage) ? a.instructionLanguage : null
		};
	}

	/* ESCO skill IRIs end in a UUID; its first block is enough to tell them apart */
	function skillLabel(iri) {
		const m = /\/esco\/skill\/([0-9a-f]{8})/.exec(iri);
		return m ? 'ESCO skill ' + m[1] : iri;
	}

	/* Render the credential's EU elements into `into` (a container element);
	 * the title becomes a `heading` element (default h3). */
	function renderCredential(cred, into, heading) {
		clear(into);
		const e = elements(cred);
		const dl = el('dl');
		const row = (key, label, ...value) => {
			const v = value.flat().filter(x => x !== null && x !== undefined && x !== '');
			if (!v.length) return;
			dl.append(el('dt', { 'data-element': key }, label), el('dd', { 'data-element': key }, v));
		};
		const sub = t => t ? el('span', { class: 'sub' }, ' \u2014 ', t) : null;

		row('learner', 'Learner', e.learner.name || 'Name not given',
			e.learner.email ? el('div', { class: 'sub' }, 'Email: ', e.learner.email) : null,
			e.learner.studentId ? el('div', { class: 'sub' }, 'Student number: ', e.learner.studentId) : null,
			e.learner.otherId ? el('div', { class: 'sub' }, 'Identifier: ', e.learner.otherId) : null,
			e.learner.id ? el('div', { class: 'sub' }, 'ID: ', e.learner.id) : null);
		row('awarding-body', 'Awarding body', e.issuer.name || e.issuer.id || 'Not given',
			e.issuer.url ? el('div', { class: 'sub' }, linkOrText(e.issuer.url)) : null,
			e.awardingBody ? el('div', {}, 'On behalf of: ', e.awardingBody.url ? linkOrText(e.awardingBody.url, e.awardingBody.name) : e.awardingBody.name) : null);
		row('country', 'Country of the awarding body', countryName(e.issuer.country), e.issuer.region ? sub('region ' + e.issuer.region) : null);
		row('issued', 'Date of issuing', date(e.issued));
		if (e.validUntil) row('valid-until', 'Valid until', date(e.validUntil));
		if (e.outcomes.length) {
			row('learning-outcomes', 'Learning outcomes', el('ol', {}, e.outcomes.map(o => el('li', {},
				o.text || '(no text)',
				o.skills.length ? el('div', { class: 'sub' }, 'Skills: ', o.skills.map((k, i) => [i ? ', ' : '', linkOrText(k, skillLabel(k))])) : null))));
		}
		row('workload', 'Workload', e.ects !== null ? e.ects + ' ECTS credits' : null, e.hours ? sub(e.hours) : null);
		row('level', 'Level',
			e.eqf ? el('div', {}, 'EQF level ' + e.eqf) : null,
			e.cycle ? el('div', {}, 'QF-EHEA: ' + word('cycle', e.cycle)) : null,
			e.nqf ? el('div', {}, 'NQF: ' + [e.nqf.framework, e.nqf.level ? 'level ' + e.nqf.level : null].filter(Boolean).join(', ')) : null);
		row('assessment', 'Type of assessment', word('assessment', e.assessment), e.assessmentDescription ? el('div', { class: 'sub' }, e.assessmentDescription) : null);
		row('participation', 'Form of participation', word('participation', e.participation));
		if (e.qa) row('quality-assurance', 'Quality assurance', word('qa', e.qa.type),
			e.qa.agency ? el('div', { class: 'sub' }, 'Agency: ', e.qa.url ? linkOrText(e.qa.url, e.qa.agency) : e.qa.agency) : null,
			e.qa.description ? el('div', { class: 'sub' }, e.qa.description) : null);
		row('prerequisites', 'Prerequisites', e.prerequisites);
		row('supervision', 'Supervision and identity checks',
			e.supervision ? el('div', {}, word('supervision', e.supervision)) : null,
			e.identityVerification ? el('div', {}, word('identity', e.identityVerification)) : null);
		row('grade', 'Grade', e.grade, e.gradingScheme ? el('div', { class: 'sub' }, 'Scale: ', e.gradingScheme) : null);
		if (e.stackability) row('stackability', 'Stackability',
			e.stackability.standalone === true ? el('div', {}, 'Stands alone') : e.stackability.standalone === false ? el('div', {}, 'Not a standalone credential') : null,
			e.stackability.into.length ? el('div', {}, 'Can be combined into: ', el('ul', {}, e.stackability.into.map(x => el('li', {}, x.id ? linkOrText(x.id, x.title || x.id) : x.title)))) : null);
		row('further-information', 'Further information', e.furtherInformation);
		row('field', 'Field of study', e.field);
		if (e.languages && e.languages.length) row('languages', 'Languages', e.languages.map(langName).join(', '));
		row('credential-id', 'Credential ID', e.id);

		into.append(
			el(heading || 'h3', { class: 'title', 'data-element': 'title' }, e.title || 'Untitled credential'),
			e.description ? el('p', { class: 'lead' }, e.description) : null,
			dl);
		return e;
	}

	/* Render a /api/v1/verify answer. Returns 'pass' | 'warn' | 'fail'. */
	function renderVerification(res, into) {
		clear(into);
		const checks = Array.isArray(res && res.checks) ? res.checks : [];
		const failed = checks.filter(c => c.result === 'fail').length;
		const warned = checks.filter(c => c.result === 'warn').length;
		const verified = !!(res && res.verified === true) && failed === 0;
		const tone = verified ? (warned ? 'warn' : 'pass') : 'fail';
		const head = verified
			? (warned ? 'Valid, with ' + warned + ' warning' + (warned > 1 ? 's' : '') : 'Valid: every check passed')
			: 'Not valid: ' + (failed || 'a') + ' check' + (failed === 1 ? '' : 's') + ' failed';
		const why = verified
			? 'This credential was issued by the awarding body below and has not been changed since.'
			: 'Do not rely on this credential. The failed checks below say why.';
		into.append(el('div', { class: 'verdict ' + tone, id: 'verdict', 'data-verified': String(verified) },
			el('span', { class: 'icon', 'aria-hidden': 'true' }, verified ? (warned ? '!' : WORDS.icon.pass) : WORDS.icon.fail),
			el('span', {}, head, el('small', {}, why))));
		const ul = el('ul', { class: 'checks', 'aria-label': 'Verification checks' });
		for (const c of checks) {
			const r = ['pass', 'fail', 'warn', 'skip'].includes(c.result) ? c.result : 'skip';
			ul.append(el('li', { class: r, 'data-check': c.check, 'data-result': r },
				el('span', { class: 'icon', 'aria-hidden': 'true' }, WORDS.icon[r]),
				el('span', { class: 'word' }, WORDS.result[r]),
				el('span', { class: 'body' },
					el('span', { class: 'name' }, word('check', c.check)),
					el('span', { class: 'msg' }, c.message || ''),
					c.path && r !== 'pass' ? el('span', { class: 'path' }, 'at ' + c.path) : null)));
		}
		into.append(ul);
		return tone;
	}

	function showError(into, message) {
		clear(into);
		into.append(el('div', { class: 'error-box', role: 'alert' }, message));
	}

	return { el, clear, api, setCsrf, problemText, pick, txt, word, date, elements, renderCredential, renderVerification, showError, safeUrl, linkOrText };
})();
