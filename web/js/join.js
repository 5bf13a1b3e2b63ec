// join.js — joining a contest with a code or its QR link (/?join=CODE):
// GET /api/join/units says what the code opens and which units to pick
// from, then full name, date of birth, unit (when there is a choice) and
// an optional phone go to POST /api/join, which sets the session cookie.
// A contest open to registration (/?contest=ID) uses the same form without
// a code: GET /api/public/contests/ID, POST …/register (docs/contests.md).
// The same name and date of birth give the same account back, so a
// participant who lost their phone or cookies continues their attempt.
// Loaded only when the page is opened with ?join= (a dynamic import), so
// the first load of everyone else stays small. docs/protocol.md §1.
import { t, has } from './i18n.js';
import { h, fill } from './ui.js';

/* The units as [id, label] in tree order, each indented by its depth. */
function unitPairs(units) {
  const kids = new Map();
  for (const u of units) {
    const p = units.some((x) => x.id === u.parent) ? u.parent : 0;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(u);
  }
  const out = [];
  const walk = (p, depth) => {
    for (const u of kids.get(p) || []) {
      out.push([u.id, '\u00a0\u00a0'.repeat(depth) + u.name]);
      walk(u.id, depth + 1);
    }
  };
  walk(0, 0);
  return out;
}

async function fetchJson(path, init) {
  let r;
  try { r = await fetch(path, { cache: 'no-store', ...init }); } catch (e) { return { status: 0, body: {} }; }
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

export function mount(root, ctx, arg) {
  let info = null, err = null, errField = null, busy = false, loading = true;
  const v = { code: arg.code || '', full_name: '', birth_date: '', unit: '', phone: '' };
  const inputs = {};
  const contest = /^[1-9]\d{0,17}$/.test(arg.contest || '') ? arg.contest : null;

  const errKey = (status, body) => {
    if (!status) return 'err.network';
    const k = body.field && body.code === 'bad_request' ? 'join.bad.' + body.field : 'join.err.' + body.code;
    return has(k) ? k : has('err.' + body.code) ? 'err.' + body.code : 'err.unknown';
  };

  function input(name, props) {
    const el = h('input', { id: 'j-' + name, name, testid: 'join-' + name, value: v[name],
      'aria-invalid': errField === name ? 'true' : null, oninput: () => { v[name] = el.value; }, ...props });
    inputs[name] = el;
    return [h('label', { for: 'j-' + name }, t('join.' + name)), el];
  }

  function unitPicker() {
    const pairs = info ? unitPairs(info.units) : [];
    if (!info || pairs.length < 2 && !info.unit_required) return null;
    const sel = h('select', { id: 'j-unit', testid: 'join-unit', required: info.unit_required,
      'aria-invalid': errField === 'unit' ? 'true' : null, onchange: () => { v.unit = sel.value; } },
    h('option', { value: '' }, t(info.unit_required ? 'join.unitPick' : 'join.unitSame')),
    pairs.map(([id, label]) => h('option', { value: String(id), selected: v.unit === String(id) }, label)));
    inputs.unit = sel;
    return [h('label', { for: 'j-unit' }, t('join.unit')), sel];
  }

  function render() {
    fill(root, h('form', { class: 'card login join', testid: 'join-form', onsubmit: submit, novalidate: true },
      h('h1', {}, t('join.title')),
      info && h('p', { class: 'jexam', testid: 'join-exam' }, info.exam.title),
      loading && h('p', { class: 'muted' }, t('loading')),
      err && h('p', { class: 'msg err', role: 'alert', testid: 'join-error' }, t(err)),
      !contest && (!info || errField === 'code') && input('code', { autocapitalize: 'characters', autocomplete: 'off', spellcheck: false }),
      input('full_name', { autocomplete: 'name', required: true, maxlength: 120 }),
      input('birth_date', { autocomplete: 'bday', required: true, placeholder: t('join.birthHint') }),
      unitPicker(),
      input('phone', { type: 'tel', autocomplete: 'tel', placeholder: t('join.phoneHint') }),
      h('button', { class: 'btn primary wide', testid: 'join-submit', disabled: busy || loading }, t('join.submit')),
      h('p', { class: 'muted' }, t('join.same'))));
  }

  async function check() {
    const r = await fetchJson(contest ? '/api/public/contests/' + contest
      : '/api/join/units?code=' + encodeURIComponent(v.code));
    loading = false;
    if (contest && r.status === 200 && !r.body.contest.open_registration) r.status = 404;
    if (r.status === 200) {
      const units = r.body.units || [];
      info = contest ? { exam: r.body.contest, units, unit_required: units.length > 0 } : r.body;
      err = errField = null;
    } else {
      info = null;
      err = errKey(r.status, r.body);
      errField = 'code';
    }
    render();
    (inputs[errField || 'full_name'] || inputs.full_name).focus();
  }

  async function submit(ev) {
    ev.preventDefault();
    if (!info) { loading = true; render(); return check(); }
    busy = true;
    render();
    const body = { full_name: v.full_name, birth_date: v.birth_date, phone: v.phone };
    if (!contest) body.code = v.code;
    if (v.unit) body.unit = Number(v.unit);
    const r = await fetchJson(contest ? `/api/public/contests/${contest}/register` : '/api/join',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    busy = false;
    if (r.status === 200) {
      history.replaceState(null, '', '/'); // a reload continues the session
      ctx.joinExam = r.body.exam;
      return ctx.loggedIn(r.body.user);
    }
    err = errKey(r.status, r.body);
    errField = r.body.field || null;
    if (r.body.code === 'bad_code') info = null;
    render();
    if (inputs[errField]) inputs[errField].focus();
  }

  render();
  check();
  return { render };
}
