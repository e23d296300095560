/* Credential page /c/<share>: the shared credential in plain words, a
 * download link, the QR code leading to /verify?c=<share>, and the live
 * verification result. */
'use strict';

(() => {
	const $ = id => document.getElementById(id);
	const m = /^\/c\/([A-Za-z0-9_-]{1,128})\/?$/.exec(location.pathname);
	if (!m) {
		MC.showError($('load-error'), 'This address does not name a shared credential.');
		return;
	}
	const share = m[1];
	const verifyUrl = '/verify?c=' + encodeURIComponent(share);

	(async () => {
		let res;
		try { res = await fetch('/c/' + share + '.json', { cache: 'no-store' }); } catch (e) { res = null; }
		if (!res || !res.ok) {
			MC.showError($('load-error'), res && res.status === 404
				? 'No shared credential has this address. The holder may have stopped sharing it.'
				: 'The credential could not be loaded. Try again later.');
			return;
		}
		const text = await res.text();
		let cred;
		try { cred = JSON.parse(text); } catch (e) {
			MC.showError($('load-error'), 'The stored credential is not readable JSON.');
			return;
		}
		const e = MC.renderCredential(cred, $('credential'), 'h1');
		const h = $('credential').querySelector('.title');
		if (h) h.id = 'cred-title';
		document.title = (e.title || 'Micro-credential') + ' \u2013 ' + (e.learner.name || 'mcred');

		const dl = $('download');
		dl.href = '/c/' + share + '.json';
		dl.setAttribute('download', 'micro-credential-' + share + '.json');
		$('verify-link').href = verifyUrl;
		$('qr-link').href = verifyUrl;
		const img = $('qr');
		img.src = '/c/' + share + '/qr.svg';
		img.alt = 'QR code: opens the verification of this credential';
		$('content').hidden = false;

		const result = $('result');
		const r = await MC.api('POST', '/api/v1/verify', { body: text, type: 'application/json' });
		result.setAttribute('aria-busy', 'false');
		if (r.status === 200 && r.data) MC.renderVerification(r.data, result);
		else MC.showError(result, 'The check could not be done: ' + r.error);
	})();
})();
