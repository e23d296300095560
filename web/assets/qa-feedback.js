/* Feedback form reached through an invitation link (/qa/feedback#TOKEN).
 * The token stays in the fragment, so it never reaches logs or referrers;
 * the page sends it to the API, which accepts one answer per link. */
'use strict';
(() => {
	const { $, msg, enc } = QA;
	const { el, clear, api } = MC;
	const token = location.hash.slice(1);
	let questions = [];

	function field(q, i) {
		const id = 'q' + i, need = q.required ? ' (required)' : '';
		if (q.type === 'text')
			return el('div', { class: 'q' }, el('label', { for: id }, q.text + need), el('textarea', { id, name: q.id, rows: 3 }));
		const opts = q.type === 'scale' ? [['1', '1 – not at all'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5 – fully']] : [['true', 'Yes'], ['false', 'No']];
		return el('fieldset', { class: 'q' }, el('legend', {}, q.text + need),
			opts.map(([v, label], k) => el('span', { class: 'choice' },
				el('input', { type: 'radio', id: id + '-' + k, name: q.id, value: v }), el('label', { for: id + '-' + k }, label))));
	}

	async function load() {
		if (!token) { msg($('fb-msg'), 'This page needs the link from your invitation.'); return; }
		const r = await api('GET', '/api/v1/qa/invitations/' + enc(token));
		if (!r.ok) { msg($('fb-msg'), r.status === 404 ? 'This invitation link is not valid.' : r.error); return; }
		const q = r.data.questionnaire;
		questions = q.questions;
		$('fb-intro').textContent = (q.title || 'Feedback') + ' – about “' + (r.data.title || r.data.template) + '”.';
		const box = $('fb-questions');
		clear(box);
		questions.forEach((x, i) => box.append(field(x, i)));
		$('fb-form').hidden = false;
	}

	$('fb-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const answers = {};
		for (const q of questions) {
			if (q.type === 'text') {
				const v = $('fb-form').elements[q.id].value.trim();
				if (v) answers[q.id] = v;
			} else {
				const c = $('fb-form').querySelector('input[name="' + CSS.escape(q.id) + '"]:checked');
				if (c) answers[q.id] = q.type === 'scale' ? Number(c.value) : c.value === 'true';
			}
			if (q.required && answers[q.id] === undefined) { msg($('fb-msg'), 'Please answer: ' + q.text); return; }
		}
		$('fb-send').disabled = true;
		const r = await api('POST', '/api/v1/qa/invitations/' + enc(token), { json: { answers } });
		$('fb-send').disabled = false;
		if (!r.ok) { msg($('fb-msg'), r.error); return; }
		$('fb-form').hidden = true;
		msg($('fb-msg'), 'Thank you: your feedback was recorded.', true);
	});
	load();
})();
