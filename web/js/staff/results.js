// results.js — an exam's class table (#exams/ID/results, #exams/ID/results/CLASS;
// docs/scores.md): order number, full name, date of birth, unit, attempts,
// score (rounded under the exam's rules), classification and time taken;
// click a header to sort, a filter box (accents ignored) over name and
// unit and a classification filter; a totals line. A row leads to the
// candidate's review (review.js) and may re-open their counted attempt
// with a reason.
import { t, num, lang } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, select, fetchInto } from './common.js';
import { mountRules } from './grading.js';

/* "Đỗ Văn Ân" -> "do van an": what the filter compares. */
export const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  .replace(/[đĐ]/g, 'd').toLowerCase();

/* A score with two decimals, as rosters print it: 5 -> "5,00" (vi). */
export const score2 = (n) => {
  const s = Number(n).toFixed(2);
  return lang() === 'vi' ? s.replace('.', ',') : s;
};

/* "1991-01-31" -> "31/01/1991" ("" stays ""). */
export const dmy = (d) => (d ? d.split('-').reverse().join('/') : '');

/* 754000 ms -> "12:34"; with hours "1:02:03". */
export function duration(ms) {
  const s = Math.round(ms / 1000), hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
}

const COLS = [ // key, label, sort value
  ['order', 'staff.res.order', (r) => r.order],
  ['name', 'staff.res.name', (r) => fold(r.name.split(' ').pop()) + ' ' + fold(r.name)],
  ['birth', 'staff.res.birth', (r) => r.birth_date],
  ['unit', 'staff.res.unit', (r) => fold(r.unit)],
  ['attempts', 'staff.res.attempts', (r) => r.attempts],
  ['score', 'staff.res.score', (r) => (r.counted ? r.rounded_centi : -1)],
  ['band', 'staff.res.band', (r) => (r.counted ? r.band : 99)],
  ['taken', 'staff.res.taken', (r) => (r.counted ? r.taken_ms : Infinity)],
];

export function mount(root, ctx, arg) {
  let data = null, loadErr = null, sortKey = 'order', asc = true, q = '', band = '';
  let reopen = null; // {row, reason, minutes, errs, formErr, busy}
  let rules = null; // the rules editor's element while it is open
  let flash = ctx.flash;
  ctx.flash = null;
  const classPart = arg.cls ? '?class=' + arg.cls : '';

  const bandName = (b) => (b ? (lang() === 'en' ? b.name_en || b.name : b.name) : '');

  function rows() {
    const f = fold(q);
    const col = COLS.find((c) => c[0] === sortKey);
    return data.rows
      .filter((r) => !f || fold(r.name).includes(f) || fold(r.unit).includes(f) || fold(r.login).includes(f))
      .filter((r) => band === '' || (band === 'none' ? !r.counted : r.counted && String(r.band) === band))
      .sort((a, b) => {
        const x = col[2](a), y = col[2](b);
        const c = x < y ? -1 : x > y ? 1 : a.order - b.order;
        return asc ? c : -c;
      });
  }

  function head([key, label]) {
    const on = key === sortKey;
    return h('th', { scope: 'col', 'aria-sort': on ? (asc ? 'ascending' : 'descending') : 'none' },
      h('button', { class: 'sort', type: 'button', testid: 'res-sort-' + key,
        onclick: () => { asc = on ? !asc : true; sortKey = key; render(); } },
      t(label), on ? (asc ? ' ▲' : ' ▼') : ''));
  }

  function row(r) {
    const b = r.counted ? data.totals.bands[r.band] : null;
    return h('tr', { testid: 'res-row-' + r.login, class: r.counted && !r.passed ? 'fail' : '' },
      h('td', { class: 'num' }, String(r.order)),
      h('td', { testid: 'res-name' }, r.name, h('div', { class: 'muted small' }, r.login)),
      h('td', {}, dmy(r.birth_date)),
      h('td', {}, r.unit),
      h('td', { class: 'num', testid: 'res-attempts' }, String(r.attempts), r.running ? ' ' + t('staff.res.running') : ''),
      h('td', { class: 'num', testid: 'res-score' }, r.counted ? score2(r.rounded) : '—'),
      h('td', { testid: 'res-band' }, r.counted ? bandName(b) : t('staff.res.notTaken')),
      h('td', { class: 'num' }, r.counted ? duration(r.taken_ms) : ''),
      h('td', { class: 'actions' },
        r.counted && h('a', { class: 'btn small', href: `#attempts/${r.attempt_id}/review`, testid: 'res-review' },
          t('staff.res.review')),
        r.counted && data.exam.reopenable && h('button', { class: 'btn small', type: 'button', testid: 'res-reopen',
          onclick: () => { reopen = { row: r, reason: '', minutes: '', errs: {}, formErr: null }; render(); } },
        t('staff.res.reopen'))));
  }

  function totals() {
    const x = data.totals;
    return h('p', { class: 'totals', testid: 'res-totals' },
      t('staff.res.totals', { people: x.people, counted: x.counted, passed: x.passed,
        average: x.average == null ? '—' : score2(x.average) }),
      ' ', x.bands.filter((b) => b.count).map((b) => bandName(b) + ': ' + b.count).join(', '));
  }

  function reopenForm() {
    const f = reopen;
    const reason = h('input', { type: 'text', value: f.reason, testid: 'res-reason',
      oninput: (e) => { f.reason = e.target.value; } });
    const minutes = h('input', { type: 'number', min: 1, max: 1440, value: f.minutes, testid: 'res-minutes',
      oninput: (e) => { f.minutes = e.target.value; } });
    return h('section', { class: 'panel', testid: 'res-reopen-form' },
      h('h2', {}, t('staff.res.reopenTitle', { name: f.row.name, n: f.row.attempt_n })),
      h('p', { class: 'hint' }, t('staff.res.reopenHint')),
      f.formErr && note('err', f.formErr(), 'res-reopen-error'),
      field({ id: 'res-reason', label: t('staff.res.reason'), input: reason,
        error: f.errs.reason && f.errs.reason() }),
      field({ id: 'res-minutes', label: t('staff.res.minutes'), input: minutes, hint: t('staff.res.minutesHint'),
        error: f.errs.minutes && f.errs.minutes() }),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', type: 'button', disabled: f.busy, testid: 'res-reopen-ok', onclick: doReopen },
          t('staff.res.reopenOk')),
        h('button', { class: 'btn', type: 'button', onclick: () => { reopen = null; render(); } }, t('cancel'))));
  }

  async function doReopen() {
    const f = reopen;
    f.errs = {};
    f.formErr = null;
    if (f.reason.trim().replace(/\s/g, '').length < 5) {
      f.errs.reason = () => t('staff.res.reasonShort');
      return render();
    }
    const body = { reason: f.reason.trim() };
    if (f.minutes !== '') body.minutes = Number(f.minutes);
    f.busy = true;
    render();
    try {
      await api.post(`/api/staff/attempts/${f.row.attempt_id}/reopen`, body);
      const name = f.row.name;
      flash = { kind: 'ok', text: () => t('staff.res.reopened', { name }), testid: 'res-reopened' };
      reopen = null;
      load();
    } catch (e) {
      f.busy = false;
      if (e.field === 'reason' || e.field === 'minutes') f.errs[e.field] = () => errorText(e);
      else f.formErr = () => errorText(e);
      render();
    }
  }

  function render() {
    const title = data ? data.exam.title : t('staff.res.title');
    fill(root, h('div', { class: 'titlebar' }, h('h1', { testid: 'res-title' }, title),
      h('a', { class: 'btn', href: '#exams' }, t('staff.res.back'))),
    flash && note(flash.kind, flash.text(), flash.testid),
    loadErr && note('err', loadErr(), 'res-load-error'),
    !data && !loadErr && h('p', { class: 'muted' }, t('staff.loading')),
    data && h('p', { class: 'muted', testid: 'res-rules' }, t('staff.res.rules', {
      step: num(data.grading.rounding), pass: num(data.grading.pass) }), ' ',
    !rules && h('button', { class: 'btn small', type: 'button', testid: 'res-rules-edit', onclick: openRules },
      t('staff.rules.edit'))),
    data && rules,
    data && h('div', { class: 'filters res' },
      h('input', { type: 'search', value: q, placeholder: t('staff.res.filter'), 'aria-label': t('staff.res.filter'),
        testid: 'res-filter', oninput: (e) => { q = e.target.value; renderTable(); } }),
      select({ testid: 'res-band-filter', 'aria-label': t('staff.res.band'),
        onchange: (e) => { band = e.target.value; renderTable(); } },
      [['', t('staff.res.allBands')], ...data.grading.bands.map((b, i) => [String(i), bandName(b)]),
        ['none', t('staff.res.notTaken')]], band)),
    data && h('div', { id: 'res-table' }),
    data && totals(),
    reopen && reopenForm());
    if (data) renderTable();
  }

  /* The rules editor keeps its own element (and what is typed in it)
   * across renders until it is saved or cancelled. */
  function openRules() {
    rules = h('div', {});
    mountRules(rules, arg.exam, data.grading, {
      saved: () => {
        rules = null;
        flash = { kind: 'ok', text: () => t('staff.rules.saved'), testid: 'res-rules-saved' };
        load();
      },
      cancel: () => { rules = null; render(); },
    });
    render();
  }

  function renderTable() {
    const box = root.querySelector('#res-table');
    if (!box) return;
    const list = rows();
    fill(box, h('table', { class: 'grid', testid: 'res-table' },
      h('thead', {}, h('tr', {}, COLS.map(head), h('th', {}, ''))),
      h('tbody', {}, list.map(row))),
    !list.length && h('p', { class: 'muted', testid: 'res-empty' }, t('staff.res.none')));
  }

  const load = () => fetchInto(`/api/staff/exams/${arg.exam}/results${classPart}`,
    (r) => { data = r; loadErr = null; }, (e) => { loadErr = e; }, render);

  render();
  load();
  return { render };
}
