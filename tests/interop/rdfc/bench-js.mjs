#!/usr/bin/env node
// The JavaScript reference on the benchmark documents (issue 3 item 6):
// jsonld.canonize (RDFC-1.0, safe, offline loader) and @digitalbazaar/vc
// issue / verifyCredential with eddsa-rdfc-2022, one process, sequential.
//
//   node bench-js.mjs DIR        DIR/*.json: unsigned credentials whose issuer is
//                                the did:key of the benchmark key (bench_rdfc
//                                writes them with BENCH_RDFC_DUMP=DIR)
// BENCH_SECONDS (default 2) per operation. Prints one row per operation and
// "BENCH_RDFC_JS canon=.. sign=.. verify=.." for scripts.
// The key: seed bytes k*7+1 (k = 0..31), as in bench/bench_rdfc.c.
import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoader} from '../loader.mjs';
import {keyPairFromSeed} from '../sign.mjs';

const dir = process.argv[2];
if(!dir) {
  console.error('usage: node bench-js.mjs DIR');
  process.exit(2);
}
const budget = Number(process.env.BENCH_SECONDS) > 0 ?
  Number(process.env.BENCH_SECONDS) : 2;
const docs = fs.readdirSync(dir).filter(f => /^\d+\.json$/.test(f)).sort()
  .map(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
if(!docs.length) {
  console.error(`bench-js: no NN.json documents in ${dir}`);
  process.exit(2);
}
const seed = Uint8Array.from({length: 32}, (_, k) => (k * 7 + 1) & 0xff);
const keyPair = await keyPairFromSeed(seed);
const created = '2025-01-01T00:00:00Z';
const signSuite = () => new DataIntegrityProof({signer: keyPair.signer(),
  date: created, cryptosuite: eddsaRdfc2022});
const verifySuite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

// Run op(doc index) over the documents round-robin for `budget` seconds,
// after one warm-up pass; return operations per second.
async function rate(op) {
  for(let i = 0; i < docs.length; i++) {
    await op(i);
  }
  const t0 = process.hrtime.bigint();
  let n = 0;
  let t;
  do {
    await op(n % docs.length);
    n++;
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while(t < budget);
  return n / t;
}

const canonOpts = {algorithm: 'RDFC-1.0', format: 'application/n-quads',
  documentLoader, safe: true};
const canon = await rate(i => jsonld.canonize(docs[i], canonOpts));
console.log(`  canonicalize (jsonld.canonize RDFC-1.0):  ${canon.toFixed(0)} /s` +
  `  (${(1e6 / canon).toFixed(0)} us)`);

const signed = [];
for(const d of docs) {
  signed.push(await vc.issue({credential: structuredClone(d),
    suite: signSuite(), documentLoader}));
}
const now = new Date('2026-01-01T00:00:00Z');
for(const [i, s] of signed.entries()) {
  const r = await vc.verifyCredential({credential: s, suite: verifySuite,
    documentLoader, now});
  if(!r.verified) {
    console.error(`bench-js: document ${i} does not verify: ` +
      JSON.stringify(r.error || r.results?.[0]?.error).slice(0, 500));
    process.exit(1);
  }
}
const sign = await rate(i => vc.issue({credential: structuredClone(docs[i]),
  suite: signSuite(), documentLoader}));
console.log(`  issue (vc.issue eddsa-rdfc-2022):         ${sign.toFixed(0)} /s` +
  `  (${(1e6 / sign).toFixed(0)} us)`);
const verify = await rate(i => vc.verifyCredential({credential: signed[i],
  suite: verifySuite, documentLoader, now}));
console.log(`  verify (vc.verifyCredential):             ${verify.toFixed(0)} /s` +
  `  (${(1e6 / verify).toFixed(0)} us)`);
console.log(`BENCH_RDFC_JS docs=${docs.length} canon=${canon.toFixed(1)} ` +
  `sign=${sign.toFixed(1)} verify=${verify.toFixed(1)}`);
