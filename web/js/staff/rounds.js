// rounds.js — a contest's round (docs/contests.md): the new-round form
// (#contest/3/round/new: publish.js's form plus round number, the
// prediction question, answers after the close and the prize table), and
// one round (#round/12): its window with the actions open now, close
// early and extend (each confirmed), its own settings, the ranking, the
// prize list and the results per unit with CSV / XLSX downloads, and
// publishing the results. The live monitor is monitor.js (#round/12/monitor).
import { t, num } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, check, table, dateTime, badge, submitForm, pager } from './common.js';
import { examForm } from './publish.js';

export function mount(root, ctx, arg) {
  return arg.contest ? newRound(root, ctx, arg.contest) : roundView(root, ctx, arg.id);
}

/* ---- pieces shared with contests.js ---- */

export const roundState = (s) => badge(t('staff.rd.state.' + s), s === 'open' ? 'open' : s === 'closed' ? 'off' : 'info',
  'rd-state');

export function windowText(r) {
  if (!r.opens_ms && !r.closes_ms) return t('staff.ex.always');
  return [r.opens_ms ? t('staff.ex.from', { at: dateTime(r.opens_ms) }) : null,
    r.closes_ms ? t('staff.ex.until', { at: dateTime(r.closes_ms) }) : null].filter(Boolean).join(' ');
}

/* Download links for one table. */
export function downloads(csv, xlsx, testid) {
  return h('span', { class: 'pbtns' },
    h('a', { class: 'btn small', href: csv, download: '', testid: testid + '-csv' }, t('staff.rd.csv')),
    h('a', { class: 'btn small', href: xlsx, download: '', testid: testid + '-xlsx' }, t('staff.rd.xlsx')));
}

const score = (x) => (x == null ? '–' : num(x));

/* The results per unit (GET …/units): participants against the target,
 * the average; the unit with the most participants and the one with the
 * best average are marked. */
export function unitResults(u, { heading, csv, xlsx, testid }) {
  const most = u.most && u.most.unit, best = u.best && u.best.unit;
  const rows = u.units.map((x) => h('tr', { class: x.unit === most || x.unit === best ? 'best' : '', testid: testid + '-' + x.unit },
    h('td', {}, x.name, ' ', x.unit === most && badge(t('staff.unit.most'), 'open'),
      ' ', x.unit === best && badge(t('staff.unit.best'), 'open')),
    h('td', { class: 'num' }, String(x.participants)),
    h('td', { class: 'num' }, x.target ? String(x.target) : '–'),
    h('td', { class: 'num' }, x.percent == null ? '–' : num(x.percent) + ' %'),
    h('td', { class: 'num' }, score(x.average))));
  if (u.no_unit && u.no_unit.participants) {
    rows.push(h('tr', { class: 'muted' }, h('td', {}, t('staff.unit.none')),
      h('td', { class: 'num' }, String(u.no_unit.participants)), h('td', {}, '–'), h('td', {}, '–'),
      h('td', { class: 'num' }, score(u.no_unit.average))));
  }
  return h('section', { class: 'card', testid },
    h('div', { class: 'titlebar' }, h('h2', {}, heading), downloads(csv, xlsx, testid)),
    u.most && h('p', {}, t('staff.unit.mostIs', { name: u.most.name, n: u.most.participants }),
      u.best ? ' · ' + t('staff.unit.bestIs', { name: u.best.name, avg: num(u.best.average) }) : ''),
    h('div', { class: 'scroll' }, table([t('staff.unit.name'), t('staff.unit.participants'), t('staff.unit.target'),
      t('staff.unit.percent'), t('staff.unit.average')], rows, { testid: testid + '-table', class: 'grid units' })));
}

/* The prize table editor: rows of name and count. m.prizes: [{name, count}]. */
function prizeEditor(m, err, render) {
  return h('fieldset', { class: m.prizeBad ? 'bad' : '' }, h('legend', {}, t('staff.rd.prizes')),
    h('p', { class: 'hint' }, t('staff.rd.prizesHint')),
    m.prizes.length > 0 && h('table', { class: 'grid prizes', testid: 'rd-prizes' },
      h('thead', {}, h('tr', {}, [t('staff.rd.prizeName'), t('staff.rd.prizeCount'), ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, m.prizes.map((p, i) => h('tr', {},
        h('td', {}, h('input', { value: p.name, maxLength: 100, testid: 'rd-prize-name-' + i,
          'aria-label': t('staff.rd.prizeNameN', { n: i + 1 }), oninput: (e) => { p.name = e.target.value; } })),
        h('td', { class: 'cnt' }, h('input', { type: 'number', min: 1, step: 1, value: p.count, class: 'count',
          testid: 'rd-prize-count-' + i, 'aria-label': t('staff.rd.prizeCountN', { n: i + 1 }),
          oninput: (e) => { p.count = e.target.value; } })),
        h('td', {}, h('button', { class: 'btn small', type: 'button', 'aria-label': t('staff.pub.removeN', { n: i + 1 }),
          onclick: () => { m.prizes.splice(i, 1); render(); } }, '✕')))))),
    h('div', { class: 'row' }, h('button', { class: 'btn small', type: 'button', testid: 'rd-prize-add',
      disabled: m.prizes.length >= 20,
      onclick: () => { m.prizes.push({ name: t('staff.rd.prizeN', { n: m.prizes.length + 1 }), count: '1' }); render(); } },
    t('staff.rd.prizeAdd'))),
    err('prizes') && h('p', { class: 'ferr', role: 'alert', testid: 'rd-prizes-error' }, err('prizes')));
}

/* The round's own switches (new round and edit). */
function roundChecks(m) {
  return h('div', { class: 'cols' },
    check({ id: 'r-pred', label: t('staff.rd.prediction'), checked: m.prediction, testid: 'rd-prediction',
      onchange: (e) => { m.prediction = e.target.checked; } }),
    check({ id: 'r-show', label: t('staff.rd.showAnswers'), checked: m.showAnswers, testid: 'rd-show-answers',
      onchange: (e) => { m.showAnswers = e.target.checked; } }));
}

/* The prizes of m as the request wants them, or null after fail(). */
function prizeBody(m, fail) {
  const out = m.prizes.map((p) => ({ name: p.name.trim(), count: /^\s*\d+\s*$/.test(p.count) ? Number(p.count) : NaN }));
  if (out.some((p) => !p.name || !(p.count >= 1 && p.count <= 10000))) fail('prizes', 'staff.rd.badPrize');
  return out;
}

function newRound(root, ctx, contest) {
  let title = '';
  api.get('/api/staff/contests/' + contest).then((r) => { title = r.contest.title; view.render(); }, () => {});
  const view = examForm(root, ctx, {
    crumbs: () => [h('a', { href: '#contests' }, t('staff.nav.contests')), ' › ',
      h('a', { href: '#contest/' + contest }, title || '…')],
    heading: () => t('staff.rd.newTitle'),
    cancel: '#contest/' + contest,
    nameKey: 'staff.rd.name',
    submitKey: 'staff.rd.create',
    extra: {
      model: { roundNo: '', prediction: false, showAnswers: false, prizes: [] },
      fields: { round_no: 'roundNo', prizes: 'prizes', prediction: 'prediction' },
      fieldsets: (m, err, render) => [
        h('fieldset', {}, h('legend', {}, t('staff.rd.extras')),
          field({ id: 'r-no', label: t('staff.rd.no'), hint: t('staff.rd.noHint'), error: err('roundNo'),
            input: h('input', { type: 'number', min: 1, step: 1, value: m.roundNo, testid: 'rd-no',
              oninput: (e) => { m.roundNo = e.target.value; } }) }),
          roundChecks(m)),
        prizeEditor(m, err, render)],
      validate: (m, fail) => {
        const no = String(m.roundNo).trim();
        if (no && !(/^\d+$/.test(no) && Number(no) >= 1 && Number(no) <= 1000)) fail('roundNo', 'staff.rd.badNo');
        return { ...(no ? { round_no: Number(no) } : {}), prediction: m.prediction, show_answers: m.showAnswers,
          prizes: prizeBody(m, fail) };
      },
    },
    send: (body) => api.post(`/api/staff/contests/${contest}/rounds`, body),
    ok: (r, body) => {
      ctx.say('ok', () => t('staff.rd.created', { n: r.round_no, title: body.title }), 'rd-flash');
      ctx.go('#round/' + r.id);
    },
  });
  return view;
}

/* ---- one round ---- */

const RK_PAGE = 200; // rows of the ranking a page (the server's default)

function roundView(root, ctx, id) {
  let r = null, loadErr = null, actErr = null, busy = false, editing = null;
  let ranking = null, prizes = null, units = null, again = 0, contestTitle = '';
  let rkOffset = 0; // the ranking's page (the server sends RK_PAGE rows at a time)
  const f = { errs: {}, formErr: null, busy: false };
  let flash = ctx.flash;
  ctx.flash = null;
  const base = '/api/staff/rounds/' + id;

  function render() {
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#contests' }, t('staff.nav.contests')), ' › ',
        r && h('a', { href: '#contest/' + r.contest }, contestTitle || t('staff.rd.contest')), r && ' › '),
      h('div', { class: 'titlebar' }, h('h1', { testid: 'rd-heading' },
        r ? t('staff.rd.heading', { n: r.round_no, title: r.title }) : t('staff.loading')),
      r && h('a', { class: 'btn primary', href: `#round/${id}/monitor`, testid: 'rd-monitor' }, t('staff.mon.open'))),
      flash && note(flash.kind, flash.text(), flash.testid),
      loadErr && note('err', loadErr(), 'rd-load-error'),
      actErr && note('err', actErr(), 'rd-action-error'),
      r && r.state === 'closed' && r.started > r.submitted && note('info', t('staff.rd.closing', { n: r.started - r.submitted }),
        'rd-closing'),
      r && summary(),
      r && (editing ? editForm() : null),
      ranking && rankingCard(),
      prizes && prizes.prizes.length > 0 && prizeCard(),
      units && unitResults(units, { heading: t('staff.unit.title'), csv: base + '/units?format=csv',
        xlsx: base + '/units?format=xlsx', testid: 'rd-units' }));
  }

  function summary() {
    return h('section', { class: 'card', testid: 'rd-summary' },
      h('div', { class: 'facts' },
        h('div', {}, h('span', { class: 'muted' }, t('staff.rd.state') + ' '), roundState(r.state)),
        h('div', { testid: 'rd-window' }, h('span', { class: 'muted' }, t('staff.ex.window') + ': '), windowText(r)),
        h('div', {}, t('staff.rd.facts', { q: r.questions, min: num(r.duration_s / 60), a: r.attempts })),
        h('div', {}, t('staff.rd.counts', { s: r.started, d: r.submitted })),
        h('div', {}, r.prediction ? t('staff.rd.withPrediction') : t('staff.rd.noPrediction'),
          ' · ', r.show_answers ? t('staff.rd.answersAfter') : t('staff.rd.scoreOnly')),
        r.published_ms ? h('div', { testid: 'rd-published' }, badge(t('staff.rd.published'), 'info'), ' ',
          dateTime(r.published_ms)) : null),
      h('div', { class: 'row' },
        r.state !== 'open' && h('button', { class: 'btn', type: 'button', disabled: busy, testid: 'rd-open',
          onclick: () => act('open', t('staff.rd.openQ'), [t('staff.rd.openText')]) },
        t(r.state === 'closed' ? 'staff.rd.reopen' : 'staff.rd.openNow')),
        r.state === 'open' && h('button', { class: 'btn', type: 'button', disabled: busy, testid: 'rd-close',
          onclick: () => act('close', t('staff.rd.closeQ'), [t('staff.rd.closeText', { n: r.started - r.submitted })]) },
        t('staff.rd.closeNow')),
        h('button', { class: 'btn', type: 'button', disabled: busy, testid: 'rd-extend', onclick: extend }, t('staff.rd.extend')),
        !editing && h('button', { class: 'btn', type: 'button', testid: 'rd-edit', onclick: startEdit }, t('staff.edit')),
        r.state === 'closed' && !r.published_ms && h('button', { class: 'btn primary', type: 'button', disabled: busy,
          testid: 'rd-publish', onclick: () => act('publish', t('staff.rd.publishQ'), [t('staff.rd.publishText')]) },
        t('staff.rd.publish')),
        r.published_ms ? h('button', { class: 'btn', type: 'button', disabled: busy, testid: 'rd-unpublish',
          onclick: () => act('unpublish', t('staff.rd.unpublishQ'), [t('staff.rd.unpublishText')]) }, t('staff.rd.unpublish')) : null,
        r.published_ms ? h('a', { href: '/results.html?round=' + id, target: '_blank', rel: 'noopener' }, t('staff.rd.publicPage'))
          : null));
  }

  /* A confirmed action: POST …/open, /close, /publish, /unpublish. */
  async function act(what, title, lines, body) {
    if (!(await modal({ title, lines, ok: t('staff.rd.confirm'), okTestid: 'rd-confirm' }))) return;
    busy = true;
    actErr = null;
    render();
    try {
      await api.post(`${base}/${what}`, body);
      flash = { kind: 'ok', text: () => t('staff.rd.done.' + what), testid: 'rd-flash' };
    } catch (e) {
      actErr = () => errorText(e);
    }
    busy = false;
    load();
  }

  /* Extend (or move) the closing time: a date and time in the dialog. */
  async function extend() {
    const now = Date.now(), from = Math.max(r.closes_ms || now, now) + 3600 * 1000;
    const local = new Date(from - new Date(from).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    const input = h('input', { type: 'datetime-local', value: local, id: 'rd-new-close', testid: 'rd-new-close' });
    const label = h('label', { for: 'rd-new-close' }, t('staff.rd.newClose'));
    const when = r.closes_ms ? t('staff.rd.closesNow', { at: dateTime(r.closes_ms) }) : t('staff.rd.noClose');
    if (!(await modal({ title: t('staff.rd.extendQ'), lines: [when, h('span', { class: 'field' }, label, input)],
      ok: t('staff.rd.extend'), okTestid: 'rd-confirm' }))) return;
    const ms = new Date(input.value).getTime();
    if (!(ms > 0)) { actErr = () => t('staff.rd.badClose'); return render(); }
    busy = true;
    actErr = null;
    render();
    try {
      await api.post(`${base}/window`, { closes_ms: ms });
      flash = { kind: 'ok', text: () => t('staff.rd.done.window', { at: dateTime(ms) }), testid: 'rd-flash' };
    } catch (e) {
      actErr = () => errorText(e);
    }
    busy = false;
    load();
  }

  function startEdit() {
    editing = { title: r.title, prediction: r.prediction, showAnswers: r.show_answers,
      prizes: r.prizes.map((p) => ({ name: p.name, count: String(p.count) })) };
    render();
  }

  function editForm() {
    const m = editing, err = (k) => f.errs[k] && f.errs[k]();
    return h('form', { class: 'card', onsubmit: save, novalidate: true, testid: 'rd-form' },
      h('h2', {}, t('staff.rd.editTitle')),
      f.formErr && note('err', f.formErr(), 'rd-error'),
      field({ id: 'r-title', label: t('staff.rd.name'), error: err('title'), cls: 'grow',
        input: h('input', { value: m.title, maxLength: 200, testid: 'rd-title', oninput: (e) => { m.title = e.target.value; } }) }),
      roundChecks(m),
      err('prediction') && h('p', { class: 'ferr', role: 'alert' }, err('prediction')),
      prizeEditor(m, err, render),
      h('p', { class: 'hint' }, t('staff.rd.frozen')),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: f.busy, testid: 'rd-save' }, t(f.busy ? 'staff.saving' : 'staff.save')),
        h('button', { class: 'btn', type: 'button', onclick: () => { editing = null; render(); } }, t('cancel'))));
  }

  function save(ev) {
    ev.preventDefault();
    return submitForm(f, { render, fields: { title: 'title', prizes: 'prizes', prediction: 'prediction' },
      validate: () => {
        f.errs = {};
        const fail = (k, key) => { if (!f.errs[k]) f.errs[k] = () => t(key); };
        if (!editing.title.trim()) fail('title', 'staff.required');
        const p = prizeBody(editing, fail);
        if (Object.keys(f.errs).length) return null;
        const body = { title: editing.title.trim(), show_answers: editing.showAnswers, prizes: p };
        if (editing.prediction !== r.prediction) body.prediction = editing.prediction;
        return body;
      },
      focusBad: () => { const x = root.querySelector('[aria-invalid=true], .ferr'); if (x && x.focus) x.focus(); },
      send: (body) => api.post(base, body),
      ok: () => { editing = null; flash = { kind: 'ok', text: () => t('staff.rd.saved'), testid: 'rd-flash' }; load(); } });
  }

  // "1–200 of 20,000" and prev/next, when the ranking has more than a page.
  function rankingPager() {
    const total = ranking.total, from = total ? ranking.offset + 1 : 0, to = ranking.offset + ranking.ranking.length;
    return total > ranking.limit && h('div', { class: 'pager' },
      h('span', { testid: 'rk-range', role: 'status' }, t('staff.rk.range', { from: num(from), to: num(to), total: num(total) })),
      pager(ranking.offset, ranking.limit, total, (d) => { rkOffset = Math.max(0, ranking.offset + d); loadRanking(); }));
  }

  async function loadRanking() {
    try {
      ranking = await api.get(`${base}/ranking?offset=${rkOffset}&limit=${RK_PAGE}`);
    } catch (e) {
      actErr = () => errorText(e);
    }
    render();
  }

  function rankingCard() {
    const pred = r.prediction;
    return h('section', { class: 'card', testid: 'rd-ranking' },
      h('div', { class: 'titlebar' }, h('h2', {}, ranking.final ? t('staff.rk.title') : t('staff.rk.provisional')),
        downloads(base + '/ranking?format=csv', base + '/ranking?format=xlsx', 'rd-ranking')),
      pred && ranking.actual != null && h('p', {}, t('staff.rk.actual', { n: ranking.actual })),
      ranking.ranking.length === 0 ? h('p', { testid: 'rk-empty' }, t('staff.rk.none'))
        : h('div', { class: 'scroll' }, table([t('staff.rk.rank'), t('staff.rk.name'), t('staff.unit.name'), t('staff.rk.score'),
          t('staff.rk.correct'), pred ? t('staff.rk.prediction') : null, pred ? t('staff.rk.diff') : null, t('staff.rk.time'),
          t('staff.rk.prize')].filter((x) => x !== null),
        ranking.ranking.map((x) => h('tr', { testid: 'rk-row' },
          h('td', { class: 'num' }, String(x.rank)),
          h('td', {}, x.name),
          h('td', {}, x.unit_name || '–'),
          h('td', { class: 'num' }, num(x.score)),
          h('td', { class: 'num' }, `${x.correct}/${x.total}`),
          pred && h('td', { class: 'num' }, x.prediction == null ? '–' : String(x.prediction)),
          pred && h('td', { class: 'num' }, x.diff == null ? '–' : String(x.diff)),
          h('td', { class: 'num' }, num(Math.round(x.time_ms / 100) / 10) + ' s'),
          h('td', {}, x.prize ? badge(x.prize, 'open') : ''))), { testid: 'rk-table' })),
      rankingPager());
  }

  function prizeCard() {
    return h('section', { class: 'card', testid: 'rd-prize-list' },
      h('div', { class: 'titlebar' }, h('h2', {}, t('staff.rd.prizeList')),
        downloads(base + '/prizes?format=csv', base + '/prizes?format=xlsx', 'rd-prize-list')),
      prizes.prizes.map((p) => h('div', { class: 'prize' },
        h('h3', {}, `${p.name} (${p.winners.length}/${p.count})`),
        p.winners.length ? h('ol', {}, p.winners.map((w) => h('li', { value: w.rank },
          `${w.name} — ${w.unit_name || t('staff.unit.none')} — ${num(w.score)}`)))
          : h('p', { class: 'muted' }, t('staff.rd.noWinner')))));
  }

  async function load() {
    try {
      r = (await api.get(base)).round;
      loadErr = null;
      if (!contestTitle) contestTitle = await api.get('/api/staff/contests/' + r.contest).then((x) => x.contest.title, () => '');
      [ranking, prizes, units] = await Promise.all([`ranking?offset=${rkOffset}&limit=${RK_PAGE}`, 'prizes', 'units']
        .map((x) => api.get(`${base}/${x}`).catch(() => null)));
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
    // Closed with attempts still running: they close at their deadline's
    // grace (docs/contests.md); look again until all are graded.
    clearTimeout(again);
    if (r && r.state === 'closed' && r.started > r.submitted && !editing) again = setTimeout(load, 2000);
  }

  render();
  load();
  return { render, dirty: () => !!editing, destroy: () => clearTimeout(again) };
}
