// store-check.mjs - a status list credential published by an mcred store,
// checked with the reference JavaScript (run.sh "store" cases):
//   node store-check.mjs LIST.json CRED.json
// 1. the list credential's eddsa-rdfc-2022 proof and issuer, with
//    @digitalbazaar/vc verifyCredential + data-integrity +
//    eddsa-rdfc-2022-cryptosuite (offline loader of tests/interop);
// 2. the credential's status with @digitalbazaar/vc-bitstring-status-list
//    checkStatus, the list credential verified again there and the issuers
//    required to match.
// Prints "list verified|not-verified [why]" then "<purpose> <index>
// set|unset" per entry, or "status error <message>". The library reports a
// revoked credential as verified:true with status:true (see
// ../shared/pitfalls.md), so the status is what is printed.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {documentLoader as offline} from '../loader.mjs';

const slc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const credential = JSON.parse(readFileSync(process.argv[3], 'utf8'));
// the list is served from the file; everything else from local copies
const documentLoader = async url => url === slc.id ?
  {contextUrl: null, documentUrl: url, document: slc} : offline(url);
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const why = r => {
  const e = r.error || (r.results && r.results.find(x => x.error) || {}).error;
  return e ? String(e.message || e).slice(0, 200) : '';
};
const v = await vc.verifyCredential({credential: slc, suite, documentLoader,
  checkStatus: async () => ({verified: true})});
console.log(`list ${v.verified ? 'verified' : 'not-verified ' + why(v)}`);
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
