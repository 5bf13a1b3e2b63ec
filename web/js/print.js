// print.js — the signed paper roster at /print.html?exam=ID[&class=ID]
// (docs/exports.md): the committee's heading, the roster from the signed
// JSON export, pass/fail counts, signature lines, and in the footer the
// installation's public key and the export's signature, so that the paper
// can be checked later with `examd verify`. The heading fields are edited
// in a form above the sheet (kept in localStorage) and do not print.
// Staff only: it uses the console's session.
import { t, lang, setLang, onLang, extend } from './i18n.js';
import { h, fill } from './ui.js';
import printVi from '../i18n/print-vi.js';
import printEn from '../i18n/print-en.js';

extend({ vi: printVi, en: printEn });

const KEY = 'examd.print';
const FIELDS = ['org1', 'org2', 'nation', 'place', 'heading', 'sub', 'sign1', 'sign2', 'sign3', 'signer3'];
const q = new URLSearchParams(location.search);
const exam = Number(q.get('exam')) || 0, cls = Number(q.get('class')) || 0;

let env = null, rows = null, err = null, loggedOut = false, saved = {};
try { saved = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { saved = {}; }

/* A field's value: what was typed, else the default of this language. */
function field(name) {
  if (saved[lang() + '.' + name] != null) return saved[lang() + '.' + name];
  const d = new Date(), pad = (n) => String(n).padStart(2, '0');
  if (name === 'sub') return env ? env.title : '';
  if (name === 'signer3') return '';
  return t('print.d.' + name, { d: pad(d.getDate()), m: pad(d.getMonth() + 1), y: d.getFullYear(),
    dd: pad(d.getDate()), mm: pad(d.getMonth() + 1) });
}

function setField(name, v) {
  saved[lang() + '.' + name] = v;
  try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* this page only */ }
  renderSheet();
}

function renderTools() {
  const input = (name) => h('label', {}, h('span', {}, t('print.f.' + name)),
    h(name.startsWith('sign') && name !== 'signer3' ? 'textarea' : 'input',
      { value: field(name), rows: 2, testid: 'pf-' + name, oninput: (e) => setField(name, e.target.value) }));
  fill(document.getElementById('tools'),
    h('div', { class: 'bar' }, h('h1', {}, t('print.title')),
      h('button', { type: 'button', testid: 'print-lang', onclick: () => setLang(lang() === 'vi' ? 'en' : 'vi') }, t('print.lang')),
      h('button', { type: 'button', class: 'primary', testid: 'print-go', onclick: () => print(), disabled: !rows }, t('print.print'))),
    h('p', {}, t('print.intro')),
    h('div', { class: 'fields' }, FIELDS.map(input)));
}

const multiline = (s) => String(s).split('\n').flatMap((l, i) => (i ? [h('br'), l] : [l]));
const birth = (d) => (/^\d{4}-\d\d-\d\d$/.test(d || '') ? d.split('-').reverse().join('/') : d || '');
const score = (x) => (x == null ? '' : lang() === 'vi' ? x.toFixed(2).replace('.', ',') : x.toFixed(2));

function rosterTable() {
  const cols = ['order', 'name', 'birth', 'unit', 'score', 'band', 'result', 'signature'];
  return h('table', { class: 'roster', testid: 'print-table' },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { class: 'c-' + c }, t('print.c.' + c))))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', { class: 'c-order' }, String(r.order)),
      h('td', { class: 'c-name' }, r.name),
      h('td', { class: 'c-birth' }, birth(r.birth_date)),
      h('td', { class: 'c-unit' }, r.unit || ''),
      h('td', { class: 'c-score' }, score(r.score)),
      h('td', { class: 'c-band' }, r.classification || ''),
      h('td', { class: 'c-result' }, r.passed == null ? t('print.absent') : t(r.passed ? 'print.passed' : 'print.failed')),
      h('td', { class: 'c-signature' }, '')))));
}

function counts() {
  const sat = rows.filter((r) => r.passed != null).length, passed = rows.filter((r) => r.passed === true).length;
  return h('p', { class: 'counts', testid: 'print-counts' },
    t('print.counts', { n: rows.length, sat, passed, failed: sat - passed, absent: rows.length - sat }));
}

function signatures() {
  return h('div', { class: 'signs' }, ['sign1', 'sign2', 'sign3'].map((k) => h('div', { class: 'sign' },
    h('p', { class: 'role' }, multiline(field(k))),
    h('p', { class: 'hint' }, t('print.sign.hint')),
    h('p', { class: 'signer' }, k === 'sign3' ? field('signer3') : ''))));
}

function verifyFooter() {
  const sig = env.sig.split('\n');
  const line = (name) => sig.find((l) => l.startsWith(name + ':')) || '';
  const fp = (line('fingerprint').split(': ')[1] || '').trim();
  const size = (line('size').split(': ')[1] || '').trim();
  return h('footer', { class: 'verify', testid: 'print-verify' },
    h('p', { class: 'vt' }, t('print.verify.title')),
    h('p', {}, t('print.verify.text', { file: env.name, size, exam, cls: cls ? ' --class ' + cls : '' })),
    h('p', {}, t('print.verify.key', { fp })),
    h('pre', { testid: 'print-sig' }, ['examd-signature/1', line('key'), line('sig')].join('\n')));
}

function renderSheet() {
  const sheet = document.getElementById('sheet');
  if (err || !rows) {
    fill(sheet, h('p', { class: err ? 'err' : 'muted', testid: err ? 'print-error' : null }, err || t('print.loading')),
      loggedOut && h('p', {}, h('a', { href: 'staff.html', testid: 'print-login' }, t('print.login'))));
    return;
  }
  fill(sheet,
    h('header', { class: 'doc-head' },
      h('div', { class: 'left' }, h('p', {}, field('org1')), h('p', { class: 'b' }, field('org2')), h('p', {}, '*')),
      h('div', { class: 'right' }, h('p', { class: 'b u' }, field('nation')), h('p', { class: 'i' }, field('place')))),
    h('h1', { testid: 'print-heading' }, field('heading')),
    field('sub') && h('p', { class: 'sub' }, field('sub')),
    rosterTable(), counts(), signatures(), verifyFooter());
}

function render() {
  document.documentElement.lang = lang();
  document.title = t('print.title');
  renderTools();
  renderSheet();
}

/* The envelope's JSON file, decoded as UTF-8. */
function decode(b64) {
  const bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return JSON.parse(new TextDecoder('utf-8').decode(bytes));
}

async function load() {
  if (!exam) {
    err = t('print.noexam');
    return;
  }
  try {
    const p = new URLSearchParams({ format: 'json', sign: '1' });
    if (cls) p.set('class', String(cls));
    const r = await fetch(`/api/staff/exams/${exam}/export/roster?${p}`, { cache: 'no-store' });
    loggedOut = r.status === 401;
    const body = await r.json();
    if (!r.ok || !body.ok) throw new Error(body[lang()] || body.message || body.code || String(r.status));
    env = body;
    rows = decode(body.data);
  } catch (e) {
    err = e.message;
  }
}

onLang(render);
render();
load().then(render);
