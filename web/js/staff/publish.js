// publish.js — publish an exam from a bank: title, bank, either a
// blueprint (rows of topic, difficulty or "any", and how many questions,
// with the bank's counts beside them) or a fixed list of question ids;
// duration, attempts, review policy, random selection, shuffling, the
// scoring of multiple-answer questions, a wrong-answer penalty and an
// optional opening window. The server checks the blueprint against the
// bank; its error (e.g. a cell asking for more questions than exist) is
// shown at the blueprint, on the row it names, and the form stays filled.
// examForm is the same form for a contest's round (rounds.js): no class,
// a few fieldsets of its own, another address to post to.
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { DIFFICULTIES, errorText, note, field, check, select, diffText, submitForm } from './common.js';
import { roundingSelect } from './grading.js';

const REVIEWS = ['none', 'answers', 'full'];
const FIELDS = { title: 'title', bank: 'bank', blueprint: 'blueprint', questions: 'questions',
  class: 'klass', duration_s: 'duration', attempts: 'attempts', review: 'review', wrong_penalty: 'penalty',
  multi_scoring: 'scoring', opens_ms: 'opens', closes_ms: 'closes', grading: 'pass' };

const cell = () => ({ topic: '', difficulty: '', count: '' });
const ANY = '\u0000any'; // the topic select's value for "every topic": no topic is named so

export function mount(root, ctx) {
  return examForm(root, ctx, {
    crumbs: () => [h('a', { href: '#exams' }, t('staff.nav.exams'))],
    heading: () => t('staff.pub.title'),
    classes: true,
    cancel: '#exams',
    send: (body) => api.post('/api/staff/exams', body),
    ok: (r, body) => {
      ctx.stash.set('published', r.id);
      ctx.say('ok', () => t('staff.pub.done', { id: r.id, title: body.title }), 'ex-flash');
      ctx.go('#exams');
    },
  });
}

/*
 * The publishing form. opts: crumbs() and heading() for the top; classes
 * (offer the class select); cancel (a hash); nameKey and submitKey (the
 * i18n keys of the title's label and the button, when not an exam's); send(body) -> promise and
 * ok(reply, body); and for a round's own fields `extra`: {model (merged
 * into the form's model), fieldsets(m, err, render) -> nodes shown before
 * the buttons, validate(m, fail) -> fields added to the body, fields (the
 * server's field -> the model's key)}.
 */
export function examForm(root, ctx, opts) {
  const extra = opts.extra || { model: {}, fieldsets: () => [], validate: () => ({}), fields: {} };
  const m = Object.assign({ title: '', bank: '', klass: '', mode: 'blueprint', cells: [cell()], ids: '', duration: '15',
    attempts: '1', review: 'answers', random: true, shuffleQ: true, shuffleO: true, scoring: 'partial', penalty: '0',
    opens: '', closes: '', rounding: '0.01', pass: '5' }, extra.model);
  const fields = Object.assign({}, FIELDS, extra.fields);
  let start = JSON.stringify(m);
  const f = { errs: {}, formErr: null, busy: false }; // the form's state (submitForm)
  let banks = [], classes = [], topics = null, badCell = -1, done = false;

  const err = (k) => f.errs[k] && f.errs[k]();
  const txt = (k, props) => h('input', Object.assign({ value: m[k], autocomplete: 'off',
    oninput: (e) => { m[k] = e.target.value; } }, props));

  function render() {
    const focus = document.activeElement && document.activeElement.id;
    fill(root,
      h('p', { class: 'crumbs' }, opts.crumbs(), ' › '),
      h('h1', {}, opts.heading()),
      f.formErr && note('err', f.formErr(), 'pub-error'),
      h('form', { class: 'card pubform', onsubmit: submit, novalidate: true, testid: 'pub-form' },
        h('div', { class: 'cols' },
          field({ id: 'p-title', label: t(opts.nameKey || 'staff.pub.name'), cls: 'grow', error: err('title'),
            input: txt('title', { testid: 'pub-title', maxLength: 200 }) }),
          field({ id: 'p-bank', label: t('staff.pub.bank'), error: err('bank'),
            input: select({ testid: 'pub-bank', onchange: (e) => setBank(e.target.value) },
              [['', t('staff.imp.pickBank')], ...banks.map((b) => [b.id, b.title + ' (' + b.questions + ')'])], m.bank) }),
          opts.classes && field({ id: 'p-class', label: t('staff.pub.class'), hint: t('staff.pub.classHint'), error: err('klass'),
            input: select({ testid: 'pub-class', onchange: (e) => { m.klass = e.target.value; } },
              [['', t('staff.pub.classNone')], ...classes.map((c) => [c.id, c.name])], m.klass) })),
        selection(),
        h('fieldset', {}, h('legend', {}, t('staff.pub.rules')),
          h('div', { class: 'cols' },
            field({ id: 'p-duration', label: t('staff.pub.duration'), error: err('duration'), cls: 'narrow',
              input: txt('duration', { type: 'number', min: 1, step: 1, testid: 'pub-duration' }) }),
            field({ id: 'p-attempts', label: t('staff.pub.attempts'), error: err('attempts'), cls: 'narrow',
              input: txt('attempts', { type: 'number', min: 1, step: 1, testid: 'pub-attempts' }) }),
            field({ id: 'p-review', label: t('staff.pub.review'), error: err('review'),
              input: select({ testid: 'pub-review', onchange: (e) => { m.review = e.target.value; } },
                REVIEWS.map((r) => [r, t('staff.review.' + r)]), m.review) }))),
        h('fieldset', {}, h('legend', {}, t('staff.pub.scoring')),
          h('div', { class: 'cols' },
            field({ id: 'p-scoring', label: t('staff.pub.multi'), error: err('scoring'),
              input: select({ testid: 'pub-scoring', onchange: (e) => { m.scoring = e.target.value; } },
                [['partial', t('staff.pub.partial')], ['all_or_nothing', t('staff.pub.allOrNothing')]], m.scoring) }),
            field({ id: 'p-penalty', label: t('staff.pub.penalty'), hint: t('staff.pub.penaltyHint'), error: err('penalty'),
              cls: 'grow', input: txt('penalty', { type: 'number', min: 0, max: 100, step: 'any', testid: 'pub-penalty' }) })),
          h('div', { class: 'cols' },
            check({ id: 'p-random', label: t('staff.pub.random'), checked: m.random, testid: 'pub-random',
              onchange: (e) => { m.random = e.target.checked; } }),
            check({ id: 'p-shq', label: t('staff.pub.shuffleQ'), checked: m.shuffleQ, testid: 'pub-shuffle-q',
              onchange: (e) => { m.shuffleQ = e.target.checked; } }),
            check({ id: 'p-sho', label: t('staff.pub.shuffleO'), checked: m.shuffleO, testid: 'pub-shuffle-o',
              onchange: (e) => { m.shuffleO = e.target.checked; } }))),
        h('fieldset', {}, h('legend', {}, t('staff.pub.grading')), /* scores */
          h('p', { class: 'hint' }, t('staff.pub.gradingHint')),
          h('div', { class: 'cols' },
            field({ id: 'p-rounding', label: t('staff.pub.rounding'),
              input: roundingSelect('pub-rounding', m.rounding, (e) => { m.rounding = e.target.value; }) }),
            field({ id: 'p-pass', label: t('staff.pub.pass'), error: err('pass'), cls: 'narrow',
              input: txt('pass', { type: 'number', min: 0, max: 10, step: 'any', testid: 'pub-pass' }) }))),
        h('fieldset', {}, h('legend', {}, t('staff.pub.window')),
          h('p', { class: 'hint' }, t('staff.pub.windowHint')),
          h('div', { class: 'cols' },
            field({ id: 'p-opens', label: t('staff.pub.opens'), error: err('opens'),
              input: txt('opens', { type: 'datetime-local', testid: 'pub-opens' }) }),
            field({ id: 'p-closes', label: t('staff.pub.closes'), error: err('closes'),
              input: txt('closes', { type: 'datetime-local', testid: 'pub-closes' }) }))),
        extra.fieldsets(m, err, render),
        h('div', { class: 'row' },
          h('button', { class: 'btn primary', disabled: f.busy, testid: 'pub-submit' }, t(f.busy ? 'staff.saving' : opts.submitKey || 'staff.pub.submit')),
          h('a', { class: 'btn', href: opts.cancel }, t('cancel')))));
    const el = focus && document.getElementById(focus);
    if (el) el.focus();
  }

  function selection() {
    const radio = (v, label) => h('label', { class: 'check', for: 'p-mode-' + v },
      h('input', { type: 'radio', name: 'p-mode', id: 'p-mode-' + v, checked: m.mode === v, testid: 'pub-mode-' + v,
        onchange: () => { m.mode = v; render(); } }), ' ', label);
    return h('fieldset', { class: f.errs.blueprint || f.errs.questions ? 'bad' : '' },
      h('legend', {}, t('staff.pub.selection')),
      h('div', { class: 'cols' }, radio('blueprint', t('staff.pub.byBlueprint')), radio('fixed', t('staff.pub.byList'))),
      m.mode === 'blueprint' ? blueprint()
        : field({ id: 'p-ids', label: t('staff.pub.ids'), hint: t('staff.pub.idsHint'), error: err('questions'),
          input: h('textarea', { rows: 3, value: m.ids, testid: 'pub-ids', oninput: (e) => { m.ids = e.target.value; } }) }));
  }

  function blueprint() {
    if (!m.bank) return h('p', { class: 'hint' }, t('staff.pub.bankFirst'));
    if (topics === null) return h('p', { class: 'muted' }, t('staff.loading'));
    if (!topics.length) return note('warn', t('staff.pub.emptyBank'));
    const total = m.cells.reduce((s, c) => s + (Number(c.count) || 0), 0);
    return h('div', { class: 'bp' },
      h('table', { class: 'grid bptable', testid: 'pub-blueprint' },
        h('thead', {}, h('tr', {}, ['#', t('staff.q.topic'), t('staff.q.difficulty'), t('staff.pub.count'),
          t('staff.pub.available'), ''].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, m.cells.map(cellRow))),
      h('div', { class: 'row' },
        h('button', { class: 'btn small', type: 'button', testid: 'pub-add-cell', onclick: () => { m.cells.push(cell()); render(); } },
          t('staff.pub.addCell')),
        h('span', { class: 'muted', testid: 'pub-total' }, t('staff.pub.total', { n: total }))),
      f.errs.blueprint && h('p', { class: 'ferr', role: 'alert', id: 'p-bp-err', testid: 'pub-blueprint-error' }, err('blueprint')));
  }

  /* How many current questions a row can draw from (null: no topic yet).
   * ANY stands for "every topic" (topic null in the request). */
  function avail(c) {
    const xs = c.topic === ANY ? topics : topics.filter((y) => y.topic === c.topic);
    if (!xs.length) return null;
    const one = (x) => (c.difficulty ? x[c.difficulty] || 0 : DIFFICULTIES.reduce((s, d) => s + (x[d] || 0), 0));
    return xs.reduce((s, x) => s + one(x), 0);
  }

  function cellRow(c, i) {
    const n = avail(c), short = n !== null && Number(c.count) > n;
    const counts = (x) => DIFFICULTIES.map((d) => diffText(d) + ' ' + (x[d] || 0)).join(' · ');
    return h('tr', { class: i === badCell || short ? 'bad' : '', testid: 'pub-cell-' + i },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', {}, select({ id: 'p-topic-' + i, testid: 'pub-topic-' + i, 'aria-label': t('staff.pub.topicN', { n: i + 1 }),
        onchange: (e) => { c.topic = e.target.value; render(); } },
      [['', t('staff.pub.pickTopic')], ...topics.map((x) => [x.topic, x.topic + ' (' + counts(x) + ')']),
        [ANY, t('staff.pub.anyTopic')]], c.topic)),
      h('td', {}, select({ id: 'p-diff-' + i, testid: 'pub-diff-' + i, 'aria-label': t('staff.pub.diffN', { n: i + 1 }),
        onchange: (e) => { c.difficulty = e.target.value; render(); } },
      [['', diffText(null)], ...DIFFICULTIES.map((d) => [d, diffText(d)])], c.difficulty)),
      h('td', { class: 'cnt' }, h('input', { id: 'p-count-' + i, type: 'number', min: 1, step: 1, value: c.count, class: 'count',
        testid: 'pub-count-' + i, 'aria-label': t('staff.pub.countN', { n: i + 1 }),
        oninput: (e) => { c.count = e.target.value; refreshCell(i); } })),
      h('td', { class: 'num' + (short ? ' warn' : ''), testid: 'pub-avail-' + i },
        n === null ? '–' : short ? t('staff.pub.only', { n }) : String(n)),
      h('td', {}, h('button', { class: 'btn small', type: 'button', disabled: m.cells.length < 2,
        'aria-label': t('staff.pub.removeN', { n: i + 1 }), onclick: () => { m.cells.splice(i, 1); badCell = -1; render(); } }, '✕')));
  }

  /* The count of a row changed: update its availability and the total
   * without a render (the caret stays in the box). */
  function refreshCell(i) {
    const c = m.cells[i], n = avail(c), short = n !== null && Number(c.count) > n;
    const row = root.querySelector(`[data-testid="pub-cell-${i}"]`), av = root.querySelector(`[data-testid="pub-avail-${i}"]`);
    row.classList.toggle('bad', short || i === badCell);
    av.classList.toggle('warn', short);
    av.textContent = n === null ? '–' : short ? t('staff.pub.only', { n }) : String(n);
    root.querySelector('[data-testid="pub-total"]').textContent =
      t('staff.pub.total', { n: m.cells.reduce((s, x) => s + (Number(x.count) || 0), 0) });
  }

  async function setBank(v) {
    m.bank = v;
    topics = null;
    render();
    if (!v) return;
    try {
      const r = await api.get(`/api/staff/banks/${v}/topics`);
      if (m.bank !== v) return;
      topics = r.topics;
      for (const c of m.cells) if (c.topic && c.topic !== ANY && !topics.some((x) => x.topic === c.topic)) c.topic = '';
    } catch (e) {
      topics = [];
      f.formErr = () => errorText(e);
    }
    render();
  }

  /* The request body, or null with f.errs filled. */
  function validate() {
    f.errs = {};
    badCell = -1;
    const fail = (k, key, vars) => { if (!f.errs[k]) f.errs[k] = () => t(key, vars); };
    const int = (s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);
    if (!m.title.trim()) fail('title', 'staff.required');
    if (!m.bank) fail('bank', 'staff.imp.pickBank');
    let cells = null, ids = null;
    if (m.mode === 'blueprint') {
      cells = m.cells.map((c, i) => {
        if (!c.topic) { fail('blueprint', 'staff.pub.cellTopic', { n: i + 1 }); if (badCell < 0) badCell = i; }
        const n = int(c.count);
        if (!(n >= 1)) { fail('blueprint', 'staff.pub.cellCount', { n: i + 1 }); if (badCell < 0) badCell = i; }
        return { topic: c.topic === ANY ? null : c.topic, difficulty: c.difficulty || null, count: n };
      });
    } else {
      const parts = m.ids.split(/[\s,;]+/).filter(Boolean);
      ids = parts.map(int);
      if (!parts.length) fail('questions', 'staff.required');
      else if (ids.some((x) => !(x >= 1))) fail('questions', 'staff.pub.badIds');
      else if (new Set(ids).size !== ids.length) fail('questions', 'staff.pub.dupIds');
    }
    const minutes = Number(String(m.duration).replace(',', '.'));
    if (!(minutes > 0) || minutes > 24 * 60 || !Number.isInteger(minutes * 60)) fail('duration', 'staff.pub.badDuration');
    const attempts = int(m.attempts);
    if (!(attempts >= 1 && attempts <= 100)) fail('attempts', 'staff.pub.badAttempts');
    const penalty = Number(String(m.penalty).replace(',', '.'));
    if (String(m.penalty).trim() === '' || !(penalty >= 0 && penalty <= 100)) fail('penalty', 'staff.pub.badPenalty');
    const opens = m.opens ? new Date(m.opens).getTime() : 0, closes = m.closes ? new Date(m.closes).getTime() : 0;
    if (opens && closes && closes <= opens) fail('closes', 'staff.pub.badWindow');
    const pass = Number(String(m.pass).replace(',', '.'));
    if (String(m.pass).trim() === '' || !(pass >= 0 && pass <= 10)) fail('pass', 'staff.pub.badPass');
    const more = extra.validate(m, fail);
    if (Object.keys(f.errs).length) return null;
    return { ...more, title: m.title.trim(), bank: Number(m.bank), ...(opts.classes ? { class: m.klass ? Number(m.klass) : null } : {}),
      blueprint: cells, questions: ids,
      duration_s: Math.round(minutes * 60), attempts, review: m.review, random_selection: m.random,
      shuffle_questions: m.shuffleQ, shuffle_options: m.shuffleO, multi_scoring: m.scoring,
      wrong_penalty: penalty / 100, opens_ms: opens, closes_ms: closes,
      grading: { rounding: Number(m.rounding), pass } };
  }

  function submit(ev) {
    ev.preventDefault();
    return submitForm(f, { validate, render, focusBad, fields,
      send: opts.send,
      ok: (r, body) => {
        done = true;
        opts.ok(r, body);
      },
      failed: (e, k) => {
        if (k === 'blueprint') badCell = Number.isInteger(e.body.cell) ? e.body.cell - 1 : -1;
      } });
  }

  function focusBad() {
    const input = root.querySelector('[aria-invalid=true]');
    if (input) return input.focus();
    const bad = root.querySelector(badCell >= 0 ? `#p-count-${badCell}` : '.ferr');
    if (bad) { bad.scrollIntoView({ block: 'center' }); if (bad.focus) bad.focus(); }
  }

  async function loadBanks() {
    try {
      const [b, c] = await Promise.all([ctx.banks(true), opts.classes ? api.get('/api/staff/classes') : { classes: [] }]);
      banks = b;
      classes = c.classes || [];
      if (banks.length === 1 && !m.bank) {
        m.bank = String(banks[0].id); // the only bank: chosen for the user, not a change of theirs
        start = JSON.stringify(m);
        return setBank(m.bank);
      }
    } catch (e) {
      f.formErr = () => errorText(e);
    }
    render();
  }

  render();
  loadBanks();
  return { render, dirty: () => !done && JSON.stringify(m) !== start };
}
