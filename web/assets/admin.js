/* Issuer admin: session login with an API token (POST /api/v1/session; the
 * CSRF token it returns goes on every write), templates, issue one, bulk
 * upload with a progress bar polling /api/v1/bulk/{job}, search, and
 * revoke / suspend / reinstate / share one credential. */
'use strict';

(() => {
	const $ = id => document.getElementById(id);
	const { el, clear, api } = MC;
	const PAGE = 20;               /* search results per page */
	const POLL_MS = 400;           /* bulk job polling interval */
	let templates = [];
	let searchOffset = 0;
	let current = null;            /* id of the credential in the manage panel */
	let pollTimer = null;

	function msg(into, text, ok) {
		clear(into);
		if (text) into.append(el('div', { class: ok ? 'ok-box' : 'error-box', role: ok ? 'status' : 'alert' }, text));
	}
	function enc(s) { return encodeURIComponent(s); }
	/* a table cell that names its column: on phones the tables become one
	 * card per row and the CSS shows the name before the value */
	function td(label, ...kids) { return el('td', { 'data-label': label }, ...kids); }

	/* Any 401 after login means the session ended (expired or logged out
	 * elsewhere): back to the login form. */
	function expired(r) {
		if (r.status !== 401) return false;
		showLogin('Your session has ended. Log in again.');
		return true;
	}

	/* ---------- session ---------- */
	function showLogin(message) {
		MC.setCsrf(null);
		if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
		$('app').hidden = true;
		$('login-section').hidden = false;
		msg($('login-error'), message || '');
		$('token').value = '';
	}
	function showApp(s) {
		MC.setCsrf(s.csrf);
		$('who').textContent = 'Logged in as ' + (s.name || 'unknown') + ' (' + (s.role || '?') + ')';
		$('login-section').hidden = true;
		$('app').hidden = false;
		loadTemplates();
		search(0);
	}

	$('login-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const token = $('token').value.trim();
		if (!token) { msg($('login-error'), 'Enter your API token.'); $('token').focus(); return; }
		$('login-button').disabled = true;
		const r = await api('POST', '/api/v1/session', { json: { token } });
		$('login-button').disabled = false;
		$('token').value = '';
		if (r.ok && r.data && r.data.csrf) {
			msg($('login-error'), '');
			showApp(r.data);
			$('app-heading').focus();
		} else {
			msg($('login-error'), r.status === 401 || r.status === 403
				? 'Login failed: this token is not valid.' : 'Login failed: ' + r.error);
			$('token').focus();
		}
	});
	$('logout-button').addEventListener('click', async () => {
		await api('DELETE', '/api/v1/session');
		showLogin('You are logged out.');
		const box = $('login-error').firstChild;
		if (box) { box.className = 'ok-box'; box.setAttribute('role', 'status'); }
		$('token').focus();
	});

	/* ---------- templates ---------- */
	function fillTemplateSelect(sel, withAny) {
		const keep = sel.value;
		clear(sel);
		if (withAny) sel.append(el('option', { value: '' }, 'Any'));
		else if (!templates.length) sel.append(el('option', { value: '' }, 'No templates yet'));
		for (const t of templates) {
			sel.append(el('option', { value: t.id }, t.id + (t.title ? ' \u2014 ' + MC.txt(t.title) : '') + (t.state === 'published' ? '' : ' (' + t.state + ')')));
		}
		if ([...sel.options].some(o => o.value === keep)) sel.value = keep;
		else { const pub = templates.find(t => t.state === 'published'); if (pub && !withAny) sel.value = pub.id; }
	}

	async function loadTemplates() {
		const r = await api('GET', '/api/v1/templates');
		if (expired(r)) return;
		const tbody = $('templates-table').querySelector('tbody');
		clear(tbody);
		if (!r.ok || !Array.isArray(r.data)) { msg($('templates-msg'), 'Templates could not be loaded: ' + r.error); return; }
		templates = r.data;
		if (!templates.length) tbody.append(el('tr', {}, el('td', { colspan: 5 }, 'No templates yet: add one below.')));
		for (const t of templates) {
			const action = t.state === 'published' ? el('span', { class: 'hint' }, 'In use')
				: el('button', { type: 'button', class: 'small', 'data-publish': t.id, 'aria-label': 'Publish ' + t.id + ' version ' + t.version }, 'Publish');
			if (action.tagName === 'BUTTON') action.addEventListener('click', () => publish(t.id, t.version));
			tbody.append(el('tr', { 'data-template': t.id },
				td('ID', t.id), td('Title', MC.txt(t.title) || ''), td('Version', String(t.version)),
				td('State', el('span', { class: 'state state-' + t.state }, t.state)), td('Action', action)));
		}
		fillTemplateSelect($('issue-template'), false);
		fillTemplateSelect($('bulk-template'), false);
		fillTemplateSelect($('search-template'), true);
	}

	async function publish(id, version) {
		const r = await api('POST', '/api/v1/templates/' + enc(id) + '/publish', { json: { version } });
		if (expired(r)) return;
		msg($('templates-msg'), r.ok ? 'Published ' + id + ' version ' + version + '.' : 'Publishing failed: ' + r.error, r.ok);
		loadTemplates();
	}

	$('template-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const id = $('tpl-id').value.trim();
		let template;
		if (!id) { msg($('templates-msg'), 'Give the template an ID.'); $('tpl-id').focus(); return; }
		try { template = JSON.parse($('tpl-json').value); } catch (e) {
			msg($('templates-msg'), 'The achievement is not valid JSON: ' + e.message); $('tpl-json').focus(); return;
		}
		const r = await api('POST', '/api/v1/templates', { json: { id, template } });
		if (expired(r)) return;
		if (r.ok && r.data) {
			msg($('templates-msg'), 'Saved ' + r.data.id + ' version ' + r.data.version + ' as ' + r.data.state + '. Publish it to issue from it.', true);
			loadTemplates();
		} else {
			msg($('templates-msg'), 'Not saved: ' + r.error);
			/* a template that fails validation lists every problem */
			const errs = r.data && Array.isArray(r.data.errors) ? r.data.errors : [];
			if (errs.length > 1) $('templates-msg').firstChild.append(el('ul', {}, errs.map(x => el('li', {}, (x.field ? x.field + ': ' : '') + (x.message || '')))));
		}
	});

	/* ---------- issue one ---------- */
	$('issue-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const out = $('issue-result');
		const template = $('issue-template').value;
		if (!template) { msg(out, 'Choose a template (publish one first).'); return; }
		const learner = {};
		const put = (k, id) => { const v = $(id).value.trim(); if (v) learner[k] = v; };
		put('id', 'l-id'); put('givenName', 'l-given'); put('familyName', 'l-family'); put('email', 'l-email');
		put('studentId', 'l-student'); put('externalId', 'l-external'); put('grade', 'l-grade'); put('issued', 'l-issued');
		if (!learner.id && !learner.email && !learner.studentId && !learner.externalId) {
			msg(out, 'Give at least one of learner ID, email, student number or external ID.'); $('l-email').focus(); return;
		}
		const body = { template, learner };
		if (learner.externalId) body.externalId = learner.externalId;
		$('issue-button').disabled = true;
		const r = await api('POST', '/api/v1/credentials', { json: body });
		$('issue-button').disabled = false;
		if (expired(r)) return;
		clear(out);
		if (!r.ok || !r.data) { msg(out, 'Not issued: ' + r.error); return; }
		const manage = el('button', { type: 'button', class: 'small secondary' }, 'Manage or share');
		manage.addEventListener('click', () => openCredential(r.data.id));
		out.append(el('div', { class: 'ok-box', role: 'status', 'data-issued': r.data.id },
			r.data.existed ? 'Already issued earlier (nothing new signed): ' : 'Issued: ', r.data.id, ' '), manage);
		search(0);
	});

	/* ---------- bulk ---------- */
	function bulkType(name) {
		return /\.(jsonl|ndjson)$/i.test(name) ? 'application/x-ndjson' : 'text/csv';
	}
	function showJob(j) {
		const bar = $('bulk-progress'), st = $('bulk-status');
		const done = j.state === 'done' || j.state === 'failed';
		let pct = 0;
		if (done) pct = 100;
		else if (j.bytesTotal > 0) pct = Math.min(99, Math.floor(100 * j.bytesRead / j.bytesTotal));
		bar.value = pct;
		bar.setAttribute('aria-valuetext', pct + ' percent');
		for (const k of ['rows', 'issued', 'existing', 'rejected']) st.dataset[k] = String(j[k] ?? 0);
		st.dataset.state = j.state;
		const counts = (j.issued ?? 0) + ' issued, ' + (j.existing ?? 0) + ' already issued, ' + (j.rejected ?? 0) + ' rejected';
		st.textContent = j.state === 'done' ? 'Done: ' + (j.rows ?? 0) + ' rows \u2014 ' + counts + '.'
			: j.state === 'failed' ? 'Stopped' + (j.message ? ' (' + j.message + ')' : '') + ': ' + counts + '; nothing more is issued from this file.'
			: 'Working: ' + pct + '% of the file read, ' + (j.rows ?? 0) + ' rows so far \u2014 ' + counts + '.';
		const eb = $('bulk-errors');
		clear(eb);
		if (Array.isArray(j.errors) && j.errors.length) {
			eb.append(el('h3', {}, 'Rejected rows'), el('div', { class: 'table-wrap' }, el('table', { id: 'bulk-errors-table', class: 'cards' },
				el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Row'), el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Problem'))),
				el('tbody', {}, j.errors.map(e => el('tr', {}, td('Row', String(e.row ?? '')), td('Field', e.field || ''), td('Problem', e.message || '')))))));
		}
		return done;
	}
	async function poll(job) {
		const r = await api('GET', '/api/v1/bulk/' + enc(job));
		if (expired(r)) return;
		if (!r.ok || !r.data) {
			$('bulk-status').textContent = 'Progress unknown: ' + r.error;
			$('bulk-button').disabled = false;
			return;
		}
		if (showJob(r.data)) {
			$('bulk-button').disabled = false;
			pollTimer = null;
			search(0);
		} else pollTimer = setTimeout(() => poll(job), POLL_MS);
	}
	$('bulk-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const template = $('bulk-template').value, f = $('bulk-file').files[0];
		const st = $('bulk-status');
		$('bulk-progress-box').hidden = false;
		clear($('bulk-errors'));
		if (!template) { st.textContent = 'Choose a template first.'; return; }
		if (!f) { st.textContent = 'Choose a CSV or JSON Lines file first.'; $('bulk-file').focus(); return; }
		$('bulk-progress').value = 0;
		delete st.dataset.state;
		st.textContent = 'Uploading ' + f.name + '\u2026';
		$('bulk-button').disabled = true;
		const q = '?template=' + enc(template) + ($('bulk-aon').checked ? '&allOrNothing=true' : '');
		const r = await api('POST', '/api/v1/bulk' + q, { body: f, type: bulkType(f.name) });
		if (expired(r)) return;
		if (!r.ok || !r.data || !r.data.job) {
			st.textContent = 'Upload refused: ' + r.error;
			$('bulk-button').disabled = false;
			return;
		}
		st.dataset.job = r.data.job;
		poll(r.data.job);
	});

	/* ---------- search ---------- */
	function learnerText(l) {
		if (typeof l === 'string') return l;
		if (l && typeof l === 'object') return l.name || [l.givenName, l.familyName].filter(Boolean).join(' ') || l.email || l.id || l.externalId || '';
		return '';
	}
	async function search(offset) {
		searchOffset = Math.max(0, offset);
		const p = new URLSearchParams();
		const q = $('search-q').value.trim();
		if (q) p.set('q', q);
		if ($('search-template').value) p.set('template', $('search-template').value);
		if ($('search-state').value) p.set('state', $('search-state').value);
		p.set('limit', String(PAGE));
		p.set('offset', String(searchOffset));
		const r = await api('GET', '/api/v1/credentials?' + p.toString());
		if (expired(r)) return;
		const table = $('results-table'), tbody = table.querySelector('tbody'), st = $('search-status');
		clear(tbody);
		if (!r.ok || !r.data || !Array.isArray(r.data.items)) { st.textContent = 'Search failed: ' + r.error; table.hidden = true; return; }
		const { items, total } = r.data;
		st.textContent = total === 0 ? 'No credentials match.'
			: 'Showing ' + (searchOffset + 1) + '\u2013' + (searchOffset + items.length) + ' of ' + total + '.';
		table.hidden = items.length === 0;
		for (const it of items) {
			const name = learnerText(it.learner);
			const b = el('button', { type: 'button', class: 'small secondary', 'data-manage': it.id, 'aria-label': 'Manage the credential of ' + (name || it.id) }, 'Manage');
			b.addEventListener('click', () => openCredential(it.id));
			tbody.append(el('tr', { 'data-id': it.id },
				td('Learner', name), td('Template', (it.template || '') + (it.templateVersion ? ' v' + it.templateVersion : '')),
				td('State', el('span', { class: 'state state-' + it.state }, it.state)),
				td('Issued', MC.date(it.issued) || ''), td('Action', b)));
		}
		$('prev-page').hidden = searchOffset === 0;
		$('next-page').hidden = searchOffset + items.length >= total;
	}
	$('search-form').addEventListener('submit', ev => { ev.preventDefault(); search(0); });
	$('prev-page').addEventListener('click', () => search(searchOffset - PAGE));
	$('next-page').addEventListener('click', () => search(searchOffset + PAGE));

	/* ---------- one credential: revoke / suspend / reinstate / share ---------- */
	function fact(dl, k, ...v) { dl.append(el('dt', {}, k), el('dd', {}, ...v)); }
	function shareLinks(share, url) {
		const out = $('share-out');
		clear(out);
		if (!share) return;
		const page = url || '/c/' + share;
		out.append('Public page: ', el('a', { href: page, id: 'share-link' }, location.origin + page),
			' \u00b7 ', el('a', { href: '/verify?c=' + enc(share) }, 'verify link'));
	}
	async function openCredential(id) {
		const r = await api('GET', '/api/v1/credentials/' + enc(id));
		if (expired(r)) return;
		const sec = $('manage');
		sec.hidden = false;
		clear($('manage-msg'));
		if (!r.ok || !r.data) { msg($('manage-msg'), 'Could not load ' + id + ': ' + r.error); return; }
		current = r.data.id || id;
		const e = MC.elements(r.data.credential);
		$('h-manage').textContent = 'Credential: ' + (e.title || current);
		const dl = $('manage-facts');
		clear(dl);
		fact(dl, 'ID', current);
		fact(dl, 'Learner', e.learner.name || e.learner.email || e.learner.id || '');
		fact(dl, 'Issued', MC.date(e.issued) || '');
		fact(dl, 'State', el('span', { id: 'manage-state', class: 'state state-' + r.data.state, 'data-state': r.data.state }, r.data.state));
		if (r.data.reason) fact(dl, 'Last reason', r.data.reason);
		$('manage-reason').value = '';
		$('manage-json').textContent = JSON.stringify(r.data.credential, null, 2);
		updateButtons(r.data.state);
		shareLinks(r.data.share, null);
		$('h-manage').focus();
	}
	/* What each change means for verifiers: credentials carry one status
	 * entry, for revocation; suspension is kept in the register only. */
	const STATE_NOTE = {
		revoked: 'The credential is now revoked: verification fails from now on (verifiers that cache the status list see it within 5 minutes). Revocation is final.',
		suspended: 'The credential is now suspended in the register. Its status list records revocation only, so verifiers still see it as valid; revoke it if it must fail verification.',
		active: 'The credential is active again.'
	};
	function updateButtons(state) {
		$('revoke-button').disabled = state === 'revoked';
		$('suspend-button').disabled = state !== 'active';
		$('reinstate-button').disabled = state !== 'suspended';
	}
	$('manage-form').addEventListener('submit', async ev => {
		ev.preventDefault();
		const action = ev.submitter ? ev.submitter.value : 'revoke';
		const reason = $('manage-reason').value.trim();
		if (!reason) { msg($('manage-msg'), 'Give a reason: it is kept in the audit log.'); $('manage-reason').focus(); return; }
		const r = await api('POST', '/api/v1/credentials/' + enc(current) + '/' + action, { json: { reason } });
		if (expired(r)) return;
		if (r.ok && r.data) {
			const s = $('manage-state');
			s.textContent = r.data.state; s.dataset.state = r.data.state; s.className = 'state state-' + r.data.state;
			updateButtons(r.data.state);
			msg($('manage-msg'), STATE_NOTE[r.data.state] || 'The credential is now ' + r.data.state + '.', true);
			search(searchOffset);
		} else msg($('manage-msg'), 'Not done: ' + r.error);
	});
	$('share-button').addEventListener('click', async () => {
		const r = await api('POST', '/api/v1/credentials/' + enc(current) + '/share', { json: {} });
		if (expired(r)) return;
		if (r.ok && r.data && r.data.share) {
			shareLinks(r.data.share, r.data.url);
			msg($('manage-msg'), 'The credential now has a public page. Send its address to the learner.', true);
		} else msg($('manage-msg'), 'Not shared: ' + r.error);
	});

	/* ---------- start ---------- */
	(async () => {
		const r = await api('GET', '/api/v1/session');
		if (r.ok && r.data && r.data.csrf) showApp(r.data);
		else showLogin('');
	})();
})();
