#!/usr/bin/env node
// Small JSON helpers for run.sh (no network, no JSON-LD).
//
//   node tool.mjs jcs FILE                 print the RFC 8785 (JCS) form
//   node tool.mjs get FILE a.b.c           print a value (strings raw, else JSON)
//   node tool.mjs strip-proof IN OUT       write IN without "proof"
//   node tool.mjs tamper IN OUT            change one string under credentialSubject
//                                          (else "name"/"description"); prints its path
//   node tool.mjs tamper-at IN OUT a.b.c [JSON]  change (or set) the value at a path
//   node tool.mjs same-proof A B           exit 0 iff proofValue and JCS of A and B equal;
//                                          prints what differs
//   node tool.mjs check-di FILE            exit 0 iff the proof is an eddsa-jcs-2022
//                                          DataIntegrityProof with the expected fields
import fs from 'node:fs';
import canonicalize from 'canonicalize';

const [cmd, ...args] = process.argv.slice(2);

function read(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
function write(file, obj) {
  fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n');
}
function getPath(obj, p) {
  let cur = obj;
  for(const k of p.split('.').filter(Boolean)) {
    if(cur === null || typeof cur !== 'object') {
      return undefined;
    }
    cur = cur[/^\d+$/.test(k) && Array.isArray(cur) ? Number(k) : k];
  }
  return cur;
}
function setPath(obj, p, v) {
  const keys = p.split('.');
  let cur = obj;
  for(const k of keys.slice(0, -1)) {
    cur = cur[/^\d+$/.test(k) && Array.isArray(cur) ? Number(k) : k];
  }
  cur[keys[keys.length - 1]] = v;
}
function lastProof(doc) {
  const p = doc.proof;
  return Array.isArray(p) ? p[p.length - 1] : p;
}
function tweak(v) {
  if(typeof v === 'string') {
    return v + ' (tampered)';
  }
  if(typeof v === 'number') {
    return v + 1;
  }
  if(typeof v === 'boolean') {
    return !v;
  }
  return 'tampered';
}
const SKIP = new Set(['@context', 'type', 'id', 'proof']);
function firstStringLeaf(node, path) {
  if(typeof node === 'string') {
    return path;
  }
  if(Array.isArray(node)) {
    for(let i = 0; i < node.length; i++) {
      const r = firstStringLeaf(node[i], `${path}.${i}`);
      if(r) {
        return r;
      }
    }
    return null;
  }
  if(node && typeof node === 'object') {
    for(const k of Object.keys(node)) {
      if(SKIP.has(k)) {
        continue;
      }
      const r = firstStringLeaf(node[k], `${path}.${k}`);
      if(r) {
        return r;
      }
    }
  }
  return null;
}

switch(cmd) {
case 'jcs':
  process.stdout.write(canonicalize(read(args[0])));
  break;
case 'get': {
  const v = getPath(read(args[0]), args[1]);
  if(v === undefined) {
    process.exit(1);
  }
  process.stdout.write((typeof v === 'string' ? v : JSON.stringify(v)) + '\n');
  break;
}
case 'strip-proof': {
  const d = read(args[0]);
  delete d.proof;
  write(args[1], d);
  break;
}
case 'tamper': {
  const d = read(args[0]);
  let p = firstStringLeaf(d.credentialSubject, 'credentialSubject');
  if(!p) {
    p = ['name', 'description', 'validFrom'].find(k => k in d);
  }
  if(!p) {
    process.stderr.write('tamper: nothing to tamper with\n');
    process.exit(1);
  }
  setPath(d, p, tweak(getPath(d, p)));
  write(args[1], d);
  process.stdout.write(p + '\n');
  break;
}
case 'tamper-at': {
  const d = read(args[0]);
  setPath(d, args[2],
    args[3] !== undefined ? JSON.parse(args[3]) : tweak(getPath(d, args[2])));
  write(args[1], d);
  break;
}
case 'same-proof': {
  const a = read(args[0]);
  const b = read(args[1]);
  const pa = lastProof(a) || {};
  const pb = lastProof(b) || {};
  const problems = [];
  if(pa.proofValue !== pb.proofValue) {
    problems.push(`proofValue differs: ${pa.proofValue} vs ${pb.proofValue}`);
  }
  if(canonicalize(a) !== canonicalize(b)) {
    const keys = new Set([...Object.keys(pa), ...Object.keys(pb)]);
    for(const k of keys) {
      if(k !== 'proofValue' && canonicalize(pa[k]) !== canonicalize(pb[k])) {
        problems.push(`proof.${k}: ${JSON.stringify(pa[k])} vs ` +
          `${JSON.stringify(pb[k])}`);
      }
    }
    const da = {...a}; delete da.proof;
    const db = {...b}; delete db.proof;
    if(canonicalize(da) !== canonicalize(db)) {
      problems.push('document (without proof) differs in JCS');
    }
    if(problems.length === 0 || problems.every(p => p.startsWith('proofValue'))) {
      problems.push('JCS of the signed documents differs');
    }
  }
  if(problems.length) {
    process.stdout.write(problems.join('\n') + '\n');
    process.exit(1);
  }
  break;
}
case 'check-di': {
  const p = lastProof(read(args[0]));
  const problems = [];
  if(!p || typeof p !== 'object') {
    problems.push('no proof object');
  } else {
    if(p.type !== 'DataIntegrityProof') {
      problems.push(`type ${p.type}`);
    }
    if(p.cryptosuite !== 'eddsa-jcs-2022') {
      problems.push(`cryptosuite ${p.cryptosuite}`);
    }
    if(p.proofPurpose !== 'assertionMethod') {
      problems.push(`proofPurpose ${p.proofPurpose}`);
    }
    if(typeof p.proofValue !== 'string' || !/^z[1-9A-HJ-NP-Za-km-z]+$/.test(p.proofValue)) {
      problems.push('proofValue is not multibase base58btc');
    }
    if(!/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+#z6Mk[1-9A-HJ-NP-Za-km-z]+$/.test(
      p.verificationMethod || '')) {
      problems.push(`verificationMethod ${p.verificationMethod}`);
    }
  }
  if(problems.length) {
    process.stdout.write(problems.join('; ') + '\n');
    process.exit(1);
  }
  break;
}
default:
  process.stderr.write(`tool.mjs: unknown command ${cmd}\n`);
  process.exit(2);
}
