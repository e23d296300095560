/* Public QA information of a provider (/qa/public?provider=ID), ESG 1.8:
 * policy, approval process, review cycle, external QA results from the
 * register, and each micro-credential's QA status with feedback
 * aggregates when the provider publishes them. No login. */
'use strict';
(() => {
	const { $, msg, enc, when } = QA;
	const { el, clear, api } = MC;
	async function show(provider) {
		const r = await api('GET', '/api/v1/qa/public/' + enc(provider || '-'));
		if (!r.ok) { msg($('pub-msg'), r.error); $('pub').hidden = true; return; }
		msg($('pub-msg'), '');
		const p = r.data;
		$('pub-policy').textContent = p.policy || 'No policy text has been published.';
		$('pub-process').textContent = p.approvalProcess.description || '';
		clear($('pub-steps'));
		for (const s of p.approvalProcess.steps || []) $('pub-steps').append(el('li', {}, s.name + ' (' + s.role + ')'));
		$('pub-cycle').textContent = 'Each micro-credential is reviewed at least every ' + p.reviewCycle.intervalDays + ' days.' +
			(p.reviewCycle.description ? ' ' + p.reviewCycle.description : '');
		clear($('pub-ext'));
		for (const x of p.externalQa || [])
			$('pub-ext').append(el('li', {}, x.agency + (x.eqarRegistered ? ' (EQAR-registered)' : '') + ': ' + x.kind + ', ' + x.decision +
				', valid from ' + x.validFrom + (x.validUntil ? ' to ' + x.validUntil : ''), x.report ? [' ', MC.linkOrText(x.report, 'report')] : null));
		if (!(p.externalQa || []).length) $('pub-ext').append(el('li', {}, 'No external QA result is recorded in the register.'));
		const tb = $('pub-table').tBodies[0];
		clear(tb);
		for (const s of p.specifications) {
			let fb = p.feedbackPublished ? 'fewer than ' + p.minGroupSize + ' responses' : 'not published';
			const groups = s.feedback && (s.feedback.groups || s.feedback.questionnaires);
			if (Array.isArray(groups)) for (const g of groups) if (g.responses) fb = g.responses + ' responses';
			tb.append(el('tr', {}, el('td', { 'data-label': 'Micro-credential' }, (s.title || s.template) + ' (v' + s.version + ')'),
				el('td', { 'data-label': 'Status' }, s.state), el('td', { 'data-label': 'Next review' }, s.reviewDue ? when(s.reviewDue) : '–'),
				el('td', { 'data-label': 'Learner feedback' }, fb)));
		}
		$('pub').hidden = false;
	}
	const given = new URLSearchParams(location.search).get('provider') || '';
	$('pub-provider').value = given;
	$('pub-form').addEventListener('submit', ev => {
		ev.preventDefault();
		const v = $('pub-provider').value.trim();
		history.replaceState(null, '', v ? '?provider=' + enc(v) : location.pathname);
		show(v);
	});
	show(given);
})();
