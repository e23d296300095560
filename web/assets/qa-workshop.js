/* Maturity workshop (/qa/workshop): sessions; each participant (the
 * logged-in token's name, set by the server) scores every question green,
 * yellow or red with a note; first indications are hidden from others
 * until the facilitator opens the discussion; actions; the boardroom
 * canvas drawn from the server's SVG and a printable page. */
'use strict';
(() => {
	const { $, msg, enc, when } = QA;
	const { el, clear, api } = MC;
	const COLOURS = ['green', 'yellow', 'red'];
	let cur = null;

	async function loadSessions() {
		const r = await api('GET', '/api/v1/qa/maturity');
		if (!r.ok) { msg($('ws-msg'), r.error); return; }
		clear($('sessions'));
		for (const s of r.data)
			$('sessions').append(el('li', {}, el('button', { type: 'button', class: 'secondary small', onclick: () => open(s.id) }, s.title),
				' ' + s.stage + ', ' + when(s.created)));
	}

	/* the server's SVG, parsed (not innerHTML) and adopted into the page */
	async function canvas(id) {
		const res = await fetch('/api/v1/qa/maturity/' + enc(id) + '/canvas.svg', { credentials: 'same-origin', cache: 'no-store' });
		const box = $('canvas');
		clear(box);
		if (!res.ok) return;
		/* the page CSP forbids inline styles (even in a parsed document): the
		 * SVG's one <style> element is cut before parsing; its rules are in qa.css */
		const text = (await res.text()).replace(/<style>[^<]*<\/style>/, '');
		const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
		if (doc.documentElement.nodeName !== 'svg') return;
		box.append(document.importNode(doc.documentElement, true));
	}

	function question(q, stage) {
		const name = 'c-' + q.id;
		const mine = (stage === 'first' ? q.first : q.revised.length ? q.revised : q.first).find(x => x.participant === window.__qaViewer);
		const others = (stage === 'first' ? [] : q.first).filter(x => x.participant !== window.__qaViewer)
			.map(x => x.participant + ': ' + x.colour + (x.note ? ' (' + x.note + ')' : ''));
		const note = el('input', { type: 'text', id: 'n-' + q.id, 'aria-label': 'Note for ' + q.id, value: mine && mine.note ? mine.note : '' });
		const fs = el('fieldset', { class: 'q', 'data-question': q.id },
			el('legend', {}, q.id + ' – ' + q.text),
			COLOURS.map(c => el('span', { class: 'choice' },
				el('input', { type: 'radio', name, id: name + '-' + c, value: c, checked: !!(mine && mine.colour === c) }),
				el('label', { for: name + '-' + c, class: 'swatch-' + c }, c))),
			el('label', { for: 'n-' + q.id }, 'Note'), note,
			el('button', { type: 'button', class: 'small', onclick: () => score(q.id) }, stage === 'first' ? 'Save first indication' : 'Save revision'),
			q.proposal ? el('p', { class: 'hint' }, 'The platform proposes ' + q.proposal.colour + ': ' + q.proposal.evidence) : null,
			others.length ? el('p', { class: 'hint' }, 'Others: ' + others.join('; ')) : stage === 'first' && q.hidden ? el('p', { class: 'hint' }, q.hidden + ' other(s) scored; shown in the discussion.') : null);
		return fs;
	}

	async function open(id) {
		const r = await api('GET', '/api/v1/qa/maturity/' + enc(id));
		if (!r.ok) { msg($('ws-msg'), r.error); return; }
		cur = id;
		const v = r.data;
		window.__qaViewer = v.viewer;
		$('session').hidden = false;
		$('h-session').textContent = v.session.title;
		$('ws-stage').textContent = v.session.stage;
		$('print-link').href = '/api/v1/qa/maturity/' + enc(id) + '/canvas.html';
		const qs = $('questions');
		clear(qs);
		for (const a of v.areas) {
			qs.append(el('h3', {}, a.title || a.id));
			for (const q of a.questions) qs.append(question(q, v.session.stage));
		}
		clear($('actions'));
		for (const a of v.actions || []) $('actions').append(el('li', {}, (a.question ? a.question + ': ' : '') + a.text + (a.owner ? ' (' + a.owner + ')' : '')));
		await canvas(id);
	}

	async function score(q) {
		const c = document.querySelector('input[name="c-' + CSS.escape(q) + '"]:checked');
		if (!c) { msg($('ws-msg'), 'Choose green, yellow or red for ' + q + '.'); return; }
		const note = $('n-' + q).value.trim();
		const r = await api('POST', '/api/v1/qa/maturity/' + enc(cur) + '/scores', { json: Object.assign({ question: q, colour: c.value }, note ? { note } : {}) });
		msg($('ws-msg'), r.ok ? q + ' saved.' : r.error, r.ok);
		if (r.ok) await open(cur);
	}

	QA.session(() => loadSessions());
	$('new-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const title = $('new-title').value.trim();
		if (!title) { msg($('ws-msg'), 'Give the session a title.'); return; }
		const r = await api('POST', '/api/v1/qa/maturity', { json: { title } });
		if (!r.ok) { msg($('ws-msg'), r.error); return; }
		$('new-title').value = '';
		await loadSessions();
		await open(r.data.id);
	});
	for (const [b, stage] of [['to-discussion', 'discussion'], ['to-closed', 'closed']])
		$(b).addEventListener('click', async () => {
			const r = await api('POST', '/api/v1/qa/maturity/' + enc(cur) + '/stage', { json: { stage } });
			msg($('ws-msg'), r.ok ? 'The session is now in ' + stage + '.' : r.error, r.ok);
			if (r.ok) await open(cur);
		});
	$('action-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const text = $('action-text').value.trim(), question = $('action-q').value.trim(), owner = $('action-owner').value.trim();
		if (!text) { msg($('ws-msg'), 'Describe the action.'); return; }
		const r = await api('POST', '/api/v1/qa/maturity/' + enc(cur) + '/actions',
			{ json: Object.assign({ text }, question ? { question } : {}, owner ? { owner } : {}) });
		msg($('ws-msg'), r.ok ? 'Action recorded.' : r.error, r.ok);
		if (r.ok) { $('action-text').value = ''; await open(cur); }
	});
})();
