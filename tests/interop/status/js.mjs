// js.mjs - the JavaScript side of the status-list interop test (run.sh),
// using @digitalbazaar/vc-bitstring-status-list 2.0.1:
//   node js.mjs encode NBITS [INDEX...]   print the encodedList
//   node js.mjs decode ENCODEDLIST        print "<nbits> <i1,i2,...>"
//   node js.mjs check LISTFILE CREDFILE   checkStatus (list proof not verified,
//        issuers must match) and print "<purpose> <index> <set|unset>" per entry,
//        or "error <message>"; note: the library reports a revoked credential as
//        verified:true with status:true, so the status is what we print.
import {readFileSync} from 'node:fs';
import {createList, decodeList, checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const [cmd, ...args] = process.argv.slice(2);
if(cmd === 'encode') {
  const list = await createList({length: Number(args[0])});
  for(const i of args.slice(1)) list.setStatus(Number(i), true);
  console.log(await list.encode());
} else if(cmd === 'decode') {
  const list = await decodeList({encodedList: args[0]});
  const set = [];
  for(let i = 0; i < list.length; i++) if(list.getStatus(i)) set.push(i);
  console.log(`${list.length} ${set.join(',')}`);
} else if(cmd === 'check') {
  const slc = JSON.parse(readFileSync(args[0], 'utf8'));
  const credential = JSON.parse(readFileSync(args[1], 'utf8'));
  const documentLoader = async url => {
    if(url === slc.id) return {contextUrl: null, documentUrl: url, document: slc};
    throw new Error(`offline: ${url}`);
  };
  const r = await checkStatus({credential, documentLoader,
    verifyBitstringStatusListCredential: false, verifyMatchingIssuers: true});
  if(!r.verified) {
    console.log(`error ${r.error && r.error.message}`);
  } else {
    const results = r.results || [r];
    for(const x of results) {
      const cs = x.credentialStatus;
      console.log(`${cs.statusPurpose} ${cs.statusListIndex} ${x.status ? 'set' : 'unset'}`);
    }
  }
} else {
  process.exit(2);
}
