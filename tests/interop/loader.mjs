// Offline JSON-LD document loader for the interop tests.
//
// Every URL is answered from a local file or computed (did:key); nothing is
// ever fetched from the network. An unknown URL throws an error naming it.
//
// Sources, in priority order (first mapping of a URL wins):
//   1. https://w3id.org/mcred/v1 -> <repo>/contexts/mcred-v1.jsonld
//   2. <vectors>/*/contexts/index.json            (URL -> file, relative to the index)
//   3. <vectors>/openbadges-v3/spec/contexts/index.json
//   4. <vectors>/openbadges-v3/validator-contexts/index.json (only URLs not above)
//   5. did:key:z6Mk... (DID document) and did:key:z6Mk...#z6Mk... (verification
//      method), computed with @digitalbazaar/did-method-key.
// <vectors> is $MCRED_VECTORS, default <repo>/../shared/vectors.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const vectorsDir = path.resolve(
  process.env.MCRED_VECTORS || path.resolve(repoRoot, '../shared/vectors'));

export const MCRED_CONTEXT_URL = 'https://w3id.org/mcred/v1';

// URL -> absolute file path
export const contextFiles = new Map();
// URLs answered so far (for reports / debugging)
export const loadedUrls = new Set();

function addIndex(indexFile, {onlyNew = true} = {}) {
  if(!fs.existsSync(indexFile)) {
    return false;
  }
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
  const base = path.dirname(indexFile);
  for(const [url, rel] of Object.entries(index)) {
    if(onlyNew && contextFiles.has(url)) {
      continue;
    }
    contextFiles.set(url, path.resolve(base, rel));
  }
  return true;
}

function buildMap() {
  contextFiles.set(MCRED_CONTEXT_URL,
    path.join(repoRoot, 'contexts', 'mcred-v1.jsonld'));
  if(!fs.existsSync(vectorsDir)) {
    throw new Error(`vectors directory not found: ${vectorsDir} ` +
      '(set MCRED_VECTORS)');
  }
  for(const name of fs.readdirSync(vectorsDir).sort()) {
    addIndex(path.join(vectorsDir, name, 'contexts', 'index.json'));
  }
  addIndex(path.join(vectorsDir, 'openbadges-v3', 'spec', 'contexts',
    'index.json'));
  addIndex(path.join(vectorsDir, 'openbadges-v3', 'validator-contexts',
    'index.json'));
}
buildMap();

const didKeyDriver = DidKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from
});

const parsed = new Map();
function readJson(file, url) {
  let doc = parsed.get(file);
  if(doc === undefined) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch(e) {
      throw new Error(`offline loader: file for "${url}" not readable: ` +
        `${file}: ${e.message}`);
    }
    doc = JSON.parse(text);
    parsed.set(file, doc);
  }
  // hand out a copy: callers (jsonld, did drivers) may mutate documents
  return structuredClone(doc);
}

async function resolveDidKey(url) {
  const [did, fragment] = url.split('#');
  const didDocument = await didKeyDriver.get({did});
  if(fragment === undefined) {
    return didDocument;
  }
  // strict lookup: did-method-key's own getKey() returns the key agreement
  // key for any fragment it does not recognise
  const all = [
    ...(didDocument.verificationMethod || []),
    ...(didDocument.keyAgreement || [])
  ];
  const vm = all.find(m => typeof m === 'object' && m.id === url);
  if(!vm) {
    throw new Error(`offline loader: "${url}" names no verification ` +
      'method of its DID document');
  }
  const ctx = vm.type === 'Multikey' ?
    'https://w3id.org/security/multikey/v1' : didDocument['@context'];
  return {'@context': ctx, ...vm};
}

export async function documentLoader(url) {
  if(typeof url !== 'string') {
    throw new TypeError(`offline loader: URL must be a string, got ${url}`);
  }
  let document;
  if(url.startsWith('did:key:')) {
    document = await resolveDidKey(url);
  } else {
    const file = contextFiles.get(url);
    if(!file) {
      throw new Error(`offline loader: no local copy of "${url}" ` +
        '(network access is disabled)');
    }
    document = readJson(file, url);
  }
  loadedUrls.add(url);
  return {contextUrl: null, documentUrl: url, document};
}

export default documentLoader;
