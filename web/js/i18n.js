// i18n.js — current language (vi default, kept in localStorage), t() lookup,
// number and clock formatting. Screens re-render through onLang().
import vi from '../i18n/vi.js';

// English is fetched only for those who choose it (a phone on a weak
// network loads Vietnamese alone); a stored choice is loaded before any
// module that imports this one runs.
const DICTS = { vi }, KEY = 'examd.lang', subs = [], more = [];
let cur = 'vi';
async function load(l) {
  if (!DICTS[l]) DICTS[l] = Object.assign({}, (await import('../i18n/en.js')).default, ...more.map((m) => m[l]));
}
try { if (localStorage.getItem(KEY) === 'en') { await load('en'); cur = 'en'; } } catch (e) { /* default */ }

export const lang = () => cur;
export const onLang = (fn) => subs.push(fn);

export async function setLang(l) {
  if (l !== 'vi') await load(l);
  cur = l;
  try { localStorage.setItem(KEY, l); } catch (e) { /* this page only */ }
  for (const fn of subs) fn(l);
}

export const has = (key) => key in vi;

/* Another app's strings ({vi: {...}, en: {...}}, e.g. the staff console's),
 * merged in at its start, before anything is rendered. */
export function extend(m) {
  more.push(m);
  for (const l of Object.keys(DICTS)) Object.assign(DICTS[l], m[l]);
}

/* t('paper.q', {n: 3, total: 20}) -> "Câu 3/20"; a missing key shows itself. */
export function t(key, vars) {
  const s = DICTS[cur][key] ?? vi[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m) : s;
}

/* Text for an error code: always ours, never the server's message alone. */
export const errText = (code) => t(has('err.' + code) ? 'err.' + code : 'err.unknown');

/* At most two decimals, decimal comma in Vietnamese: 8.5 -> "8,5". */
export function num(n) {
  const s = String(Math.round(n * 100) / 100);
  return cur === 'vi' ? s.replace('.', ',') : s;
}

/* ms -> "mm:ss", rounded up (minutes may exceed 59). */
export function clock(ms) {
  const s = Math.ceil(Math.max(0, ms) / 1000), m = Math.floor(s / 60);
  return String(m).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
}
