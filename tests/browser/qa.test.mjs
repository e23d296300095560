// Browser tests of the quality-assurance pages (issue 7) in headless
// chromium against the server run.sh starts: a QA officer takes a
// specification from proposal to retirement in the workspace with every
// step on the timeline; a learner answers through an invitation link (and
// the spent link is refused: the failing twin); the maturity canvas renders
// as SVG with the scored colours; the public QA page shows the statuses.
//
// Environment (set by run.sh): MCRED_URL, MCRED_QA_TOKEN (proposer, reviewer
// and qa-officer), MCRED_FIXTURES (valid.json: a credential of the store).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.MCRED_URL;
const TOKEN = process.env.MCRED_QA_TOKEN;
const FIX = process.env.MCRED_FIXTURES;
const SHOTS = process.env.MCRED_SHOTS || 'build/browser';
if (!BASE || !TOKEN || !FIX) throw new Error('run through tests/browser/run.sh (MCRED_URL, MCRED_QA_TOKEN, MCRED_FIXTURES)');
const CRED = JSON.parse(fs.readFileSync(path.join(FIX, 'valid.json'), 'utf8'));

let browser;
before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
	});
});
after(async () => { if (browser) await browser.close(); });

async function open(url, viewport) {
	const ctx = await browser.newContext({ viewport: viewport || { width: 1280, height: 900 }, baseURL: BASE });
	ctx.setDefaultTimeout(15000);
	const page = await ctx.newPage();
	const errors = [];
	page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
	page.on('pageerror', e => errors.push(String(e)));
	await page.goto(url);
	return { ctx, page, errors };
}
async function login(page) {
	await page.fill('#token', TOKEN);
	await page.click('#login-button');
	await page.waitForSelector('#app:not([hidden])');
}
const api = (method, p, body) => fetch(BASE + p, {
	method, headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
	body: body ? JSON.stringify(body) : undefined,
}).then(async r => ({ status: r.status, data: await r.json() }));

test('a QA officer takes a specification from proposal to retirement', async () => {
	const { ctx, page, errors } = await open('/qa');
	await login(page);
	const state = () => page.textContent('#spec-state');
	await page.click('button[data-spec="qa-spec"][data-version="1"]');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent !== '');
	assert.equal(await state(), 'draft');
	// the failing twin first: publishing a draft is refused and says why
	await page.click('#do-publish');
	await page.waitForSelector('#action-msg .error-box');
	assert.match(await page.textContent('#action-msg'), /draft|conflict|publish/i);
	await page.click('#do-submit');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'submitted');
	for (let i = 0; i < 3; i++) {        // the default chain: faculty board, LLL committee, QA office
		await page.fill('#decide-comment', 'step ' + (i + 1) + ' approves');
		await page.click('#do-decide');
		await page.waitForFunction(n => document.querySelectorAll('#timeline li').length >= n, i + 2);
	}
	assert.equal(await state(), 'approved');
	await page.click('#do-publish');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'published');
	await page.click('#do-review-start');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'under-review');
	await page.click('#do-review-close');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'published');
	// modify: a minor change is a new version that may be published at once
	const ach = JSON.parse(await page.inputValue('#modify-json'));
	ach.description = 'Refreshed in the periodic review.';
	await page.fill('#modify-json', JSON.stringify(ach));
	await page.click('#do-modify');
	await page.waitForFunction(() => /version 2/.test(document.querySelector('#h-spec').textContent));
	assert.equal(await state(), 'modified');
	await page.click('#do-publish');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'published');
	await page.fill('#retire-reason', 'replaced by a new programme');
	await page.click('#do-retire');
	await page.waitForFunction(() => document.querySelector('#spec-state').textContent === 'retired');
	// every step of version 1 is on its timeline, with actor and role
	await page.click('button[data-spec="qa-spec"][data-version="1"]');
	await page.waitForFunction(() => /version 1/.test(document.querySelector('#h-spec').textContent) &&
		document.querySelector('#spec-state').textContent === 'superseded');
	const tl = await page.textContent('#timeline');
	for (const w of ['submit', 'faculty-board', 'lll-committee', 'qa-office', 'publish', 'review'])
		assert.ok(tl.includes(w), 'timeline names ' + w + ': ' + tl);
	assert.match(tl, /token:qa-officer|session:qa-officer/);
	assert.equal(await state(), 'superseded');
	await page.screenshot({ path: path.join(SHOTS, 'qa-workspace.png'), fullPage: true });
	// retired is final: modifying it is refused
	const r = await api('POST', '/api/v1/qa/specs/qa-spec/modify', { version: 2, achievement: ach });
	assert.equal(r.status, 409);
	assert.deepEqual(errors.filter(e => !/40[39]|Failed to load resource/.test(e)), []);
	await ctx.close();
});

test('a learner gives feedback through an invitation link, once', async () => {
	const inv = await api('POST', '/api/v1/qa/specs/data-literacy/invitations', { audience: 'learner', credential: CRED.id });
	assert.equal(inv.status, 201, JSON.stringify(inv.data));
	const link = inv.data.invitations[0].link;
	const { ctx, page, errors } = await open(link.replace(/^https?:\/\/[^/]+/, ''), { width: 390, height: 844 });
	await page.waitForSelector('#fb-form:not([hidden])');
	for (const fs_ of await page.$$('fieldset.q')) {
		const radios = await fs_.$$('input[type=radio]');
		await radios[radios.length > 2 ? 3 : 0].check();
	}
	await page.click('#fb-send');
	await page.waitForSelector('#fb-msg .ok-box');
	assert.match(await page.textContent('#fb-msg'), /Thank you/);
	assert.deepEqual(errors, []);
	// the twin: the same link again is spent
	await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
	await page.reload();
	await page.waitForSelector('#fb-msg .error-box');
	assert.match(await page.textContent('#fb-msg'), /answered already/);
	assert.ok(await page.isHidden('#fb-form'));
	await ctx.close();
});

test('the maturity workshop scores and draws the canvas in SVG', async () => {
	const { ctx, page, errors } = await open('/qa/workshop');
	await login(page);
	await page.fill('#new-title', 'Browser workshop');
	await page.click('#new-button');
	await page.waitForSelector('#session:not([hidden]) fieldset.q');
	const first = await page.getAttribute('fieldset.q', 'data-question');
	const second = await page.getAttribute('fieldset.q >> nth=1', 'data-question');
	await page.check('#c-' + first + '-green');
	await page.fill('#n-' + first, 'we verify identities');
	await page.click('fieldset[data-question="' + first + '"] button');
	await page.waitForSelector('#ws-msg .ok-box');
	await page.check('#c-' + second + '-red');
	await page.click('fieldset[data-question="' + second + '"] button');
	await page.waitForFunction(() => document.querySelectorAll('#canvas svg').length === 1);
	const fills = await page.$$eval('#canvas svg [fill]', ns => ns.map(n => n.getAttribute('fill')));
	assert.ok(fills.filter(f => f === '#2e7d32').length >= 2, 'a green mark beside the legend');
	assert.ok(fills.filter(f => f === '#c62828').length >= 2, 'a red mark beside the legend');
	await page.fill('#action-text', 'Publish the QA page');
	await page.click('#action-form button');
	await page.waitForFunction(() => /Publish the QA page/.test(document.querySelector('#actions').textContent));
	// printable page: print CSS hides everything but the canvas
	await page.emulateMedia({ media: 'print' });
	assert.ok(await page.isHidden('#questions'));
	assert.ok(await page.isVisible('#canvas svg'));
	await page.screenshot({ path: path.join(SHOTS, 'qa-canvas-print.png'), fullPage: true });
	const print = await page.getAttribute('#print-link', 'href');
	const html = await page.evaluate(u => fetch(u).then(r => r.text()), print);
	assert.match(html, /<svg/);
	assert.deepEqual(errors.filter(e => !/401/.test(e)), []);
	await ctx.close();
});

test('the public QA page shows each specification with its QA status', async () => {
	const { ctx, page, errors } = await open('/qa/public');
	await page.waitForSelector('#pub:not([hidden])');
	const rows = await page.textContent('#pub-table');
	assert.match(rows, /retired/);
	assert.match(await page.textContent('#pub-steps'), /Faculty|board/i);
	// the twin: a provider with nothing recorded shows no specification
	await page.fill('#pub-provider', 'did:web:nobody.example');
	await page.click('#pub-form button');
	await page.waitForFunction(() => document.querySelectorAll('#pub-table tbody tr').length === 0);
	assert.deepEqual(errors, []);
	await ctx.close();
});
