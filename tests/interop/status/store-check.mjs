// store-check.mjs - a status list credential published by an mcred store,
// checked with the reference JavaScript (run.sh "store" cases):
//   node store-check.mjs LIST.json [LIST.json ...] CRED.json
// 1. each list credential's eddsa-rdfc-2022 proof and issuer, with
//    @digitalbazaar/vc verifyCredential + data-integrity +
//    eddsa-rdfc-2022-cryptosuite (offline loader of tests/interop);
// 2. the credential's status with @digitalbazaar/vc-bitstring-status-list
//    checkStatus, the list credential verified again there and the issuers
//    required to match.
// Prints "list verified|not-verified [why]" (the first list that fails, or
// one line for all) then "<purpose> <index>
// set|unset" per entry, or "status error <message>". The library reports a
// revoked credential as verified:true with status:true (see
// ../shared/pitfalls.md), so the status is what is printed.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {documentLoader as offline} from '../loader.mjs';

const files = process.argv.slice(2);
const lists = files.slice(0, -1).map(f => JSON.parse(readFileSync(f, 'utf8')));
const credential = JSON.parse(readFileSync(files[files.length - 1], 'utf8'));
// the lists are served from the files; everything else from local copies
const documentLoader = async url => {
  const slc = lists.find(l => l.id === url);
  return slc ? {contextUrl: null, documentUrl: url, document: slc} : offline(url);
};
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const why = r => {
  const e = r.error || (r.results && r.results.find(x => x.error) || {}).error;
  return e ? String(e.message || e).slice(0, 200) : '';
};
let bad = null;
for(const slc of lists) {
  const v = await vc.verifyCredential({credential: slc, suite, documentLoader,
    checkStatus: async () => ({verified: true})});
  if(!v.verified && !bad) bad = v;
}
console.log(`list ${bad ? 'not-verified ' + why(bad) : 'verified'}`);
const r = await checkStatus({credential, documentLoader, suite,
  verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true});
if(!r.verified) {
  console.log(`status error ${why(r)}`);
} else {
  for(const x of r.results || [r]) {
    const cs = x.credentialStatus;
    console.log(`${cs.statusPurpose} ${cs.statusListIndex} ${x.status ? 'set' : 'unset'}`);
  }
}
