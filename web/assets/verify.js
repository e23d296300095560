/* Verify page: paste, choose or drop a credential (or open /verify?c=<share>)
 * -> POST /api/v1/verify -> checks in plain words + the credential's EU
 * elements. */
'use strict';

(() => {
	/* A credential is a few KiB; refuse absurd files before reading them
	 * (the server has its own body limit and says so in a problem). */
	const MAX_FILE = 1 << 20;
	const $ = id => document.getElementById(id);
	const form = $('verify-form'), ta = $('json'), file = $('file'), zone = $('dropzone');
	const result = $('result'), credSection = $('credential-section'), credBox = $('credential');
	const button = $('verify-button');

	function busy(on) {
		result.setAttribute('aria-busy', on ? 'true' : 'false');
		button.disabled = on;
		button.textContent = on ? 'Checking\u2026' : 'Verify';
	}

	async function verify() {
		const text = ta.value.trim();
		credSection.hidden = true;
		if (!text) {
			MC.showError(result, 'Paste the credential JSON, or choose or drop its file, first.');
			return;
		}
		busy(true);
		const r = await MC.api('POST', '/api/v1/verify', { body: text, type: 'application/json' });
		busy(false);
		if (r.status === 200 && r.data) {
			MC.renderVerification(r.data, result);
			/* on a phone the result is below the form: bring it into view */
			if (window.matchMedia('(max-width: 599px)').matches) result.scrollIntoView({ block: 'start' });
			let cred = null;
			try { cred = JSON.parse(text); } catch (e) { cred = null; }
			if (cred && typeof cred === 'object' && !Array.isArray(cred)) {
				MC.renderCredential(cred, credBox, 'h3');
				credSection.hidden = false;
			}
		} else if (r.status === 400 || r.status === 413 || r.status === 415) {
			MC.showError(result, 'This is not a readable credential: ' + r.error);
		} else {
			MC.showError(result, 'The check could not be done: ' + r.error);
		}
	}

	function readFile(f) {
		if (!f) return;
		if (f.size > MAX_FILE) {
			MC.showError(result, 'The file "' + f.name + '" is ' + Math.round(f.size / 1024) + ' KiB; a credential is far smaller (at most 1 MiB accepted).');
			return;
		}
		const rd = new FileReader();
		rd.onload = () => { ta.value = String(rd.result); verify(); };
		rd.onerror = () => MC.showError(result, 'The file "' + f.name + '" could not be read.');
		rd.readAsText(f);
	}

	form.addEventListener('submit', ev => { ev.preventDefault(); verify(); });
	$('clear-button').addEventListener('click', () => {
		ta.value = ''; file.value = ''; credSection.hidden = true;
		MC.clear(result); result.append(MC.el('p', { class: 'hint' }, 'The result appears here.'));
		ta.focus();
	});
	file.addEventListener('change', () => readFile(file.files && file.files[0]));

	/* drag and drop onto the zone; a drop elsewhere on the page must not make
	 * the browser navigate away to the file */
	for (const t of ['dragenter', 'dragover']) zone.addEventListener(t, ev => { ev.preventDefault(); zone.classList.add('dragover'); });
	for (const t of ['dragleave', 'dragend']) zone.addEventListener(t, () => zone.classList.remove('dragover'));
	zone.addEventListener('drop', ev => {
		ev.preventDefault();
		zone.classList.remove('dragover');
		const f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
		if (f) readFile(f);
		else MC.showError(result, 'Drop a credential file (.json).');
	});
	document.addEventListener('dragover', ev => ev.preventDefault());
	document.addEventListener('drop', ev => { if (!zone.contains(ev.target)) ev.preventDefault(); });

	/* /verify?c=<share>: the QR code on a credential page leads here */
	const share = new URLSearchParams(location.search).get('c');
	if (share !== null) {
		if (!/^[A-Za-z0-9_-]{1,128}$/.test(share)) {
			MC.showError(result, 'The link is damaged: "' + share + '" is not a credential share code.');
		} else {
			(async () => {
				busy(true);
				let res;
				try { res = await fetch('/c/' + share + '.json', { cache: 'no-store' }); } catch (e) { res = null; }
				busy(false);
				if (!res || !res.ok) {
					MC.showError(result, res && res.status === 404
						? 'No shared credential has this code. The learner may have stopped sharing it.'
						: 'The shared credential could not be loaded.');
					return;
				}
				ta.value = await res.text();
				verify();
			})();
		}
	}
})();
