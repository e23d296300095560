#!/usr/bin/env node
// Canonical N-Quads: jsonld.js (RDFC-1.0, safe mode, offline loader) versus
// `mcred rdfc --safe FILE`, byte for byte, over a corpus from gen-corpus.mjs.
//
//   node nquads.mjs CORPUS_DIR [--mcred PATH] [--jobs N] [--show 3]
//                   [--report FILE.json]
//
// Prints TAP-style "ok - ..." / "not ok - ..." lines (one per check, not per
// document), "# " comments with the first --show differences (document,
// lines only in jsonld.js / only in mcred), and exits 1 on any difference.
// A document both sides refuse in safe mode counts as agreement (listed).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import {spawn} from 'node:child_process';
import {isDeepStrictEqual} from 'node:util';
import {createRequire} from 'node:module';
import jsonld from 'jsonld';
import {documentLoader, contextFiles, repoRoot, MCRED_CONTEXT_URL} from
  '../loader.mjs';

const argv = process.argv.slice(2);
const opt = {mcred: process.env.MCRED || path.join(repoRoot, 'build', 'mcred'),
  jobs: Math.max(2, os.cpus().length * 2), show: 3, report: null};
let corpus;
for(let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if(a.startsWith('--')) {
    opt[a.slice(2)] = argv[++i];
  } else {
    corpus = a;
  }
}
if(!corpus) {
  console.error('usage: node nquads.mjs CORPUS_DIR [--mcred PATH] [--jobs N] ' +
    '[--show N] [--report FILE]');
  process.exit(2);
}
opt.jobs = Number(opt.jobs);
opt.show = Number(opt.show);
if(!path.isAbsolute(opt.mcred)) {
  opt.mcred = fs.existsSync(path.resolve(opt.mcred)) ?
    path.resolve(opt.mcred) : path.resolve(repoRoot, opt.mcred);
}

let pass = 0;
let fail = 0;
const ok = m => {
  console.log(`ok - ${m}`);
  pass++;
};
const nok = m => {
  console.log(`not ok - ${m}`);
  fail++;
};
const diag = s => console.log(String(s).replace(/^/gm, '#   '));

// ------------------------------------------------ 1. same context documents
// URL -> file of contexts/bundled (what the C loader embeds; the table in
// contexts/bundled/README.md), compared with what loader.mjs serves.
const BUNDLED = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://www.w3.org/ns/credentials/examples/v2':
    'credentials-examples-v2.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://www.w3.org/ns/credentials/status/v1':
    'bitstring-status-list-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json':
    'ob-v3p0-context-3.0.1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json':
    'ob-v3p0-context-3.0.2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json':
    'ob-v3p0-context-3.0.3.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json':
    'ob-v3p0-context.jsonld'
};
{
  const bundledDir = path.join(repoRoot, 'contexts', 'bundled');
  const onDisk = fs.readdirSync(bundledDir).filter(f => f.endsWith('.jsonld'));
  const unmapped = onDisk.filter(f => !Object.values(BUNDLED).includes(f));
  const same = [];
  const sameJson = [];
  const differ = [];
  const missing = [];
  for(const [url, f] of Object.entries(BUNDLED)) {
    const cFile = path.join(bundledDir, f);
    const jsFile = contextFiles.get(url);
    if(!fs.existsSync(cFile)) {
      continue;
    }
    if(!jsFile || !fs.existsSync(jsFile)) {
      missing.push(url);
      continue;
    }
    const a = fs.readFileSync(cFile);
    const b = fs.readFileSync(jsFile);
    if(a.equals(b)) {
      same.push(url);
    } else if(isDeepStrictEqual(JSON.parse(a), JSON.parse(b))) {
      sameJson.push(url);
    } else {
      differ.push(`${url}: ${cFile} != ${jsFile}`);
    }
  }
  // the project's own context: C embeds contexts/mcred-v1.jsonld itself
  if(contextFiles.get(MCRED_CONTEXT_URL) ===
    path.join(repoRoot, 'contexts', 'mcred-v1.jsonld')) {
    same.push(MCRED_CONTEXT_URL);
  } else {
    differ.push(`${MCRED_CONTEXT_URL}: loader.mjs serves ` +
      contextFiles.get(MCRED_CONTEXT_URL));
  }
  const msg = `contexts: ${same.length} byte-identical, ${sameJson.length} ` +
    `same JSON, between contexts/bundled (C) and loader.mjs (JS)`;
  if(differ.length || unmapped.length) {
    nok(msg);
    differ.forEach(diag);
    unmapped.forEach(f => diag(`contexts/bundled/${f}: no URL in nquads.mjs`));
  } else {
    ok(msg);
  }
  for(const url of missing) {
    // only a problem when a corpus document uses it (it would fail in JS)
    console.log(`# context ${url}: bundled in C, no local copy for ` +
      'loader.mjs (not used by the corpus)');
  }
}

// ------------------------------------------------ 2. canonical N-Quads
const manifestFile = path.join(corpus, 'manifest.json');
const manifest = fs.existsSync(manifestFile) ?
  JSON.parse(fs.readFileSync(manifestFile, 'utf8')) :
  fs.readdirSync(path.join(corpus, 'docs')).filter(f => f.endsWith('.json'))
    .sort().map(file => ({file, kind: 'doc', note: ''}));
const docsDir = path.join(corpus, 'docs');

function run(cmd, args) {
  return new Promise(resolve => {
    const p = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe']});
    const out = [];
    let err = '';
    p.stdout.on('data', d => out.push(d));
    p.stderr.on('data', d => {
      err += d;
    });
    p.on('error', e => resolve({code: -1, out: Buffer.concat(out), err: String(e)}));
    p.on('close', code => resolve({code, out: Buffer.concat(out), err}));
  });
}

const tc0 = process.hrtime.bigint();
const cOut = new Array(manifest.length);
{
  let next = 0;
  await Promise.all(Array.from({length: opt.jobs}, async () => {
    while(next < manifest.length) {
      const i = next++;
      cOut[i] = await run(opt.mcred, ['rdfc', '--safe',
        path.join(docsDir, manifest[i].file)]);
    }
  }));
}
const tC = Number(process.hrtime.bigint() - tc0) / 1e9;

const tj0 = process.hrtime.bigint();
const jsOut = [];
for(const m of manifest) {
  const doc = JSON.parse(fs.readFileSync(path.join(docsDir, m.file), 'utf8'));
  try {
    const nq = await jsonld.canonize(doc, {algorithm: 'RDFC-1.0',
      format: 'application/n-quads', documentLoader, safe: true});
    jsOut.push({ok: true, out: Buffer.from(nq, 'utf8')});
  } catch(e) {
    jsOut.push({ok: false, err: `${e.name}: ${e.message}` +
      (e.details && e.details.event ? ` (${e.details.event.code})` : '')});
  }
}
const tJS = Number(process.hrtime.bigint() - tj0) / 1e9;

function lineDiff(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  const sb = new Set(lb);
  const sa = new Set(la);
  return {onlyA: la.filter(l => !sb.has(l)), onlyB: lb.filter(l => !sa.has(l))};
}
const byKind = {};
const diffs = [];
const bothRefused = [];
for(let i = 0; i < manifest.length; i++) {
  const m = manifest[i];
  const k = byKind[m.kind] ||= {n: 0, same: 0, refused: 0, diff: 0};
  k.n++;
  const j = jsOut[i];
  const c = cOut[i];
  const cok = c.code === 0;
  if(j.ok && cok && j.out.equals(c.out)) {
    k.same++;
  } else if(!j.ok && !cok) {
    k.refused++;
    bothRefused.push({m, js: j.err, c: c.err.trim()});
  } else {
    k.diff++;
    diffs.push({m, j, c});
  }
}
// ------------------------------------------------ 3. explain differences
// Each difference is re-examined; a known cause is accepted only when a
// re-run proves it (else the document stays an unexplained failure):
//  js-work-limit  jsonld.js stops with "Maximum deep iterations exceeded":
//                 rdf-canonize's default work limit (maxWorkFactor 1) refuses
//                 symmetric blank-node graphs. Re-run with the limit raised;
//                 identical output = agreement on the canonical form.
//  js-small-double  jsonld.js writes numbers like 5e-324 or 1e-7 as
//                 "0"^^xsd:integer: its types.isDouble() looks for a "." in
//                 String(v), and String(1e-7) is "1e-7". JSON-LD 1.1 API,
//                 Object to RDF (8.6) step 10: a number with a non-zero
//                 fractional part is written as an xsd:double
//                 ("1.0E-7"); mcred does that. Re-run jsonld.js with
//                 isDouble() fixed to the spec's test; identical = explained.
//  c-ill-formed-iri  mcred (safe mode) refuses an IRI that is not
//                 well-formed per RFC 3987 (a second "#" inside the fragment);
//                 JSON-LD 1.1 API, Deserialize JSON-LD to RDF (8.1) step
//                 1.3.1 / Object to RDF step 1: nodes whose IRI is not
//                 well-formed produce no triples, and safe mode must then
//                 fail. jsonld.js only checks for a scheme and no spaces.
const require_ = createRequire(import.meta.url);
const jsonldTypes = require_(path.join(path.dirname(
  require_.resolve('jsonld')), 'types.js'));
const origIsDouble = jsonldTypes.isDouble;
const specIsDouble = v => jsonldTypes.isNumber(v) &&
  (v % 1 !== 0 || Math.abs(v) >= 1e21);
async function jsCanon(file, extra = {}) {
  const doc = JSON.parse(fs.readFileSync(path.join(docsDir, file), 'utf8'));
  try {
    return {ok: true, out: Buffer.from(await jsonld.canonize(doc, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader,
      safe: true, ...extra}), 'utf8')};
  } catch(e) {
    return {ok: false, err: `${e.name}: ${e.message}`};
  }
}
const explained = {};
const unexplained = [];
for(const d of diffs) {
  const f = d.m.file;
  const cok = d.c.code === 0;
  let cause = null;
  let j = d.j;
  if(!j.ok && /Maximum deep iterations/.test(j.err) && cok) {
    j = await jsCanon(f, {canonizeOptions: {maxWorkFactor: Infinity}});
    if(j.ok && j.out.equals(d.c.out)) {
      cause = 'js-work-limit';
    }
  }
  if(!cause && j.ok && cok) {
    jsonldTypes.isDouble = specIsDouble;
    const j2 = await jsCanon(f, {canonizeOptions: {maxWorkFactor: Infinity}});
    jsonldTypes.isDouble = origIsDouble;
    if(j2.ok && j2.out.equals(d.c.out)) {
      cause = j === d.j ? 'js-small-double' : 'js-work-limit+js-small-double';
    }
  }
  if(!cause && j.ok && !cok) {
    const m = /subject|object|predicate|graph/.test(d.c.err) &&
      /"([^"]*)" cannot be expressed in RDF/.exec(d.c.err);
    if(m && /#.*#/.test(m[1])) {
      cause = 'c-ill-formed-iri';
    }
  }
  if(cause) {
    (explained[cause] ||= []).push(f);
    d.cause = cause;
  } else {
    unexplained.push(d);
  }
}

const report = {corpus, documents: manifest.length, seconds: {mcred: tC,
  jsonld: tJS}, byKind, bothRefused: bothRefused.map(x => ({file: x.m.file,
  note: x.m.note, js: x.js, c: x.c})), different: []};
for(const [kind, k] of Object.entries(byKind)) {
  const msg = `(a) ${kind} documents: canonical N-Quads identical for ` +
    `${k.same}/${k.n}` + (k.refused ? `, ${k.refused} refused by both in ` +
    'safe mode' : '') + (k.diff ? `, ${k.diff} DIFFERENT` : '');
  ok(msg);
}
const CAUSES = {
  'js-work-limit': 'jsonld.js refuses at its default RDFC work limit ' +
    '(maxWorkFactor 1, canonizeOptions); with the limit raised its output is identical',
  'js-small-double': 'jsonld.js writes numbers like 5e-324 / 1e-7 as ' +
    '"0"^^xsd:integer (isDouble() looks for "."); JSON-LD 1.1 Object to RDF ' +
    'step 10 wants the xsd:double form mcred writes; identical once ' +
    'jsonld.js is corrected',
  'js-work-limit+js-small-double': 'both of the above',
  'c-ill-formed-iri': 'mcred refuses (safe mode) an IRI with two "#" ' +
    '(not well-formed per RFC 3987); JSON-LD 1.1 drops such nodes, so safe ' +
    'mode must fail; jsonld.js does not check IRIs that far'
};
for(const [cause, files] of Object.entries(explained)) {
  ok(`(a) ${files.length} difference(s) explained: ` +
    `${CAUSES[cause]}`);
  console.log(`#   ${cause}: ${files.join(' ')}`);
}
if(unexplained.length) {
  nok(`(a) ${unexplained.length} unexplained difference(s) between ` +
    'jsonld.js and mcred rdfc --safe');
} else {
  ok('(a) no unexplained difference between jsonld.js and mcred rdfc --safe');
}
console.log(`# timing: mcred rdfc ${tC.toFixed(2)} s for ${manifest.length} ` +
  `documents (${opt.jobs} processes), jsonld.canonize ${tJS.toFixed(2)} s ` +
  '(one process, sequential)');
for(const r of bothRefused.slice(0, 5)) {
  console.log(`# both refuse ${r.m.file} (${r.m.note}):`);
  diag(`jsonld.js: ${r.js}\nmcred: ${r.c}`);
}
for(const d of diffs) {
  const entry = {file: d.m.file, kind: d.m.kind, note: d.m.note};
  if(!d.j.ok || d.c.code !== 0) {
    entry.js = d.j.ok ? 'ok' : d.j.err;
    entry.c = d.c.code === 0 ? 'ok' : d.c.err.trim();
  } else {
    const ld = lineDiff(d.j.out.toString('utf8'), d.c.out.toString('utf8'));
    entry.onlyJs = ld.onlyA;
    entry.onlyC = ld.onlyB;
  }
  entry.cause = d.cause || 'UNEXPLAINED';
  report.different.push(entry);
  if(!d.cause && unexplained.indexOf(d) < opt.show) {
    console.log(`# DIFFERENT ${path.join(docsDir, d.m.file)} (${d.m.kind}` +
      `${d.m.note ? ': ' + d.m.note : ''})`);
    if(entry.onlyJs) {
      diag(['only in jsonld.js:', ...entry.onlyJs.slice(0, 8),
        'only in mcred:', ...entry.onlyC.slice(0, 8)].join('\n'));
    } else {
      diag(`jsonld.js: ${entry.js}\nmcred: ${entry.c}`);
    }
    const text = fs.readFileSync(path.join(docsDir, d.m.file), 'utf8');
    diag('document: ' + (text.length > 1500 ? text.slice(0, 1500) + '…' :
      text));
  }
}
if(unexplained.length > opt.show) {
  console.log(`# ... ${unexplained.length - opt.show} more unexplained: ` +
    unexplained.slice(opt.show).map(d => d.m.file).join(' '));
}
report.explained = explained;
if(opt.report) {
  fs.writeFileSync(opt.report, JSON.stringify(report, null, 1) + '\n');
}
console.log(`# nquads: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
