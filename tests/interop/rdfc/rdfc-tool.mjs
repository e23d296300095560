#!/usr/bin/env node
// eddsa-rdfc-2022 with the reference implementation (@digitalbazaar/vc,
// data-integrity, eddsa-rdfc-2022-cryptosuite), offline (../loader.mjs).
//
//   node rdfc-tool.mjs sign --seed-multibase z... [--created T] [--proof-only]
//                           [--suffix .js.json] IN.json...
//        one input: signed document on stdout; several (or --suffix): each
//        written to IN<suffix> (exit 1: a signing failed)
//   node rdfc-tool.mjs verify [--proof-only] FILE...
//        one line per file: {"file":..,"verified":true|false,"errors":[..]};
//        exit 0 when all verified, 1 otherwise
//   node rdfc-tool.mjs check-di FILE
//        exit 0 iff the last proof is an eddsa-rdfc-2022 DataIntegrityProof
// The key's did:key is the verification method's controller (as in
// ../sign.mjs); --proof-only signs/verifies with jsonld-signatures directly
// (AssertionProofPurpose) for documents that are not full VCs.
import fs from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {documentLoader} from '../loader.mjs';
import {seedFromMultibase, keyPairFromSeed} from '../sign.mjs';

const [cmd, ...rest] = process.argv.slice(2);
const flags = {};
const files = [];
for(let i = 0; i < rest.length; i++) {
  if(rest[i] === '--proof-only') {
    flags.proofOnly = true;
  } else if(rest[i].startsWith('--')) {
    flags[rest[i].slice(2)] = rest[++i];
  } else {
    files.push(rest[i]);
  }
}
const read = f => JSON.parse(fs.readFileSync(f, 'utf8'));

if(cmd === 'sign') {
  const seed = seedFromMultibase(flags['seed-multibase']);
  const keyPair = await keyPairFromSeed(seed);
  const suite = new DataIntegrityProof({signer: keyPair.signer(),
    date: flags.created, cryptosuite: eddsaRdfc2022});
  let failed = 0;
  for(const f of files) {
    try {
      const credential = read(f);
      const signed = flags.proofOnly ?
        await jsigs.sign(credential, {suite, documentLoader,
          purpose: new jsigs.purposes.AssertionProofPurpose()}) :
        await vc.issue({credential, suite, documentLoader});
      const text = JSON.stringify(signed, null, 2) + '\n';
      if(files.length === 1 && !flags.suffix) {
        process.stdout.write(text);
      } else {
        fs.writeFileSync(f + (flags.suffix || '.js.json'), text);
      }
    } catch(e) {
      process.stderr.write(`rdfc-tool sign ${f}: ${e.message}\n`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
} else if(cmd === 'verify') {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  let bad = 0;
  for(const f of files) {
    let r;
    try {
      const doc = read(f);
      r = flags.proofOnly ?
        await jsigs.verify(doc, {suite, documentLoader,
          purpose: new jsigs.purposes.AssertionProofPurpose()}) :
        await vc.verifyCredential({credential: doc, suite, documentLoader});
    } catch(e) {
      r = {verified: false, error: e};
    }
    const errs = [];
    const walk = e => {
      if(!e) {
        return;
      }
      if(Array.isArray(e)) {
        e.forEach(walk);
      } else {
        errs.push(e.message || String(e));
        walk(e.errors);
      }
    };
    walk(r.error);
    for(const p of r.results || []) {
      walk(p.error);
    }
    if(!r.verified) {
      bad++;
    }
    process.stdout.write(JSON.stringify({file: f, verified: !!r.verified,
      errors: errs.slice(0, 4)}) + '\n');
  }
  process.exit(bad ? 1 : 0);
} else if(cmd === 'check-di') {
  const p = [].concat(read(files[0]).proof || []).pop() || {};
  const ok = p.type === 'DataIntegrityProof' &&
    p.cryptosuite === 'eddsa-rdfc-2022' && /^z/.test(p.proofValue || '') &&
    p.proofPurpose === 'assertionMethod' && !!p.verificationMethod;
  process.stdout.write(JSON.stringify(p) + '\n');
  process.exit(ok ? 0 : 1);
} else {
  process.stderr.write('usage: rdfc-tool.mjs sign|verify|check-di ...\n');
  process.exit(2);
}
