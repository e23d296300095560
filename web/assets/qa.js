/* QA officer workspace (/qa): specifications with their QA state, one
 * version taken through submit, the approval chain, publish, review,
 * modify and retire, every step shown as a timeline from the record;
 * feedback invitations, aggregates, CSV export and outcome signals. */
'use strict';
(() => {
	const { $, msg, enc, when } = QA;
	const { el, clear, api } = MC;
	let cur = null; /* {id, version} */

	async function loadSpecs() {
		const r = await api('GET', '/api/v1/qa/specs');
		if (!r.ok) { msg($('specs-msg'), r.error); return; }
		const tb = $('specs-table').tBodies[0];
		clear(tb);
		for (const s of r.data) {
			const cell = el('td', { 'data-label': 'Versions' });
			for (const v of s.versions)
				cell.append(el('button', { type: 'button', class: 'secondary small', 'data-spec': s.id, 'data-version': v.version,
					onclick: () => open(s.id, v.version) }, 'v' + v.version + ': ' + v.state));
			tb.append(el('tr', {}, el('td', { 'data-label': 'Specification' }, (typeof s.title === 'string' ? s.title : s.id) + ' (' + s.id + ')'), cell));
		}
		const o = await api('GET', '/api/v1/qa/overdue');
		clear($('overdue'));
		if (o.ok) for (const x of o.data) $('overdue').append(el('li', {}, x.template + ' v' + x.version + ': due ' + when(x.reviewDue)));
		if (o.ok && !o.data.length) $('overdue').append(el('li', {}, 'No review is overdue.'));
	}

	async function open(id, version) {
		cur = { id, version };
		const r = await api('GET', '/api/v1/qa/specs/' + enc(id) + '?version=' + version);
		if (!r.ok) { msg($('action-msg'), r.error); return; }
		const s = r.data;
		$('spec-panel').hidden = false;
		$('h-spec').textContent = id + ', version ' + version;
		$('spec-state').textContent = s.state;
		/* pendingStep is the id of the step whose decision is awaited */
		const ps = typeof s.pendingStep === 'string' ? s.pendingStep : null;
		const pstep = (s.chain || []).find(c => c.id === ps);
		$('spec-pending').textContent = pstep ? '(waiting for: ' + pstep.name + ')' : '';
		const sel = $('decide-step');
		clear(sel);
		for (const c of (s.chain || [])) sel.append(el('option', { value: c.id }, c.name + ' (' + c.role + ')'));
		if (ps) sel.value = ps;
		$('modify-json').value = s.template ? JSON.stringify(s.template, null, 2) : '';
		clear($('timeline'));
		for (const h of (s.history || []))
			$('timeline').append(el('li', {}, el('strong', {}, h.action + (h.step ? ' · ' + h.step : '') + (h.decision ? ': ' + h.decision : '')),
				' by ' + h.actor + ' (' + h.role + '), ' + when(h.at) + (h.comment ? ' – ' + h.comment : '')));
		clear($('checks'));
		const checks = Array.isArray(s.checks) ? s.checks : (s.checks && s.checks.checks) || [];
		for (const c of checks) $('checks').append(el('li', { class: 'check-' + c.result }, c.result.toUpperCase() + ' ' + c.check + ': ' + c.message));
		$('csv-link').href = '/api/v1/qa/specs/' + enc(id) + '/feedback.csv?questionnaire=learner-default';
		const f = await api('GET', '/api/v1/qa/specs/' + enc(id) + '/feedback');
		clear($('aggregates'));
		if (f.ok) $('aggregates').append(el('pre', { class: 'json' }, JSON.stringify(f.data, null, 1)));
		const o = await api('GET', '/api/v1/qa/specs/' + enc(id) + '/outcomes');
		clear($('outcomes'));
		if (o.ok) $('outcomes').append(el('p', {}, 'Recognition decisions reported: ' + o.data.recognition.total +
			'; taken on this platform: ' + o.data.recognition.platformTotal + '. Employment follow-ups: ' +
			(o.data.employment.suppressed ? 'too few to show' : o.data.employment.followUps)));
	}

	/* one lifecycle step; then the record again */
	async function step(path, body, done) {
		if (!cur) return;
		const r = await api('POST', '/api/v1/qa/specs/' + enc(cur.id) + '/' + path, { json: Object.assign({ version: cur.version }, body || {}) });
		if (!r.ok) { msg($('action-msg'), r.error); return; }
		msg($('action-msg'), path + ': done, the state is now ' + r.data.state + '.', true);
		if (done) done(r.data);
		await loadSpecs();
		await open(cur.id, r.data.newVersion && !done ? r.data.newVersion : cur.version);
	}

	QA.session(() => loadSpecs());
	$('do-submit').addEventListener('click', () => step('submit'));
	$('do-publish').addEventListener('click', () => step('publish'));
	$('do-review-start').addEventListener('click', () => step('review', { action: 'start' }));
	$('do-review-close').addEventListener('click', () => step('review', { action: 'close' }));
	$('decide-form').addEventListener('submit', ev => {
		ev.preventDefault();
		const comment = $('decide-comment').value.trim();
		step('decisions', Object.assign({ step: $('decide-step').value, decision: $('decide-decision').value }, comment ? { comment } : {}));
	});
	$('modify-form').addEventListener('submit', ev => {
		ev.preventDefault();
		let ach;
		try { ach = JSON.parse($('modify-json').value); } catch (e) { msg($('action-msg'), 'The specification is not valid JSON.'); return; }
		step('modify', { achievement: ach });
	});
	$('retire-form').addEventListener('submit', ev => {
		ev.preventDefault();
		const reason = $('retire-reason').value.trim();
		step('retire', reason ? { reason } : {});
	});
	async function invite(body) {
		if (!cur) return;
		const r = await api('POST', '/api/v1/qa/specs/' + enc(cur.id) + '/invitations', { json: body });
		if (!r.ok) { msg($('action-msg'), r.error); return; }
		for (const i of r.data.invitations)
			$('invite-links').append(el('li', {}, (i.credential || body.respondent || 'invitation') + ': ', el('a', { href: i.link, class: 'invite-link' }, i.link)));
		msg($('action-msg'), r.data.invitations.length + ' invitation link(s) made; send each to its person.', true);
	}
	$('do-invite-learners').addEventListener('click', () => invite({ audience: 'learner', pending: true }));
	$('do-invite-employer').addEventListener('click', () => {
		const n = $('employer-name').value.trim();
		invite(Object.assign({ audience: 'employer' }, n ? { respondent: n } : {}));
	});
})();
