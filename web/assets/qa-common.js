/* Quality-assurance pages: what the workspace and the workshop share (the
 * session login with an API token, messages). Roles are enforced by the
 * server from the token's QA roles; the pages only show what it answers. */
'use strict';
const QA = (() => {
	const $ = id => document.getElementById(id);
	const { el, clear, api } = MC;
	function msg(into, text, ok) {
		clear(into);
		if (text) into.append(el('div', { class: ok ? 'ok-box' : 'error-box', role: ok ? 'status' : 'alert' }, text));
	}
	function enc(s) { return encodeURIComponent(s); }
	/* login form -> session; onReady(session) once logged in */
	function session(onReady) {
		function showLogin(m) {
			MC.setCsrf(null);
			$('app').hidden = true;
			$('login-section').hidden = false;
			msg($('login-error'), m || '');
		}
		function showApp(s) {
			MC.setCsrf(s.csrf);
			$('who').textContent = 'Logged in as ' + s.name;
			$('login-section').hidden = true;
			$('app').hidden = false;
			onReady(s);
		}
		$('login-form').addEventListener('submit', async ev => {
			ev.preventDefault();
			const token = $('token').value.trim();
			if (!token) { msg($('login-error'), 'Enter your API token.'); $('token').focus(); return; }
			const r = await api('POST', '/api/v1/session', { json: { token } });
			$('token').value = '';
			if (r.ok && r.data && r.data.csrf) showApp(r.data);
			else msg($('login-error'), r.error || 'Login failed.');
		});
		$('logout-button').addEventListener('click', async () => {
			await api('DELETE', '/api/v1/session');
			showLogin('You are logged out.');
		});
		api('GET', '/api/v1/session').then(r => (r.ok ? showApp(r.data) : showLogin('')));
		return { showLogin };
	}
	/* a date-time string as a readable local date */
	function when(s) { return s ? new Date(s).toLocaleString() : '–'; }
	return { $, msg, enc, session, when };
})();
