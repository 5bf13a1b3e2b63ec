// exams.js — the published exams: title, number of questions, duration,
// attempts allowed, review policy, opening window, and how many attempts
// were started and submitted; the way into publishing a new one, into an
// exam's item statistics (stats.js) and (for organisers and admins) into
// its join codes (codes.js, shown here).
import { t, num } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, table, dateTime } from './common.js';
import * as codes from './codes.js';
import { downloadButtons, KINDS } from './download.js';

export function mount(root, ctx) {
  let list = null, loadErr = null, sub = null; // sub: the codes view on screen
  const exporting = new Set(); // exams whose export panel is open
  const joins = ctx.user && ['organiser', 'admin'].includes(ctx.user.role);
  const flash = ctx.flash, fresh = ctx.stash.get('published');
  ctx.flash = null;
  ctx.stash.delete('published');

  function render() {
    if (sub) return sub.render();
    fill(root, h('div', { class: 'titlebar' }, h('h1', {}, t('staff.ex.title')),
      h('a', { class: 'btn primary', href: '#exams/new', testid: 'ex-new' }, t('staff.ex.new'))),
    flash && note(flash.kind, flash.text(), flash.testid),
    loadErr && note('err', loadErr(), 'ex-load-error'),
    list === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading'))
      : list && (list.length ? examTable() : h('p', { testid: 'ex-empty' }, t('staff.ex.none'))));
  }

  function when(e) {
    if (!e.opens_ms && !e.closes_ms) return t('staff.ex.always');
    return [e.opens_ms ? t('staff.ex.from', { at: dateTime(e.opens_ms) }) : null,
      e.closes_ms ? t('staff.ex.until', { at: dateTime(e.closes_ms) }) : null].filter(Boolean).join(' ');
  }

  function examTable() {
    return table(['#', t('staff.ex.name'), t('staff.ex.questions'), t('staff.ex.duration'), t('staff.ex.attempts'),
      t('staff.ex.review'), t('staff.ex.window'), t('staff.ex.started'), t('staff.ex.submitted'), t('staff.dl.title'), ''],
    list.flatMap((e) => [h('tr', { testid: 'ex-row-' + e.id, class: e.id === fresh ? 'fresh' : '' },
      h('td', { class: 'num' }, String(e.id)),
      h('td', { testid: 'ex-title' }, /* scores: the title opens the class table */
        h('a', { href: `#exams/${e.id}/results`, testid: 'ex-results', title: t('staff.ex.results') }, e.title)),
      h('td', { class: 'num' }, String(e.questions)),
      h('td', { class: 'num' }, t('staff.ex.minutes', { n: num(e.duration_s / 60) })),
      h('td', { class: 'num' }, String(e.attempts)),
      h('td', {}, t('staff.review.' + e.review)),
      h('td', {}, when(e)),
      h('td', { class: 'num' }, String(e.started)),
      h('td', { class: 'num' }, String(e.submitted)),
      h('td', {}, exportCell(e)),
      h('td', { class: 'actions' }, h('a', { class: 'btn', href: '#exams/' + e.id + '/stats', testid: 'ex-stats' },
        t('staff.st.link')),
      joins && h('button', { class: 'btn', type: 'button', testid: 'ex-codes', onclick: () => openCodes(e) },
        t('staff.codes.title')))), exporting.has(e.id) && exportRow(e, 11)]),
    { testid: 'ex-table' });
  }

  // the exports of e (download.js): a button here, a panel in a row below
  function exportCell(e) {
    const open = exporting.has(e.id);
    return h('button', { class: 'btn small', type: 'button', testid: 'ex-export', 'aria-expanded': String(open),
      onclick: () => { if (open) exporting.delete(e.id); else exporting.add(e.id); render(); } }, t('staff.dl.title'));
  }

  function exportRow(e, span) {
    return h('tr', { class: 'dl-row', testid: 'ex-export-' + e.id }, h('td', { colspan: span },
      h('div', { class: 'dl-panel' }, KINDS.map((k) => downloadButtons(e.id, k)),
        h('a', { class: 'dl-print', href: `print.html?exam=${e.id}`, target: '_blank', rel: 'noopener', testid: 'ex-print' },
          t('staff.dl.print')))));
  }

  function openCodes(e) {
    sub = codes.mount(root, ctx, { exam: e, close: () => { sub = null; render(); scrollTo(0, 0); } });
  }

  async function load() {
    try {
      list = (await api.get('/api/staff/exams')).exams;
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render };
}
