// common.js — pieces the staff screens share: error texts, labelled form
// fields with their error line, question options with the key marked,
// numbers and dates in the current language.
import { t, has, lang, num } from '../i18n.js';
import { h } from '../ui.js';
import { ApiError, get } from './api.js';

export const STAFF_ROLES = ['admin', 'organiser', 'trainer'];
export const DIFFICULTIES = ['easy', 'medium', 'hard'];

/* Codes whose server message says more than ours (which field, which
 * line, which blueprint cell, what already exists): the server's text is
 * shown for them. */
const SPECIFIC = new Set(['bad_request', 'bad_import', 'exists']);

/* The half of a server message "Vietnamese / English" in the current
 * language; the whole message when it cannot be cut in two halves. */
export function serverText(msg) {
  const parts = String(msg || '').split(' / ');
  if (parts.length < 2 || parts.length % 2) return String(msg || '');
  const half = parts.length / 2;
  return (lang() === 'vi' ? parts.slice(0, half) : parts.slice(half)).join(' / ');
}

/* What to tell the user about a failed call (an ApiError or anything). */
export function errorText(e) {
  if (!(e instanceof ApiError)) return t('staff.err.unknown');
  // the staff API sends the two languages apart too (vi, en)
  const server = () => (e.body.vi && e.body.en ? e.body[lang() === 'vi' ? 'vi' : 'en'] : serverText(e.body.message));
  if (SPECIFIC.has(e.code) && e.body.message) return server();
  const own = 'staff.err.' + e.code;
  if (has(own)) return t(own);
  return e.body.message ? server() : t('staff.err.unknown');
}

/* A message box: kind 'err' | 'ok' | 'warn' | 'info'. Errors are alerts. */
export function note(kind, text, testid) {
  return h('div', { class: 'msg ' + kind, role: kind === 'err' ? 'alert' : 'status', testid }, text);
}

/*
 * A labelled form control: {id, label, input (an element whose id is set
 * here), hint, error, wide}. The hint and the error are tied to the input
 * by aria-describedby; the error line has data-testid "<id>-error".
 */
export function field({ id, label, input, hint, error, cls }) {
  input.id = id;
  const hintEl = hint && h('p', { class: 'hint', id: id + '-hint' }, hint);
  const errEl = error && h('p', { class: 'ferr', id: id + '-err', role: 'alert', testid: id + '-error' }, error);
  const desc = [hintEl && hintEl.id, errEl && errEl.id].filter(Boolean).join(' ');
  // The input may be kept across renders (a file input): reset its state.
  if (desc) input.setAttribute('aria-describedby', desc);
  else input.removeAttribute('aria-describedby');
  if (error) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  return h('div', { class: 'field' + (cls ? ' ' + cls : '') + (error ? ' bad' : '') },
    h('label', { for: id }, label), input, hintEl, errEl);
}

/* A checkbox with its label after it. */
export function check({ id, label, checked, testid, onchange, disabled }) {
  return h('label', { class: 'check', for: id },
    h('input', { type: 'checkbox', id, checked: !!checked, testid, onchange, disabled }), ' ', label);
}

/* <select> with [value, text] pairs and the current value selected. */
export function select(props, pairs, value) {
  return h('select', props, pairs.map(([v, text]) =>
    h('option', { value: v, selected: String(v) === String(value) }, text)));
}

export const diffText = (d) => t('staff.diff.' + (d || 'any'));

/* Is option o a correct one of question q? The server says so (`correct`)
 * where it can; else the rule of server/bank.h. */
export const isKey = (q, o) => (typeof o.correct === 'boolean' ? o.correct : q.multi ? o.weight > 0 : o.weight >= 99.99999);

/* 33.33333 -> "33,33 %" (vi) / "33.33 %" (en). */
export const pct = (w) => num(w) + ' %';

/* A question's options, the correct ones marked, weights other than 0 and
 * 100 shown. */
export function optionList(q) {
  return h('ol', { class: 'opts' }, q.options.map((o) => {
    const key = isKey(q, o);
    return h('li', { class: key ? 'key' : '' },
      key && h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '),
      key && h('span', { class: 'sr' }, t('staff.q.correct') + ': '),
      o.text,
      o.weight !== 0 && o.weight !== 100 && h('span', { class: 'weight' }, ' (' + pct(o.weight) + ')'));
  }));
}

/* A question as a table cell: its text, options and what is unusual about
 * it (several answers, points other than 1, options kept in order). */
export function questionCell(q) {
  return h('td', { class: 'qcell' },
    h('div', { class: 'qtext', testid: 'q-text' }, q.text),
    optionList(q),
    h('div', { class: 'badges' },
      q.multi && badge(t('staff.q.multi'), 'info'),
      q.points != null && q.points !== 1 && badge(t('staff.q.pointsN', { n: q.points }), 'info'),
      q.shuffle === false && badge(t('staff.q.noShuffle'), 'info')));
}

export function badge(text, cls, testid) {
  return h('span', { class: 'badge ' + (cls || ''), testid }, text);
}

/* epoch ms -> local date and time, "21/11/2026 21:30". */
export function dateTime(ms) {
  return new Date(ms).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB',
    { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/* A table: heads (texts) and rows (arrays of cells, or a prepared <tr>). */
export function table(heads, rows, props) {
  return h('table', Object.assign({ class: 'grid' }, props),
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => (Array.isArray(r) ? h('tr', {}, r.map((c) => h('td', {}, c))) : r))));
}

/* Previous / next buttons for a list shown size rows at a time from
 * offset of total; go(delta) moves. */
export function pager(offset, size, total, go) {
  return h('span', { class: 'pbtns' },
    h('button', { class: 'btn small', type: 'button', disabled: offset === 0, onclick: () => go(-size) }, t('staff.prev')),
    h('button', { class: 'btn small', type: 'button', disabled: offset + size >= total, onclick: () => go(size) }, t('staff.next')));
}

/* A short start of a long text, cut on a word when it can be. */
export function short(s, n = 90) {
  s = String(s || '');
  if (s.length <= n) return s;
  const cut = s.lastIndexOf(' ', n);
  return s.slice(0, cut > n / 2 ? cut : n) + '…';
}

/*
 * Save a form: validate() gives the request body (or null, having filled
 * f.errs), send(body) posts it. On failure the server's error goes next
 * to the field it names (fields: the server's field -> the form's key) or
 * above the form (f.formErr); nothing typed is lost. f is the form's
 * state {errs, formErr, busy}; render() is called as it changes, ok(reply,
 * body) on success, failed(e, key) and then focusBad() on a failure;
 * text(e) words the error (default errorText).
 */
export async function submitForm(f, { validate, send, fields, ok, failed, render, focusBad, text = errorText }) {
  f.formErr = null;
  const body = validate();
  if (!body) { render(); return focusBad(); }
  f.busy = true;
  render();
  try {
    const r = await send(body);
    f.busy = false;
    return ok(r, body);
  } catch (e) {
    f.busy = false;
    const k = e.field && fields[e.field.split(/[.[]/)[0]];
    const say = () => text(e);
    if (k) f.errs[k] = say;
    else f.formErr = say;
    if (failed) failed(e, k);
  }
  render();
  focusBad();
}

/* A screen's read: GET path, then got(reply) or failed(() => the error's
 * text), then render(). */
export async function fetchInto(path, got, failed, render) {
  try {
    got(await get(path));
  } catch (e) {
    failed(() => errorText(e));
  }
  render();
}
