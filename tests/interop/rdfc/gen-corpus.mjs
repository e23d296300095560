#!/usr/bin/env node
// Deterministic corpus of JSON-LD micro-credentials for the RDFC-1.0 interop
// comparison (issue 3 item 5a).
//
//   node gen-corpus.mjs --out DIR [--count 1000] [--hand 300] [--seed 20250630]
//                       [--mcred PATH] [--jobs N]
//
// Writes
//   DIR/in/NNNN/{achievement,issuer,learner}.json   builder inputs (docs/model.md)
//   DIR/docs/b-NNNN.json   `mcred issue --unsigned` of those inputs
//   DIR/docs/h-NNNN.json   hand-varied OB3 / VC 2.0 JSON-LD (not from the builder)
//   DIR/manifest.json      [{file, kind, note}]
// Everything is a function of --seed (mulberry32 PRNG), so a corpus can be
// regenerated exactly; no wall-clock values are used (--id, --valid-from given).
// Exit 0 when every builder input was accepted by mcred, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import {spawn, execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');

// ------------------------------------------------------------------ args
const args = {count: 1000, hand: 300, seed: 20250630,
  mcred: process.env.MCRED || path.join(repoRoot, 'build', 'mcred'),
  jobs: Math.max(2, os.cpus().length * 2)};
{
  const a = process.argv.slice(2);
  for(let i = 0; i < a.length; i++) {
    const k = a[i].replace(/^--/, '');
    if(!(k in args) && k !== 'out') {
      console.error(`gen-corpus: unknown option ${a[i]}`);
      process.exit(2);
    }
    args[k] = a[++i];
  }
  for(const k of ['count', 'hand', 'seed', 'jobs']) {
    args[k] = Number(args[k]);
  }
  if(!args.out) {
    console.error('usage: node gen-corpus.mjs --out DIR [--count N] ' +
      '[--hand N] [--seed S] [--mcred PATH] [--jobs N]');
    process.exit(2);
  }
  if(!path.isAbsolute(args.mcred)) {
    args.mcred = fs.existsSync(path.resolve(args.mcred)) ?
      path.resolve(args.mcred) : path.resolve(repoRoot, args.mcred);
  }
}

// ------------------------------------------------------------------ PRNG
function mulberry32(a) {
  return function() {
    a |= 0; a = a + 0x6D2B79F5 | 0;
    let t = Math.imul(a ^ a >>> 15, 1 | a);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
let rnd = mulberry32(args.seed);
const chance = p => rnd() < p;
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = arr => arr[Math.floor(rnd() * arr.length)];
function sample(arr, n) {
  const c = arr.slice();
  const out = [];
  while(out.length < n && c.length) {
    out.push(c.splice(Math.floor(rnd() * c.length), 1)[0]);
  }
  return out;
}
const hex = n => Array.from({length: n}, () => '0123456789abcdef'[int(0, 15)])
  .join('');
const uuid = () =>
  `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

// ------------------------------------------------------------------ text
// Words per language (ISO 639-1, some with region). RTL scripts, combining
// marks, non-BMP characters and JSON-escaped characters are mixed in below.
const WORDS = {
  en: ['Data', 'Literacy', 'Public', 'Administration', 'Green', 'Skills',
    'Welding', 'Safety', 'Nursing', 'Care', 'Digital', 'Marketing', 'Basics',
    'Advanced', 'Circular', 'Economy', 'Python', 'for', 'and', 'the'],
  de: ['Datenkompetenz', 'Verwaltung', 'Grüne', 'Fähigkeiten', 'Schweißen',
    'Sicherheit', 'Pflege', 'Öffentliche', 'Überblick', 'Straße', 'für', 'und'],
  fr: ['Compétences', 'numériques', 'Économie', 'circulaire', 'Sécurité',
    'soins', 'infirmiers', 'à', 'l’administration', 'publique', 'élève'],
  es: ['Competencias', 'digitales', 'Economía', 'circular', 'Señal', 'niño'],
  it: ['Competenze', 'digitali', 'Economia', 'circolare', 'più', 'città'],
  pt: ['Competências', 'digitais', 'Economia', 'circular', 'ação', 'São'],
  pl: ['Kompetencje', 'cyfrowe', 'Gospodarka', 'obiegu', 'zamkniętym', 'Łódź'],
  cs: ['Digitální', 'dovednosti', 'Oběhové', 'hospodářství', 'Říjen'],
  el: ['Ψηφιακές', 'δεξιότητες', 'Κυκλική', 'οικονομία', 'Ελληνικά'],
  bg: ['Цифрови', 'умения', 'Кръгова', 'икономика'],
  ru: ['Цифровые', 'навыки', 'Русский', 'язык'],
  uk: ['Цифрові', 'навички', 'Українська', 'ґанок', 'їжак'],
  ar: ['المهارات', 'الرقمية', 'الاقتصاد', 'الدائري', 'العربية', 'مُعَلِّم'],
  he: ['כישורים', 'דיגיטליים', 'כלכלה', 'מעגלית', 'עברית', 'שָׁלוֹם'],
  fa: ['مهارت‌های', 'دیجیتال', 'فارسی'],
  ja: ['デジタル', 'スキル', '循環型経済', '日本語', '𠮷野家'],
  zh: ['数字', '技能', '循环经济', '中文', '𠀀𪚥'],
  ko: ['디지털', '역량', '한국어', '한글'],
  hi: ['डिजिटल', 'कौशल', 'हिन्दी', 'क्षत्रिय'],
  th: ['ทักษะ', 'ดิจิทัล', 'ภาษาไทย'],
  fi: ['Digitaaliset', 'taidot', 'Kiertotalous', 'äänestys', 'öljy'],
  hu: ['Digitális', 'készségek', 'Körforgásos', 'gazdaság', 'ő', 'ű'],
  ga: ['Scileanna', 'digiteacha', 'Gaeilge', 'Éire'],
  mt: ['Ħiliet', 'diġitali', 'Malti', 'għal'],
  tr: ['Dijital', 'beceriler', 'Döngüsel', 'ekonomi', 'İstanbul', 'ılık'],
  vi: ['Kỹ', 'năng', 'số', 'Tiếng', 'Việt'],
  'de-AT': ['Jänner', 'Matura', 'Österreich'],
  'en-GB': ['Colour', 'Organisation', 'Centre'],
  'pt-BR': ['Habilidades', 'digitais', 'Brasil'],
  'fr-BE': ['septante', 'nonante', 'Belgique'],
  'zh-TW': ['數位', '技能', '繁體']
};
const LANGS = Object.keys(WORDS);
const BASE_LANGS = LANGS.filter(l => !l.includes('-'));
// Fragments that stress escaping and Unicode handling. U+0000 is left out:
// mcred's strict JSON reader refuses NUL by design (json.h).
const SPECIAL = [
  'quote "inside"', 'back\\slash', 'C:\\path\\to\\file', 'tab\there',
  'line\nbreak', 'carriage\rreturn', 'crlf\r\nend', '\b backspace \f formfeed',
  'ctl \u0001\u0002\u0007\u000b\u000e\u001b\u001f', 'del \u007f', 'nel \u0085',
  'ls \u2028 ps \u2029', 'bom \ufeff inside', 'zwj 👩‍🎓 👨‍👩‍👧', 'emoji 🎓📜✅',
  'math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙', 'cjk-ext-b 𠀀𠁀𪚥', 'plane16 \u{10FFFD}', 'replacement \ufffd',
  'noncharacter \uffff', 'combining e\u0301 a\u0300\u0301\u0302 Z\u0335\u0321a\u0336',
  'precomposed é vs decomposed e\u0301', 'hangul jamo \u1100\u1161\u11a8',
  'rtl mark \u200f abc \u200e', 'bidi \u202eoverride\u202c', 'arabic العربية ١٢٣',
  'hebrew עברית עם ניקוד שָׁלוֹם', 'mixed LTR العربية RTL', 'nbsp\u00a0here',
  'thin\u2009space', 'zero\u200bwidth', '<tag attr="x">&amp;</tag>',
  'apostrophe ’ and \'', 'percent %20 and {braces} |pipe| ^caret` backtick',
  '  leading and trailing spaces  ', 'Ω ohm vs Ω omega', 'ﬁ ligature',
  'ß vs SS', 'İ dotted and ı dotless', 'a\u0000b'.replace('\u0000', '·'),
  '\\u0041 not an escape', '\\"escaped quote in text\\"', '@context', '@id',
  '_:b0 not a blank node', '<http://example.org/iri> text',
  '"^^<http://www.w3.org/2001/XMLSchema#string>', '"@en',
  '1.0E0', 'true', 'null'
];
function sentence(lang) {
  const words = WORDS[lang] || WORDS.en;
  const parts = [];
  const n = int(1, 7);
  for(let i = 0; i < n; i++) {
    parts.push(pick(words));
  }
  if(chance(0.35)) {
    parts.splice(int(0, parts.length), 0, pick(SPECIAL));
  }
  if(chance(0.08)) {
    parts.push(String(int(0, 100000)));
  }
  let s = parts.join(' ');
  if(!s.trim()) {
    s = 'x';
  }
  if(chance(0.03)) {
    s = s.repeat(int(5, 40)); // long texts
  }
  return s;
}
// A multilingual text (docs/model.md "text"): a plain string (default
// language) or a language map.
function text(defLang, {forceMap = false} = {}) {
  if(!forceMap && chance(0.3)) {
    return sentence(defLang);
  }
  const langs = new Set([chance(0.8) ? defLang : pick(LANGS)]);
  const extra = chance(0.5) ? int(0, 4) : int(0, 1);
  for(const l of sample(LANGS, extra)) {
    // a base language and its regional variant may coexist ("de", "de-AT")
    langs.add(l);
  }
  const m = {};
  for(const l of langs) {
    m[l] = sentence(l);
  }
  return m;
}

// ------------------------------------------------------------------ values
const ESCO = () => `http://data.europa.eu/esco/skill/${uuid()}`;
const OTHER_SKILL = () => pick([
  `https://skills.example.org/s/${int(1, 99999)}`,
  `urn:uuid:${uuid()}`,
  `https://www.onetonline.org/link/summary/15-${int(1000, 9999)}.00`,
  `http://data.europa.eu/esco/occupation/${uuid()}`,
  `https://example.org/skills/caf%C3%A9-${int(1, 9)}`,
  `https://example.org/s?q=${int(1, 9)}&lang=de#frag`
]);
const ECTS = [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 10, 12, 12.5, 15, 20, 30,
  45, 60, 90, 120, 180, 0.25, 0.1, 0.01, 0.001, 0.3, 1.75, 3.3333333333333335,
  0.30000000000000004, 179.99, 100.5, 1e-5, 2.2250738585072014e-308, 5e-324,
  33.3, 0.2, 7.25, 179.999999, 1.1, 123.456];
const ASSESS = ['written-exam', 'oral-exam', 'online-test', 'practical',
  'project', 'portfolio', 'presentation', 'assignment', 'other'];
const PARTICIPATION = ['online', 'onsite', 'blended', 'volunteering',
  'work-experience'];
const QA = ['internal', 'external-programme', 'external-institutional',
  'iso-17024', 'iso-9001', 'other'];
const SUPERVISION = ['supervised-onsite', 'supervised-online', 'unsupervised'];
const IDV = ['onsite', 'online', 'none'];
const CYCLES = ['short', 'first', 'second', 'third'];
const BROAD = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09',
  '10', '99'];
const COUNTRIES = ['AT', 'DE', 'FR', 'IT', 'ES', 'PT', 'NL', 'BE', 'LU', 'IE',
  'PL', 'CZ', 'SK', 'SI', 'HR', 'HU', 'RO', 'BG', 'GR', 'CY', 'MT', 'FI',
  'SE', 'DK', 'EE', 'LV', 'LT', 'NO', 'IS', 'CH', 'UA', 'TR', 'IL', 'JP'];
const DOMAINS = ['uni-graz.example', 'tu-wien.example', 'univ-lyon.example',
  'uniwersytet.example', 'xn--mnchen-3ya.example', 'academy.example.org',
  'hochschule-für-technik.example', 'πανεπιστήμιο.example'];
const ISSUER_IDS = d => [
  `did:web:${d}`, `did:web:${d}:issuers:${int(1, 99)}`, `https://${d}/issuer`,
  `did:key:z6Mk${'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789'
    .split('').sort(() => rnd() - 0.5).join('').slice(0, 44)}`,
  `urn:uuid:${uuid()}`
];
function date({allowTime = true} = {}) {
  const y = int(2015, 2035);
  const m = String(int(1, 12)).padStart(2, '0');
  const d = String(int(1, 28)).padStart(2, '0');
  const day = `${y}-${m}-${d}`;
  if(!allowTime || chance(0.4)) {
    return day;
  }
  const hh = String(int(0, 23)).padStart(2, '0');
  const mm = String(int(0, 59)).padStart(2, '0');
  const ss = String(int(0, 59)).padStart(2, '0');
  const zone = pick(['Z', 'Z', '+00:00', '+02:00', '-05:00', '+05:30',
    '-09:30', '+14:00', '-12:00', '+01:00']);
  return `${day}T${hh}:${mm}:${ss}${zone}`;
}
const asTime = s => Date.parse(s.length === 10 ? s + 'T00:00:00Z' : s);

// ------------------------------------------------------------------ inputs
function achievementInput(i) {
  const defLang = chance(0.5) ? 'en' : pick(BASE_LANGS);
  const a = {};
  const order = [];
  if(chance(0.8)) {
    const d = pick(DOMAINS);
    a.id = pick([`https://www.${d}/microcredentials/mc-${i}`,
      `urn:uuid:${uuid()}`, `https://${d}/a/${i}#achievement`,
      `https://${d}/courses/${i}?v=${int(1, 9)}`]);
  }
  if(defLang !== 'en' || chance(0.3)) {
    a.defaultLanguage = defLang;
  }
  a.title = text(defLang);
  a.description = text(defLang);
  const nlo = chance(0.1) ? int(6, 15) : int(1, 5);
  a.learningOutcomes = [];
  for(let k = 0; k < nlo; k++) {
    if(chance(0.25)) {
      a.learningOutcomes.push(text(defLang));
    } else {
      const lo = {text: text(defLang)};
      if(chance(0.85)) {
        const skills = [];
        for(let s = int(chance(0.3) ? 0 : 1, 4); s > 0; s--) {
          skills.push(chance(0.7) ? ESCO() : OTHER_SKILL());
        }
        lo.skills = skills;
      }
      a.learningOutcomes.push(lo);
    }
  }
  a.ects = pick(ECTS);
  if(chance(0.6)) {
    a.workloadHours = pick([1, 2, 12, 25, 30, 50, 125, 150, 250, 750,
      int(1, 10000), 10000]);
  }
  // at least one of eqfLevel / qfEheaCycle / nqf
  const lv = int(1, 7);
  if(lv & 1) {
    a.eqfLevel = int(1, 8);
  }
  if(lv & 2) {
    a.qfEheaCycle = pick(CYCLES);
  }
  if(lv & 4) {
    a.nqf = {framework: pick(['NQR Österreich', 'DQR', 'RNCP niveau',
      'QQI NFQ', 'Polska Rama Kwalifikacji', 'ΕΠΠ Ελλάδα', sentence(defLang)]),
    level: pick(['1', '2', '5', '6', '7', '8', '6+', 'Level 6 "Bachelor"',
      'niveau 6/8'])};
  }
  a.assessment = {type: pick(ASSESS)};
  if(chance(0.6)) {
    a.assessment.description = text(defLang);
  }
  a.participation = pick(PARTICIPATION);
  a.qualityAssurance = {type: pick(QA)};
  if(chance(0.6)) {
    a.qualityAssurance.description = text(defLang);
  }
  if(chance(0.5)) {
    a.qualityAssurance.agency = pick(['AQ Austria', 'HCERES', 'ANECA',
      'NVAO', 'Akkreditierungsrat', 'ΕΘΑΑΕ', sentence(defLang)]);
  }
  if(chance(0.5)) {
    a.qualityAssurance.url = pick(['https://www.aq.ac.at/',
      'https://www.eqar.eu/register/agencies/', 'https://example.org/qa?x=1&y=2',
      'http://www.hceres.fr/']);
  }
  if(chance(0.5)) {
    a.prerequisites = text(defLang);
  }
  if(chance(0.5)) {
    a.supervision = pick(SUPERVISION);
  }
  if(chance(0.5)) {
    a.identityVerification = pick(IDV);
  }
  if(chance(0.5)) {
    a.stackability = {standalone: chance(0.5)};
    if(chance(0.7)) {
      a.stackability.stackableInto = [];
      for(let k = int(1, 3); k > 0; k--) {
        const s = {title: text(defLang)};
        if(chance(0.7)) {
          s.id = `https://${pick(DOMAINS)}/programmes/p${int(1, 999)}`;
        }
        a.stackability.stackableInto.push(s);
      }
    }
  }
  if(chance(0.5)) {
    a.furtherInformation = text(defLang);
  }
  if(chance(0.6)) {
    a.iscedF = pick(BROAD) + String(int(0, 99)).padStart(2, '0');
  }
  if(chance(0.6)) {
    a.languages = sample(BASE_LANGS, int(1, 4));
  }
  if(chance(0.3)) {
    a.awardingBody = {name: text(defLang)};
    if(chance(0.6)) {
      a.awardingBody.id = pick([`did:web:${pick(DOMAINS)}:faculty`,
        `https://${pick(DOMAINS)}/faculty/${int(1, 20)}`]);
    }
    if(chance(0.5)) {
      a.awardingBody.url = `https://${pick(DOMAINS)}/`;
    }
  }
  if(chance(0.5)) {
    a.gradingScheme = text(defLang);
  }
  void order;
  return a;
}
function issuerInput(opts) {
  const d = pick(DOMAINS);
  const defLang = opts.defLang;
  const country = pick(COUNTRIES);
  const s = {};
  if(!opts.noId) {
    s.id = pick(ISSUER_IDS(d));
  }
  s.name = text(defLang);
  s.country = country;
  if(chance(0.5)) {
    s.region = `${country}-${pick(['1', '6', '9', 'BY', 'IDF', 'M', '13',
      'ZH', 'A1B'])}`;
  }
  if(chance(0.6)) {
    s.url = pick([`https://www.${d}/`, `https://${d}/en/`, `https://${d}`]);
  }
  if(chance(0.6)) {
    s.email = pick(['info@uni.example', 'micro-credentials@tu.example',
      'a.b+tag@sub.example.org', 'o\'brien@example.ie']);
  }
  if(chance(0.5)) {
    s.identifiers = [];
    for(let k = int(1, 4); k > 0; k--) {
      s.identifiers.push({scheme: pick(['erasmus', 'national', 'vat', 'schac',
        'other']), value: pick(['A GRAZ01', 'F LYON01', 'ATU12345678',
        'uni-graz.at', '12345', 'ÖNR-2024/17', sentence('en')])});
    }
  }
  return s;
}
function learnerInput(achievement) {
  const l = {};
  const which = int(1, 15);
  if(which & 1) {
    l.id = pick([
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      `did:example:learner-${int(1, 99999)}`,
      `mailto:student${int(1, 9999)}@example.org`,
      `https://learners.example/p/${uuid()}`,
      `urn:uuid:${uuid()}`]);
  }
  if(which & 2) {
    l.email = pick([`s${int(1, 9999)}@students.example.eu`,
      'maria.gruber@example.org', 'ñandú@example.es', 'Δ@example.gr'].slice(0,
      2));
  }
  if(which & 4) {
    l.studentId = pick([String(int(1000000, 99999999)), '01234567',
      `S-${int(1, 999)}/2025`, 'ID "quoted"', '0']);
  }
  if(which & 8) {
    l.externalId = pick([`ext-${uuid()}`, 'EMREX:123', 'ORCID 0000-0002-1825-0097']);
  }
  if(chance(0.5)) {
    l.givenName = pick(['Maria', 'José', 'Zoë', 'Łukasz', 'Ἀλέξανδρος', 'Юлия',
      'محمد', 'דוד', '太郎', 'Nguyễn', 'Siobhán', 'Ǆemal', 'Ali "Al"']);
  }
  if(chance(0.5)) {
    l.familyName = pick(['Gruber', 'Müller', 'O\'Brien', 'García Márquez',
      'Kowalczyk', 'Παπαδόπουλος', 'Иванова', 'العلي', 'כהן', '山田', 'Trần',
      'van der Berg', 'Ðorđević']);
  }
  if(chance(0.3)) {
    l.name = [l.givenName, l.familyName].filter(Boolean).join(' ') ||
      'Anonymous Learner';
  }
  if(chance(0.6)) {
    l.grade = pick(['1', '2', '5', 'A', 'B+', 'pass', 'Sehr gut', '18/20',
      '110 e lode', '9,5', 'excellent — 95 %', '合格', 'ناجح']);
  }
  if(chance(0.8)) {
    l.issued = date();
    if(chance(0.4)) {
      let u;
      do {
        u = date();
      } while(!(asTime(u) > asTime(l.issued)));
      l.validUntil = u;
    }
  }
  void achievement;
  return l;
}

// ------------------------------------------------------------------ run mcred
function run(cmd, argv, env) {
  return new Promise(resolve => {
    const p = spawn(cmd, argv, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    p.stdout.on('data', d => {
      out += d;
    });
    p.stderr.on('data', d => {
      err += d;
    });
    p.on('error', e => resolve({code: -1, out, err: String(e)}));
    p.on('close', code => resolve({code, out, err}));
  });
}
async function pool(items, jobs, fn) {
  let next = 0;
  const workers = Array.from({length: jobs}, async () => {
    while(next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

// ------------------------------------------------------------------ hand-varied
// JSON-LD corners the builder never writes. Each mutation takes a credential
// (deep copy) and returns a note. Numbers that JSON.stringify cannot spell
// (5.0, 1E2, -0, integers beyond 2^53) are written raw via a placeholder.
const RAW = s => `\u0000RAW:${s}\u0000`;
function stringify(doc) {
  return JSON.stringify(doc, null, chance(0.5) ? 2 : undefined)
    .replace(/"\\u0000RAW:([^"\\]*)\\u0000"/g, '$1') + '\n';
}
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const subj = c => Array.isArray(c.credentialSubject) ?
  c.credentialSubject[0] : c.credentialSubject;
const ach = c => subj(c).achievement;
const iss = c => typeof c.issuer === 'object' ? c.issuer : {};
// Terms the contexts do not define are dropped by JSON-LD (and refused in
// safe mode): most extension mutations therefore add an inline context with
// an @vocab; about 1 in 6 keep none, as safe-mode negative cases.
function vocab(c) {
  if(chance(0.85) && !c['@context'].some(x => x && x['@vocab'])) {
    c['@context'] = [...c['@context'], {'@vocab': 'https://example.org/vocab#'}];
  }
}
const MUTATIONS = [
  ['type as single strings', c => {
    if(chance(0.2)) {
      c.type = 'OpenBadgeCredential'; // without VerifiableCredential
    }
    ach(c).type = 'Achievement';
    iss(c).type = 'Profile';
    subj(c).type = 'AchievementSubject';
  }],
  ['type arrays with duplicates and extra types', c => {
    c.type = ['VerifiableCredential', 'OpenBadgeCredential',
      'AchievementCredential', 'VerifiableCredential'];
    ach(c).type = ['Achievement', 'Achievement'];
  }],
  ['creditsAvailable raw number spellings', c => {
    ach(c).creditsAvailable = RAW(pick(['5.0', '1E2', '1e2', '2.50', '0.5e1',
      '-0', '0.0', '1.5E-3', '12.500', '180.0', '7.5e0', '100e-2', '3e+1']));
  }],
  ['creditsAvailable as value object xsd:float/xsd:double/string', c => {
    ach(c).creditsAvailable = pick([
      {'@value': 2.5}, {'@value': 5}, {'@value': '2.5', '@type': XSD + 'float'},
      {'@value': 2.5, '@type': XSD + 'double'},
      {'@value': 5, '@type': XSD + 'double'},
      {'@value': 5, '@type': XSD + 'decimal'},
      {'@value': 2.5, '@type': XSD + 'decimal'},
      {'@value': 0.1, '@type': XSD + 'integer'}]);
  }],
  ['extension numbers under @vocab (integer/double corners)', c => {
    vocab(c);
    subj(c).extraNumbers = {
      int: int(-1000, 1000), half: 0.5, tiny: 1e-7, huge: 1e21, big: 1e20,
      max: 1.7976931348623157e308, min: 5e-324, neg: -2.5, third: 1 / 3,
      sci: RAW('6.02214076e23'), exact: RAW('9007199254740993'),
      negzero: RAW('-0.0'), one: RAW('1.0'), ten: RAW('10E0')
    };
  }],
  ['extension booleans and nulls', c => {
    vocab(c);
    subj(c).flags = {yes: true, no: false, nothing: null,
      list: [true, false, null, 1, 'one']};
  }],
  ['explicit @language value objects and @none', c => {
    ach(c).name = {'@value': sentence('fr'), '@language': pick(['fr', 'FR',
      'fr-CA', 'de-AT', 'zh-Hant-TW', 'en-GB'])};
    ach(c).nameLang = {...(ach(c).nameLang || {}), '@none': sentence('en')};
  }],
  ['language map with arrays, nulls and region/case variants', c => {
    ach(c).descriptionLang = {en: [sentence('en'), sentence('en')],
      'de-AT': sentence('de-AT'), 'pt-BR': sentence('pt-BR'), xx: null,
      'zh-Hant': sentence('zh-TW')};
  }],
  ['language-map case variants (EN, De-at)', c => {
    ach(c).nameLang = {EN: sentence('en'), 'De-at': sentence('de')};
  }],
  ['title map on learning outcomes with many languages', c => {
    const lo = [].concat(ach(c).learningOutcome || []);
    for(const o of lo) {
      o.title = {};
      for(const l of sample(LANGS, int(3, 10))) {
        o.title[l] = sentence(l);
      }
    }
  }],
  ['learningOutcome as a single object, relatedESCOSkill as a string', c => {
    const lo = ach(c).learningOutcome;
    if(Array.isArray(lo) && lo.length) {
      const o = lo[0];
      if(Array.isArray(o.relatedESCOSkill) && o.relatedESCOSkill.length) {
        o.relatedESCOSkill = o.relatedESCOSkill[0];
      } else {
        o.relatedESCOSkill = ESCO();
      }
      ach(c).learningOutcome = o;
    }
  }],
  ['identical blank nodes (duplicate identifiers and alignments)', c => {
    const idObj = {type: 'IdentityObject', hashed: false,
      identityHash: 'same@example.org', identityType: 'emailAddress'};
    subj(c).identifier = [idObj, {...idObj}, {...idObj,
      identityType: 'sisSourcedId'}, {...idObj}];
    const al = {type: ['Alignment'], targetName: 'Same', targetUrl:
      'https://example.org/same', targetType: 'ceasn:Competency'};
    ach(c).alignment = [al, {...al}, {...al}, {...al, targetName: 'Other'}];
  }],
  ['blank-node cycle with explicit _: ids', c => {
    vocab(c);
    subj(c).related = [
      {id: '_:a', knows: {id: '_:b'}, name: 'A'},
      {id: '_:b', knows: {id: '_:c'}, name: 'B'},
      {id: '_:c', knows: {id: '_:a'}, name: 'C'}];
  }],
  ['symmetric blank-node graph (automorphism)', c => {
    vocab(c);
    const n = int(3, 6);
    subj(c).ring = Array.from({length: n}, (_, k) => ({
      id: `_:r${k}`, next: {id: `_:r${(k + 1) % n}`},
      prev: {id: `_:r${(k + n - 1) % n}`}}));
  }],
  ['deeply nested results and evidence', c => {
    vocab(c);
    const nest = (d) => d === 0 ? {type: ['Result'], value: String(int(1, 5))} :
      {type: ['Result'], value: sentence('en'), status: pick(['Completed',
        'Enrolled', 'Failed', 'InProgress', 'OnHold', 'Provisional', 'Withdrew']),
      achievedLevel: `https://example.org/levels/${d}`,
      alignment: [{type: ['Alignment'], targetName: sentence('de'),
        targetUrl: `https://example.org/t/${d}`}], nested: nest(d - 1)};
    subj(c).result = [nest(int(1, 4)), nest(0)];
    c.evidence = [{id: `https://example.org/evidence/${int(1, 99)}`,
      type: ['Evidence'], name: sentence('en'), narrative: sentence('fr'),
      genre: 'Project', audience: 'public'}];
  }],
  ['issuer as a bare IRI', c => {
    c.issuer = iss(c).id || 'did:web:issuer.example';
  }],
  ['credentialSubject as an array of subjects', c => {
    const s = subj(c);
    c.credentialSubject = [s, {id: `did:example:${int(1, 99)}`,
      type: ['AchievementSubject'], achievement: {id: ach({credentialSubject: s})
        .id || 'urn:uuid:' + uuid(), type: ['Achievement'], name: 'Second',
      criteria: {narrative: 'n'}, description: 'd'}}];
  }],
  ['dates with fractional seconds and offsets', c => {
    c.validFrom = pick(['2025-06-30T12:00:00.123Z', '2025-06-30T12:00:00+02:00',
      '2025-06-30T12:00:00.5-05:00', '2025-06-30T23:59:60Z',
      '2025-06-30T12:00:00.000000001Z', '2025-06-30T12:00:00']);
    c.awardedDate = pick(['2025-06-30', '2025-06-30T12:00:00-00:00',
      '2025-06-30T12:00:00.1+14:00']);
    c.validUntil = '2099-12-31T23:59:59.999Z';
  }],
  ['credentialSchema, credentialStatus, termsOfUse, refreshService', c => {
    vocab(c);
    c.credentialSchema = [{id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
      type: '1EdTechJsonSchemaValidator2019'}];
    c.credentialStatus = {id: `https://status.example/list/1#${int(0, 99999)}`,
      type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
      statusListIndex: String(int(0, 99999)),
      statusListCredential: 'https://status.example/list/1'};
    c.termsOfUse = {type: 'TrustFrameworkPolicy', id: 'https://example.org/tou'};
  }],
  ['@json literal extension (JCS canonical form)', c => {
    c['@context'] = [...c['@context'], {payload: {
      '@id': 'https://example.org/ns#payload', '@type': '@json'}}];
    subj(c).payload = {z: [3, 1.5, 'ü', null, true],
      a: {b: 1e21, c: 'x"y\\z', d: '\u0001'}, m: -0.0, e: 1e-7,
      '€': 'non-ASCII key', '\u0080': 'c1', '': 'empty key'};
  }],
  ['inline context with @list and @set containers', c => {
    c['@context'] = [...c['@context'], {
      ordered: {'@id': 'https://example.org/ns#ordered', '@container': '@list'},
      tags: {'@id': 'https://example.org/ns#tags', '@container': '@set'}}];
    subj(c).ordered = [3, 'two', 1.5, {'@value': 'x',
      '@language': 'de'}, ['nested', 'list'], []];
    subj(c).tags = ['b', 'a', 'a', 'c'];
  }],
  ['inline context with typed literals (xsd:date, xsd:integer, custom)', c => {
    c['@context'] = [...c['@context'], {
      ex: 'https://example.org/ns#',
      startDate: {'@id': 'ex:startDate', '@type': XSD + 'date'},
      hours: {'@id': 'ex:hours', '@type': XSD + 'integer'},
      score: {'@id': 'ex:score', '@type': XSD + 'decimal'},
      custom: {'@id': 'ex:custom', '@type': 'ex:MyType'},
      homepage: {'@id': 'ex:homepage', '@type': '@id'},
      kind: {'@id': 'ex:kind', '@type': '@vocab'}}];
    Object.assign(subj(c), {startDate: '2025-01-15',
      hours: pick([25, '25', 25.0, 2.5]), score: pick([97.5, '97.50', 100]),
      custom: 'opaque value', homepage: 'https://example.org/~user',
      kind: pick(['Profile', 'ex:Thing', 'https://example.org/Kind'])});
  }],
  ['@type on values with compact IRIs and @id values', c => {
    vocab(c);
    subj(c).seeAlso = [{'@id': 'https://example.org/a'},
      {'@value': 'literal', '@type': XSD + 'token'},
      {'@value': 'https://example.org/x', '@type': XSD + 'anyURI'}];
  }],
  ['image, endorsement and creator profiles', c => {
    ach(c).image = {id: 'https://example.org/img.png', type: 'Image',
      caption: sentence('de')};
    ach(c).creator = {id: 'https://example.org/creator', type: ['Profile'],
      name: sentence('el'), address: {type: ['Address'],
        addressCountry: 'Ελλάδα', postalCode: '10431', geo: {type: 'GeoCoordinates',
          latitude: 37.98, longitude: 23.72}}};
    ach(c).tag = ['micro-credential', 'EU', 'ESCO', 'ünïcödé'];
    ach(c).version = '1.0.0';
  }],
  ['strings with every escape class in many properties', c => {
    c.name = SPECIAL.slice(0, 12).join(' | ');
    c.description = SPECIAL.slice(12, 30).join(' | ');
    ach(c).criteria = {narrative: SPECIAL.join('\n')};
  }],
  ['@id on nested objects (named nodes instead of blank nodes)', c => {
    if(iss(c).address) {
      iss(c).address.id = `https://example.org/addr/${int(1, 99)}`;
    }
    for(const [k, o] of [].concat(ach(c).learningOutcome || []).entries()) {
      o.id = `${ach(c).id || 'urn:x:a'}#lo-${k}`;
    }
  }],
  ['keys in reverse order', c => {
    const rev = o => Array.isArray(o) ? o.map(rev) : o && typeof o ===
      'object' ? Object.fromEntries(Object.entries(o).reverse()
        .map(([k, v]) => [k, k === '@context' ? v : rev(v)])) : o;
    return rev(c);
  }],
  ['@context with the OB 3.0.3 context only (no mcred terms -> @vocab)', c => {
    vocab(c);
    c['@context'] = c['@context'].filter(x =>
      x !== 'https://w3id.org/mcred/v1');
  }],
  ['an @graph-free @included node', c => {
    vocab(c);
    subj(c)['@included'] = [{id: 'https://example.org/inc/1',
      type: 'Profile', name: 'Included'}];
  }]
];

// ------------------------------------------------------------------ main
async function main() {
  const out = path.resolve(args.out);
  fs.rmSync(out, {recursive: true, force: true});
  fs.mkdirSync(path.join(out, 'docs'), {recursive: true});
  fs.mkdirSync(path.join(out, 'in'), {recursive: true});
  const env = {...process.env,
    MCRED_PASSPHRASE: process.env.MCRED_PASSPHRASE || 'rdfc-corpus'};
  const key = path.join(out, 'key.json');
  execFileSync(args.mcred, ['key', 'import', '--seed-hex',
    '9b937b81322d816cfab9d5a3baacc9b2a5febe4b149f126b3630f93a29527017',
    '--fast-kdf', '--out', key, '--force'], {env, stdio: 'pipe'});

  const manifest = [];
  const jobs = [];
  for(let i = 0; i < args.count; i++) {
    const n = String(i).padStart(4, '0');
    const a = achievementInput(i);
    const s = issuerInput({defLang: a.defaultLanguage || 'en',
      noId: chance(0.15)});
    const l = learnerInput(a);
    const dir = path.join(out, 'in', n);
    fs.mkdirSync(dir);
    for(const [f, o] of [['achievement', a], ['issuer', s], ['learner', l]]) {
      fs.writeFileSync(path.join(dir, f + '.json'),
        JSON.stringify(o, null, 2) + '\n');
    }
    const argv = ['issue', '--achievement', path.join(dir, 'achievement.json'),
      '--issuer', path.join(dir, 'issuer.json'), '--learner',
      path.join(dir, 'learner.json'), '--key', key, '--unsigned',
      '--id', `urn:uuid:${uuid()}`];
    if(!l.issued) {
      argv.push('--valid-from', date());
    }
    const file = `b-${n}.json`;
    argv.push('--out', path.join(out, 'docs', file));
    jobs.push({argv, file, n});
  }
  const t0 = Date.now();
  const failed = [];
  await pool(jobs, args.jobs, async job => {
    const r = await run(args.mcred, job.argv, env);
    if(r.code !== 0) {
      failed.push({...job, err: r.err.trim()});
    }
  });
  const tIssue = (Date.now() - t0) / 1000;
  for(const j of jobs) {
    if(!failed.includes(j) && fs.existsSync(path.join(out, 'docs', j.file))) {
      manifest.push({file: j.file, kind: 'builder', note: `in/${j.n}`});
    }
  }
  failed.sort((x, y) => x.n.localeCompare(y.n));
  for(const f of failed.slice(0, 10)) {
    console.error(`gen-corpus: mcred issue refused in/${f.n}: ${f.err}`);
  }

  // hand-varied documents, from builder outputs
  rnd = mulberry32(args.seed ^ 0x5eed);
  const bases = manifest.map(m => m.file);
  for(let i = 0; i < args.hand && bases.length; i++) {
    const base = JSON.parse(fs.readFileSync(path.join(out, 'docs',
      bases[int(0, bases.length - 1)]), 'utf8'));
    let doc = structuredClone(base);
    const notes = [];
    // every mutation at least once, then random combinations of 1-3
    const ms = i < MUTATIONS.length ? [MUTATIONS[i]] :
      sample(MUTATIONS, int(1, 3));
    for(const [note, fn] of ms) {
      const r = fn(doc);
      if(r !== undefined) {
        doc = r;
      }
      notes.push(note);
    }
    const file = `h-${String(i).padStart(4, '0')}.json`;
    fs.writeFileSync(path.join(out, 'docs', file), stringify(doc));
    manifest.push({file, kind: 'hand', note: notes.join('; ')});
  }
  fs.writeFileSync(path.join(out, 'manifest.json'),
    JSON.stringify(manifest, null, 1) + '\n');
  const nb = manifest.filter(m => m.kind === 'builder').length;
  console.log(`# corpus: ${manifest.length} documents in ${out} ` +
    `(${nb} from mcred issue --unsigned in ${tIssue.toFixed(1)} s, ` +
    `${manifest.length - nb} hand-varied; ${failed.length} builder inputs ` +
    'refused)');
  process.exit(failed.length ? 1 : 0);
}
await main();
