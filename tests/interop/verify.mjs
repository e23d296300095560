#!/usr/bin/env node
// Verify a credential secured with eddsa-jcs-2022 using the reference
// implementation, offline.
//
//   node verify.mjs [--proof-only] [--now ISO] [--verbose] IN.json
//
// Default: @digitalbazaar/vc verifyCredential() (CredentialIssuancePurpose =
// assertionMethod + issuer must be the verification method's controller).
// Status is not checked: if the credential has credentialStatus, a no-op
// checkStatus is passed and "statusChecked": false is reported.
// --proof-only: only the Data Integrity proof (jsonld-signatures verify with
// AssertionProofPurpose), for documents whose issuer is not the key's DID.
// Prints JSON {verified, error, ...} on stdout; exit 0 iff verified,
// 1 not verified, 2 usage, 3 I/O.
import fs from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {documentLoader, loadedUrls} from './loader.mjs';

const USAGE =
  'usage: node verify.mjs [--proof-only] [--now ISO] [--verbose] IN.json';

function usage(msg) {
  if(msg) {
    process.stderr.write(`verify.mjs: ${msg}\n`);
  }
  process.stderr.write(USAGE + '\n');
  process.exit(2);
}

// collect the messages of an error tree (jsigs nests them in arrays/results)
function messages(err, out = []) {
  if(!err) {
    return out;
  }
  if(Array.isArray(err)) {
    err.forEach(e => messages(e, out));
    return out;
  }
  if(err instanceof Error || typeof err === 'object') {
    if(err.message && !out.includes(err.message)) {
      out.push(err.message);
    }
    if(err.errors) {
      messages(err.errors, out);
    }
    if(err.cause) {
      messages(err.cause, out);
    }
    return out;
  }
  out.push(String(err));
  return out;
}

export async function verifyDocument(document, {proofOnly = false, now} = {}) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  let result;
  const extra = {};
  if(proofOnly) {
    result = await jsigs.verify(document, {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader
    });
  } else {
    const options = {credential: document, suite, documentLoader};
    if(now) {
      options.now = now;
    }
    if(document && document.credentialStatus) {
      options.checkStatus = async () => ({verified: true});
      extra.statusChecked = false;
    }
    result = await vc.verifyCredential(options);
  }
  const errs = messages(result.error);
  for(const r of result.results || []) {
    if(!r.verified) {
      messages(r.error, errs);
      if(r.purposeResult && !r.purposeResult.valid) {
        messages(r.purposeResult.error, errs);
      }
    }
  }
  return {
    verified: result.verified === true,
    error: result.verified === true ? null : (errs.join('; ') || 'unknown'),
    ...extra
  };
}

async function main(argv) {
  let input; let proofOnly = false; let now; let verbose = false;
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if(a === '--proof-only') {
      proofOnly = true;
    } else if(a === '--verbose' || a === '-v') {
      verbose = true;
    } else if(a === '--now') {
      if(i + 1 >= argv.length) {
        usage('--now needs a value');
      }
      now = argv[++i];
      if(isNaN(new Date(now))) {
        usage(`bad --now ${now}`);
      }
    } else if(a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if(a.startsWith('-') && a !== '-') {
      usage(`unknown option ${a}`);
    } else if(input === undefined) {
      input = a;
    } else {
      usage('only one input file');
    }
  }
  if(input === undefined) {
    usage('input file required');
  }
  let document;
  try {
    document = JSON.parse(fs.readFileSync(input === '-' ? 0 : input, 'utf8'));
  } catch(e) {
    process.stdout.write(JSON.stringify(
      {verified: false, error: `cannot read ${input}: ${e.message}`}) + '\n');
    process.exit(3);
  }
  let out;
  try {
    out = await verifyDocument(document, {proofOnly, now});
  } catch(e) {
    out = {verified: false, error: e.message};
  }
  if(verbose) {
    out.mode = proofOnly ? 'proof-only' : 'credential';
    out.loaded = [...loadedUrls];
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(out.verified ? 0 : 1);
}

import {pathToFileURL} from 'node:url';
if(import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  await main(process.argv.slice(2));
}
