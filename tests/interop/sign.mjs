#!/usr/bin/env node
// Sign an unsigned credential with eddsa-jcs-2022 using the reference
// implementation (@digitalbazaar/vc + data-integrity + eddsa-jcs-2022).
//
//   node sign.mjs (--seed-multibase z... | --hex-seed HEX64)
//                 [--created 2023-02-24T23:36:38Z] [--proof-only] [--out OUT.json] IN.json
//
// --seed-multibase: W3C-style privateKeyMultibase, 'z' + base58btc(0x80 0x26 || seed).
// The verification method is did:key:<pk>#<pk>, its controller did:key:<pk>,
// where <pk> = 'z' + base58btc(0xed 0x01 || public key).
// --proof-only: sign with jsonld-signatures directly (AssertionProofPurpose)
// instead of vc.issue(), for documents that are not VCs.
// Output: the signed document as JSON (2-space indent) on stdout or --out.
// Exit: 0 ok, 1 signing failed, 2 usage, 3 I/O.
import fs from 'node:fs';
import {pathToFileURL} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createSignCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as base58btc from 'base58-universal';
import jsigs from 'jsonld-signatures';
import {documentLoader} from './loader.mjs';

const USAGE = 'usage: node sign.mjs (--seed-multibase z...|--hex-seed HEX) ' +
  '[--created T] [--proof-only] [--out OUT.json] IN.json';

function usage(msg) {
  if(msg) {
    process.stderr.write(`sign.mjs: ${msg}\n`);
  }
  process.stderr.write(USAGE + '\n');
  process.exit(2);
}

export function seedFromMultibase(mb) {
  if(typeof mb !== 'string' || mb[0] !== 'z') {
    throw new Error('secret key must be multibase base58btc (start with z)');
  }
  const bytes = base58btc.decode(mb.slice(1));
  if(bytes.length !== 34 || bytes[0] !== 0x80 || bytes[1] !== 0x26) {
    throw new Error('secret key must be 0x80 0x26 + 32-byte Ed25519 seed');
  }
  return bytes.slice(2);
}

export function seedFromHex(hex) {
  if(!/^[0-9a-fA-F]{64}$/.test(hex || '')) {
    throw new Error('--hex-seed must be 64 hex characters');
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export async function keyPairFromSeed(seed) {
  // derive the public key first to learn the did:key identifier
  const tmp = await Ed25519Multikey.generate({seed});
  const pk = tmp.publicKeyMultibase;
  const controller = `did:key:${pk}`;
  return Ed25519Multikey.generate({seed, controller, id: `${controller}#${pk}`});
}

export async function signCredential(credential, {seed, created, proofOnly}) {
  const keyPair = await keyPairFromSeed(seed);
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(),
    date: created,
    cryptosuite: createSignCryptosuite()
  });
  if(proofOnly) {
    return jsigs.sign(credential, {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader
    });
  }
  return vc.issue({credential, suite, documentLoader});
}

async function main(argv) {
  let seed; let created; let out; let input; let proofOnly = false;
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if(i + 1 >= argv.length) {
        usage(`${a} needs a value`);
      }
      return argv[++i];
    };
    try {
      if(a === '--seed-multibase') {
        seed = seedFromMultibase(val());
      } else if(a === '--hex-seed') {
        seed = seedFromHex(val());
      } else if(a === '--created') {
        created = val();
      } else if(a === '--out' || a === '-o') {
        out = val();
      } else if(a === '--proof-only') {
        proofOnly = true;
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
    } catch(e) {
      usage(e.message);
    }
  }
  if(!seed) {
    usage('a key is required (--seed-multibase or --hex-seed)');
  }
  if(input === undefined) {
    usage('input file required');
  }
  if(created !== undefined &&
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(created)) {
    usage(`--created must be an XML Schema dateTimeStamp: ${created}`);
  }
  let credential;
  try {
    const text = fs.readFileSync(input === '-' ? 0 : input, 'utf8');
    credential = JSON.parse(text);
  } catch(e) {
    process.stderr.write(`sign.mjs: cannot read ${input}: ${e.message}\n`);
    process.exit(3);
  }
  let signed;
  try {
    signed = await signCredential(credential, {seed, created, proofOnly});
    if(created !== undefined) {
      // DataIntegrityProof normalises the date (w3cDate drops fractions);
      // make sure what was signed is what the caller asked for.
      const proofs = [].concat(signed.proof);
      const p = proofs[proofs.length - 1];
      if(p.created !== created) {
        throw new Error(`created was normalised to ${p.created}; ` +
          `pass a whole-second UTC time like 2023-02-24T23:36:38Z`);
      }
    }
  } catch(e) {
    process.stderr.write(`sign.mjs: signing failed: ${e.message}\n`);
    process.exit(1);
  }
  const json = JSON.stringify(signed, null, 2) + '\n';
  try {
    if(out) {
      fs.writeFileSync(out, json);
    } else {
      process.stdout.write(json);
    }
  } catch(e) {
    process.stderr.write(`sign.mjs: cannot write: ${e.message}\n`);
    process.exit(3);
  }
}

if(import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  await main(process.argv.slice(2));
}
