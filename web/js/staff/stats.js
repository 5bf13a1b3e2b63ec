// stats.js — an exam's item statistics (GET /api/staff/exams/ID/stats,
// docs/statistics.md): the test's summary figures, a histogram of the
// 10-point scores, each question's facility, standard deviation,
// discrimination index, discriminative efficiency, option counts and
// flags (too easy, too hard, negative or weak discrimination) with a link
// to edit it (a question already sat gets a new version), and a chart of
// facility and discrimination per question. Charts are inline SVG built
// with DOM calls and coloured by classes in staff.css (the page's CSP
// allows no inline style). Route: #exams/ID/stats, #exams/ID/stats/all.
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, table, badge, short } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';

/* An SVG element: attributes only (no style), text children as text. */
function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, String(v));
  for (const c of kids.flat(Infinity)) if (c != null && c !== false) el.append(c);
  return el;
}

const pct = (x) => (x == null ? '—' : num(x) + ' %');
const plain = (x) => (x == null ? '—' : num(x));
const ten = (x) => (x == null ? '—' : num(x / 10));

/* A chart's frame: an <svg> with a title and a description for screen
 * readers. */
function frame(w, hgt, title, desc, testid, kids) {
  return s('svg', { viewBox: `0 0 ${w} ${hgt}`, width: w, height: hgt, role: 'img', class: 'chart',
    'aria-label': title, 'data-testid': testid }, s('title', {}, title), s('desc', {}, desc), kids);
}

/* The 10-point scores in ten bins of one point. */
export function histogram(counts) {
  const W = 520, H = 230, L = 40, B = 34, T = 12, bw = (W - L - 10) / 10;
  const top = Math.max(1, ...counts), y = (v) => T + (H - T - B) * (1 - v / top);
  const ticks = [...new Set([0, Math.ceil(top / 2), top])];
  const kids = ticks.map((v) => [s('line', { x1: L, x2: W - 10, y1: y(v), y2: y(v), class: 'grid-line' }),
    s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, String(v))]);
  counts.forEach((c, k) => {
    const x = L + k * bw;
    kids.push(s('rect', { x: x + 3, y: y(c), width: bw - 6, height: y(0) - y(c), class: 'bar' },
      s('title', {}, t('staff.st.histBar', { from: k, to: k + 1, n: c }))));
    if (c) kids.push(s('text', { x: x + bw / 2, y: y(c) - 3, 'text-anchor': 'middle', class: 'val' }, String(c)));
    kids.push(s('text', { x: x + bw / 2, y: H - B + 15, 'text-anchor': 'middle', class: 'axis' }, `${k}–${k + 1}`));
  });
  kids.push(s('text', { x: L + (W - L) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis' }, t('staff.st.histX')));
  const desc = counts.map((c, k) => `${k}–${k + 1}: ${c}`).join(', ');
  return frame(W, H, t('staff.st.hist'), desc, 'stats-hist', kids);
}

/* Facility and discrimination of each question, -100..100 %. */
export function questionChart(qs) {
  const L = 44, R = 10, T = 14, B = 30, H = 260, W = Math.max(720, L + R + 34 * qs.length);
  const gw = (W - L - R) / Math.max(1, qs.length); // one group of two bars a question
  const y = (v) => T + (H - T - B) * (1 - (v + 100) / 200);
  const kids = [-100, -50, 0, 50, 100].map((v) => [
    s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: v ? 'grid-line' : 'zero-line' }),
    s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, `${v}`)]);
  qs.forEach((q, i) => {
    const x = L + i * gw + gw / 2 - 12, bar = (v, dx, cls, what) => v != null && s('rect', {
      x: x + dx, y: Math.min(y(v), y(0)), width: 12, height: Math.abs(y(v) - y(0)), class: cls },
    s('title', {}, t('staff.st.chartBar', { n: i + 1, what, v: num(v) })));
    kids.push(bar(q.facility, 0, 'bar fac', t('staff.st.facility')),
      bar(q.discrimination, 13, 'bar dis' + (q.discrimination < 0 ? ' neg' : ''), t('staff.st.discrimination')),
      s('text', { x: x + 13, y: H - B + 15, 'text-anchor': 'middle', class: 'axis' + (q.flags.length ? ' flagged' : '') },
        String(i + 1)));
  });
  const desc = qs.map((q, i) => `${i + 1}: ${pct(q.facility)}, ${pct(q.discrimination)}`).join('; ');
  return frame(W, H, t('staff.st.chart'), desc, 'stats-chart', kids);
}

export function mount(root, ctx, arg) {
  let data = null, loadErr = null;
  const all = !!arg.all;
  const base = '#exams/' + arg.id + '/stats';

  function summary(ts) {
    const rows = [
      ['n', String(ts.n)],
      ['mean', `${pct(ts.mean)} (${ten(ts.mean)}/10)`],
      ['median', `${pct(ts.median)} (${ten(ts.median)}/10)`],
      ['sd', pct(ts.sd)],
      ['skewness', plain(ts.skewness)],
      ['kurtosis', plain(ts.kurtosis)],
      ['cic', pct(ts.cic)],
      ['error_ratio', pct(ts.error_ratio)],
      ['standard_error', pct(ts.standard_error)],
    ];
    return h('table', { class: 'grid stats-sum', testid: 'stats-summary' },
      h('tbody', {}, rows.map(([k, v]) => h('tr', { testid: 'st-' + k },
        h('th', { scope: 'row' }, t('staff.st.t.' + k)), h('td', { class: 'num' }, v),
        h('td', { class: 'hint' }, t('staff.st.h.' + k))))));
  }

  function options(q) {
    return h('ol', { class: 'opts stats-opts' }, q.options.map((o) => h('li', { class: o.correct ? 'key' : '' },
      o.correct && h('span', { class: 'tick', 'aria-hidden': 'true' }, '✓ '),
      o.correct && h('span', { class: 'sr' }, t('staff.q.correct') + ': '),
      short(o.text, 40), ' ', h('b', { class: 'count' }, `(${o.count})`))),
    q.blank ? h('p', { class: 'hint' }, t('staff.st.blank', { n: q.blank })) : null);
  }

  function editLink(q) {
    if (!q.current_id) return h('span', { class: 'muted' }, t('staff.st.retired'));
    const href = `#bank/${q.bank}/edit/${q.current_id}`;
    return h('a', { href, testid: 'st-edit', title: t('staff.st.editHint'), onclick: (ev) => edit(ev, q, href) },
      q.current_id === q.id ? t('staff.st.edit') : t('staff.st.editNewer'));
  }

  /* The question form edits what the list hands it (ctx.stash): fetch the
   * current version first, as the questions list would have it. */
  async function edit(ev, q, href) {
    ev.preventDefault();
    try {
      ctx.stash.set('question', (await api.get('/api/staff/questions/' + q.current_id)).question);
      ctx.go(href);
    } catch (e) {
      loadErr = () => errorText(e);
      render();
    }
  }

  function qTable(qs) {
    return table(['#', t('staff.st.question'), t('staff.st.s'), t('staff.st.facility'), t('staff.st.sdq'),
      t('staff.st.discrimination'), t('staff.st.efficiency'), t('staff.st.flags'), ''],
    qs.map((q, i) => h('tr', { testid: 'st-q-' + q.id, class: q.flags.length ? 'flagged' : '' },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'qcell' }, h('div', { class: 'qtext' }, short(q.text, 140)), options(q)),
      h('td', { class: 'num' }, String(q.s)),
      h('td', { class: 'num' }, pct(q.facility)),
      h('td', { class: 'num' }, pct(q.sd)),
      h('td', { class: 'num' + (q.discrimination < 0 ? ' neg' : '') }, pct(q.discrimination)),
      h('td', { class: 'num' }, pct(q.efficiency)),
      h('td', { testid: 'st-flags' }, h('div', { class: 'badges' }, q.flags.map((f) =>
        badge(t('staff.st.flag.' + f), 'flag-' + f, 'flag-' + f)))),
      h('td', { class: 'links' }, editLink(q)))),
    { testid: 'stats-questions', class: 'grid stats-q' });
  }

  function legend(th) {
    return h('p', { class: 'hint', testid: 'st-legend' }, t('staff.st.legend', {
      easy: num(th.easy_above), hard: num(th.hard_below), weak: num(th.weak_below), min: th.min_attempts }));
  }

  function body() {
    const ts = data.test, qs = data.questions, flagged = qs.filter((q) => q.flags.length).length;
    return [
      h('section', { class: 'card' }, h('h2', {}, t('staff.st.testTitle')),
        h('div', { class: 'stats-top' }, summary(ts), histogram(ts.histogram))),
      !ts.n && note('info', t('staff.st.none'), 'st-none'),
      h('section', { class: 'card' }, h('h2', {}, t('staff.st.qTitle')),
        ts.n ? note(flagged ? 'warn' : 'ok', t(flagged ? 'staff.st.flagged' : 'staff.st.noFlags', { n: flagged }),
          'st-flagged') : null,
        legend(data.thresholds), qTable(qs)),
      h('section', { class: 'card' }, h('h2', {}, t('staff.st.chart')),
        h('p', { class: 'hint' }, h('span', { class: 'key-fac' }, '■ '), t('staff.st.facility'), '   ',
          h('span', { class: 'key-dis' }, '■ '), t('staff.st.discrimination')),
        h('div', { class: 'chart-scroll' }, questionChart(qs))),
    ];
  }

  function render() {
    const title = data ? data.exam.title : '';
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#exams' }, t('staff.ex.title')), ' › ', title),
      h('div', { class: 'titlebar' }, h('h1', {}, t('staff.st.title')),
        h('div', { class: 'seg', role: 'group', 'aria-label': t('staff.st.which') },
          h('a', { class: 'btn' + (all ? '' : ' primary'), href: base, 'aria-current': all ? null : 'true',
            testid: 'st-first' }, t('staff.st.first')),
          h('a', { class: 'btn' + (all ? ' primary' : ''), href: base + '/all', 'aria-current': all ? 'true' : null,
            testid: 'st-all' }, t('staff.st.all')))),
      loadErr && note('err', loadErr(), 'st-load-error'),
      !data && !loadErr && h('p', { class: 'muted' }, t('staff.loading')),
      data && body());
  }

  render();
  api.get(api.url('/api/staff/exams/' + arg.id + '/stats', { attempts: all ? 'all' : null }))
    .then((r) => { data = r; }, (e) => { loadErr = () => errorText(e); })
    .then(render);
  return { render };
}
