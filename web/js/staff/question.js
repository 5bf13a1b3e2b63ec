// question.js — create or edit one question: topic, difficulty, text, 2-6
// options, single or multiple answer, points, option shuffling and the
// explanation. Single answer: one option is ticked as correct (100 %), the
// others 0 % unless partial credit is switched on. Multiple answer: ticking
// options shares 100 % between them; each weight can then be set by hand
// (negative for a wrong option). The rules are those of the server (docs/
// staff-api.md); they are checked here first so that most mistakes are
// named before sending, and the server's own `field` error is shown next to
// that field. A failed save keeps everything typed. Editing a question that
// a published exam uses makes a new version, which the user is told before
// and after saving.
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { DIFFICULTIES, note, field, check, select, diffText, isKey, submitForm } from './common.js';

const MIN_OPT = 2, MAX_OPT = 6, UNIT = 100000; // weights are kept in 1e-5 %

/* "33,5" or "33.5" -> 33.5; NaN when not a number. */
const parseW = (s) => (String(s).trim() === '' ? NaN : Number(String(s).trim().replace(',', '.')));
const wText = (w) => String(Math.round(w * UNIT) / UNIT);

/* 100 % shared by n options in 1e-5 % steps that sum exactly: the first
 * takes the remainder (3 -> 33.33334, 33.33333, 33.33333). */
function shares(n) {
  const each = Math.floor(100 * UNIT / n), first = 100 * UNIT - each * (n - 1);
  return Array.from({ length: n }, (_, i) => (i ? each : first) / UNIT);
}

function fromQuestion(q) {
  const m = { topic: q.topic, difficulty: q.difficulty, text: q.text, multi: q.multi, points: String(q.points),
    shuffle: q.shuffle, explanation: q.explanation || '',
    options: q.options.map((o) => ({ text: o.text, weight: wText(o.weight), key: isKey(q, o) })) };
  m.partial = !m.multi && q.options.some((o) => o.weight !== 0 && o.weight !== 100);
  return m;
}

const blank = () => ({ topic: '', difficulty: 'medium', text: '', multi: false, points: '1', shuffle: true,
  explanation: '', partial: false, options: [0, 1, 2, 3].map(() => ({ text: '', weight: '0', key: false })) });

export function mount(root, ctx, arg) {
  const bankId = arg.bank;
  const orig = arg.id ? ctx.stash.get('question') : null;
  if (arg.id && (!orig || orig.id !== arg.id)) {
    // Reached by a reload or a typed address: the list has the question.
    ctx.say('info', () => t('staff.q.reopen'), 'q-flash');
    setTimeout(() => ctx.go('#bank/' + bankId));
    return { render() {} };
  }
  const m = orig ? fromQuestion(orig) : blank();
  const start = JSON.stringify(m);
  const f = { errs: {}, formErr: null, busy: false }; // the form's state (submitForm)
  let badOpts = new Set(), topics = [], closed = false;

  function render() {
    const focus = document.activeElement && document.activeElement.id;
    const back = '#bank/' + bankId;
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#banks' }, t('staff.nav.banks')), ' › ',
        h('a', { href: back }, t('staff.q.list')), ' › '),
      h('h1', {}, orig ? t('staff.q.editTitle', { id: orig.id, v: orig.version }) : t('staff.q.newTitle')),
      orig && orig.used && note('warn', t('staff.q.usedWarn', { v: orig.version + 1 }), 'q-used-warning'),
      f.formErr && note('err', f.formErr(), 'q-form-error'),
      h('form', { class: 'card qform', onsubmit: save, novalidate: true, testid: 'q-form' },
        h('div', { class: 'cols' },
          field({ id: 'f-topic', label: t('staff.q.topic'), cls: 'grow', error: err('topic'),
            input: topicInput() }),
          h('datalist', { id: 'f-topics' }, topics.map((x) => h('option', { value: x.topic }))),
          field({ id: 'f-difficulty', label: t('staff.q.difficulty'), error: err('difficulty'),
            input: select({ testid: 'f-difficulty', onchange: (e) => { m.difficulty = e.target.value; } },
              DIFFICULTIES.map((d) => [d, diffText(d)]), m.difficulty) }),
          field({ id: 'f-points', label: t('staff.q.points'), error: err('points'), cls: 'narrow',
            input: h('input', { type: 'number', min: 1, max: 100, step: 1, value: m.points, testid: 'f-points',
              oninput: (e) => { m.points = e.target.value; } }) })),
        field({ id: 'f-text', label: t('staff.q.text'), error: err('text'),
          input: h('textarea', { rows: 3, value: m.text, testid: 'f-text', oninput: (e) => { m.text = e.target.value; } }) }),
        optionsBlock(),
        h('div', { class: 'cols' },
          check({ id: 'f-shuffle', label: t('staff.q.shuffle'), checked: m.shuffle, testid: 'f-shuffle',
            onchange: (e) => { m.shuffle = e.target.checked; } })),
        field({ id: 'f-explanation', label: t('staff.q.explanation'), error: err('explanation'),
          hint: t('staff.q.explanationHint'),
          input: h('textarea', { rows: 2, value: m.explanation, testid: 'f-explanation',
            oninput: (e) => { m.explanation = e.target.value; } }) }),
        h('div', { class: 'row' },
          h('button', { class: 'btn primary', disabled: f.busy, testid: 'q-save' }, t(f.busy ? 'staff.saving' : 'staff.save')),
          h('a', { class: 'btn', href: back, testid: 'q-cancel' }, t('cancel')))));
    const el = focus && document.getElementById(focus);
    if (el) el.focus();
  }

  const err = (k) => f.errs[k] && f.errs[k]();

  function topicInput() {
    const el = h('input', { value: m.topic, autocomplete: 'off', testid: 'f-topic', oninput: (e) => { m.topic = e.target.value; } });
    el.setAttribute('list', 'f-topics'); // a read-only property: only the attribute names the datalist
    return el;
  }

  function optionsBlock() {
    const weights = m.multi || m.partial;
    const rows = m.options.map((o, i) => {
      const tick = m.multi
        ? h('input', { type: 'checkbox', id: 'f-key-' + i, checked: o.key, testid: 'f-key-' + i,
          'aria-label': t('staff.q.correctN', { n: i + 1 }), onchange: (e) => tickMulti(i, e.target.checked) })
        : h('input', { type: 'radio', name: 'f-key', id: 'f-key-' + i, checked: o.key, testid: 'f-key-' + i,
          'aria-label': t('staff.q.correctN', { n: i + 1 }), onchange: () => tickSingle(i) });
      const text = h('input', { id: 'f-opt-' + i, value: o.text, testid: 'f-opt-' + i, autocomplete: 'off',
        'aria-label': t('staff.q.optionN', { n: i + 1 }), 'aria-invalid': badOpts.has(i) ? 'true' : null,
        'aria-describedby': f.errs.options ? 'f-options-err' : null, oninput: (e) => { o.text = e.target.value; } });
      const weight = weights && h('input', { id: 'f-w-' + i, value: o.weight, testid: 'f-w-' + i, inputMode: 'decimal',
        class: 'w', 'aria-label': t('staff.q.weightN', { n: i + 1 }), disabled: !m.multi && o.key,
        oninput: (e) => typeWeight(i, e.target.value) });
      return h('div', { class: 'optrow' + (o.key ? ' key' : '') + (weights ? '' : ' nw') },
        h('span', { class: 'onum', 'aria-hidden': 'true' }, String.fromCharCode(65 + i)),
        tick, text, weights && h('span', { class: 'wbox' }, weight, ' %'),
        h('button', { class: 'btn small', type: 'button', disabled: m.options.length <= MIN_OPT, testid: 'f-del-' + i,
          'aria-label': t('staff.q.removeN', { n: i + 1 }), onclick: () => removeOpt(i) }, '✕'));
    });
    const sum = m.multi ? m.options.reduce((s, o) => s + Math.max(0, parseW(o.weight) || 0), 0) : null;
    return h('fieldset', { class: 'opts-edit' + (f.errs.options ? ' bad' : '') },
      h('legend', {}, t('staff.q.options')),
      h('div', { class: 'cols' },
        check({ id: 'f-multi', label: t('staff.q.multiToggle'), checked: m.multi, testid: 'f-multi',
          onchange: (e) => setMulti(e.target.checked) }),
        !m.multi && check({ id: 'f-partial', label: t('staff.q.partial'), checked: m.partial, testid: 'f-partial',
          onchange: (e) => { m.partial = e.target.checked; if (!m.partial) zeroOthers(); render(); } })),
      h('p', { class: 'hint' }, t(m.multi ? 'staff.q.multiHint' : 'staff.q.singleHint')),
      h('div', { class: 'opthead' + (weights ? '' : ' nw'), 'aria-hidden': 'true' },
        h('span', {}), h('span', {}, t('staff.q.correct')), h('span', {}, t('staff.q.optionText')),
        weights && h('span', {}, t('staff.q.weight')), h('span', {})),
      rows,
      m.multi && h('p', { class: 'hint', testid: 'f-sum' }, t('staff.q.sum', { sum: num(sum) })),
      f.errs.options && h('p', { class: 'ferr', id: 'f-options-err', role: 'alert', testid: 'f-options-error' }, err('options')),
      h('button', { class: 'btn small', type: 'button', disabled: m.options.length >= MAX_OPT, testid: 'f-add',
        onclick: addOpt }, t('staff.q.addOption')));
  }

  function tickSingle(i) {
    m.options.forEach((o, k) => {
      o.key = k === i;
      if (k === i) o.weight = '100';
      else if (!m.partial || parseW(o.weight) >= 100) o.weight = '0';
    });
    render();
  }

  /* Ticking shares 100 % evenly between the ticked options; an unticked
   * option with a positive weight goes to 0 (a negative one stays). */
  function tickMulti(i, on) {
    m.options[i].key = on;
    respread();
    render();
  }

  function respread() {
    const on = m.options.filter((o) => o.key), w = shares(on.length || 1);
    let k = 0;
    for (const o of m.options) {
      if (o.key) o.weight = wText(w[k++]);
      else if (!(parseW(o.weight) < 0)) o.weight = '0';
    }
  }

  function typeWeight(i, v) {
    const o = m.options[i];
    o.weight = v;
    if (m.multi) {
      const key = parseW(v) > 0;
      if (key !== o.key) { o.key = key; render(); } else updateSum();
    }
  }

  function updateSum() {
    const el = root.querySelector('[data-testid="f-sum"]');
    if (el) el.textContent = t('staff.q.sum', { sum: num(m.options.reduce((s, o) => s + Math.max(0, parseW(o.weight) || 0), 0)) });
  }

  function zeroOthers() {
    for (const o of m.options) o.weight = o.key ? '100' : '0';
  }

  function setMulti(on) {
    m.multi = on;
    if (on) {
      m.partial = false;
      respread();
    } else {
      // Single answer: keep the first ticked option as the correct one.
      const first = m.options.findIndex((o) => o.key);
      m.options.forEach((o, k) => { o.key = k === first; });
      zeroOthers();
    }
    render();
  }

  function addOpt() {
    m.options.push({ text: '', weight: '0', key: false });
    render();
    document.getElementById('f-opt-' + (m.options.length - 1)).focus();
  }

  function removeOpt(i) {
    const was = m.options[i].key;
    m.options.splice(i, 1);
    if (was && m.multi) respread();
    badOpts = new Set();
    render();
  }

  /* Checks as the server does; fills f.errs and badOpts. Returns the body,
   * or null when something is wrong. */
  function validate() {
    f.errs = {};
    badOpts = new Set();
    const fail = (k, key, vars) => { if (!f.errs[k]) f.errs[k] = () => t(key, vars); };
    if (!m.topic.trim()) fail('topic', 'staff.required');
    if (!m.text.trim()) fail('text', 'staff.required');
    const pts = Number(m.points);
    if (!Number.isInteger(pts) || pts < 1 || pts > 100) fail('points', 'staff.q.badPoints');
    const seen = new Map();
    m.options.forEach((o, i) => {
      const s = o.text.trim();
      if (!s) { badOpts.add(i); fail('options', 'staff.q.emptyOption', { n: i + 1 }); }
      else if (seen.has(s)) { badOpts.add(i); fail('options', 'staff.q.sameOption', { a: seen.get(s) + 1, b: i + 1 }); }
      else seen.set(s, i);
    });
    const ws = m.options.map((o) => (m.multi || m.partial ? parseW(o.weight) : o.key ? 100 : 0));
    ws.forEach((w, i) => { if (!(w >= -100 && w <= 100)) { badOpts.add(i); fail('options', 'staff.q.badWeight', { n: i + 1 }); } });
    if (!m.multi && !m.options.some((o) => o.key)) fail('options', 'staff.q.pickOne');
    if (!m.multi && ws.some((w, i) => !m.options[i].key && w >= 100)) fail('options', 'staff.q.pickOne');
    if (m.multi) {
      const sum = ws.reduce((s, w) => s + (w > 0 ? w : 0), 0);
      if (!ws.some((w) => w > 0)) fail('options', 'staff.q.pickSome');
      else if (Math.abs(sum - 100) > 0.001) fail('options', 'staff.q.badSum', { sum: num(sum) });
    }
    const body = { topic: m.topic.trim(), difficulty: m.difficulty, text: m.text.trim(), multi: m.multi,
      options: m.options.map((o, i) => ({ text: o.text.trim(), weight: ws[i] })), points: pts,
      shuffle: m.shuffle, explanation: m.explanation.trim() };
    if (!orig) body.bank = bankId;
    return Object.keys(f.errs).length ? null : body;
  }

  function save(ev) {
    ev.preventDefault();
    return submitForm(f, { validate, render, focusBad, ok: saved,
      send: (body) => api.post(orig ? '/api/staff/questions/' + orig.id : '/api/staff/questions', body),
      fields: { topic: 'topic', difficulty: 'difficulty', text: 'text', options: 'options', points: 'points',
        explanation: 'explanation' } });
  }

  function saved(r) {
    closed = true;
    if (!orig) ctx.say('ok', () => t('staff.q.added', { id: r.id }), 'q-flash');
    else if (r.versioned) ctx.say('ok', () => t('staff.q.versioned', { old: orig.id, id: r.id, v: r.version }), 'q-flash');
    else ctx.say('ok', () => t('staff.q.saved', { id: r.id }), 'q-flash');
    ctx.banks(true).catch(() => {});
    ctx.go('#bank/' + bankId);
  }

  function focusBad() {
    const bad = root.querySelector('[role=alert]');
    const input = root.querySelector('[aria-invalid=true]');
    if (input) input.focus();
    else if (bad) bad.scrollIntoView({ block: 'center' });
  }

  async function loadTopics() {
    try {
      topics = (await api.get(`/api/staff/banks/${bankId}/topics`)).topics;
      const list = document.getElementById('f-topics'); // no render: keep the caret where it is
      if (list) fill(list, topics.map((x) => h('option', { value: x.topic })));
    } catch (e) { /* the list of topics is only a help while typing */ }
  }

  render();
  loadTopics();
  return { render, dirty: () => !closed && JSON.stringify(m) !== start };
}
