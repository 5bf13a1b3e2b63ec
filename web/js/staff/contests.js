// contests.js — the organiser's contests (docs/contests.md "The contest
// API"): the list with a form for a new one (#contests), and one contest
// (#contest/3): its details with an edit form, its rounds (state, window,
// started and submitted, published) with the way into a new round, and
// the contest's figures per unit (rounds.js draws that table).
import { t } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, check, table, dateTime, badge, submitForm } from './common.js';
import { unitResults, roundState, windowText } from './rounds.js';

export function mount(root, ctx, arg) {
  return arg.id ? contestView(root, ctx, arg.id) : contestList(root, ctx);
}

/* A contest's editable fields as a form: title, description, registration
 * (and archived for an existing one). f: {errs, formErr, busy}. */
function contestFields(m, f, { archived }) {
  const err = (k) => f.errs[k] && f.errs[k]();
  return [
    field({ id: 'c-title', label: t('staff.ct.name'), error: err('title'), cls: 'grow',
      input: h('input', { value: m.title, maxLength: 300, testid: 'ct-title', oninput: (e) => { m.title = e.target.value; } }) }),
    field({ id: 'c-desc', label: t('staff.ct.description'), error: err('description'),
      input: h('textarea', { rows: 3, value: m.description, maxLength: 4000, testid: 'ct-desc',
        oninput: (e) => { m.description = e.target.value; } }) }),
    h('div', { class: 'cols' },
      check({ id: 'c-reg', label: t('staff.ct.registration'), checked: m.open_registration, testid: 'ct-reg',
        onchange: (e) => { m.open_registration = e.target.checked; } }),
      archived && check({ id: 'c-arch', label: t('staff.ct.archived'), checked: m.archived, testid: 'ct-archived',
        onchange: (e) => { m.archived = e.target.checked; } })),
  ];
}

function contestBody(m, f) {
  f.errs = {};
  if (!m.title.trim()) f.errs.title = () => t('staff.required');
  if (Object.keys(f.errs).length) return null;
  return { title: m.title.trim(), description: m.description.trim(), open_registration: !!m.open_registration,
    ...(m.archived !== undefined ? { archived: !!m.archived } : {}) };
}

const CONTEST_FIELDS = { title: 'title', description: 'description' };

function contestList(root, ctx) {
  let list = null, loadErr = null, adding = false, archived = false;
  const m = { title: '', description: '', open_registration: false };
  const f = { errs: {}, formErr: null, busy: false };
  const flash = ctx.flash;
  ctx.flash = null;

  function render() {
    fill(root,
      h('div', { class: 'titlebar' }, h('h1', {}, t('staff.ct.title')),
        !adding && h('button', { class: 'btn primary', type: 'button', testid: 'ct-new',
          onclick: () => { adding = true; render(); root.querySelector('#c-title').focus(); } }, t('staff.ct.new'))),
      flash && note(flash.kind, flash.text(), flash.testid),
      adding && h('form', { class: 'card', onsubmit: create, novalidate: true, testid: 'ct-form' },
        h('h2', {}, t('staff.ct.newTitle')),
        f.formErr && note('err', f.formErr(), 'ct-error'),
        contestFields(m, f, {}),
        h('div', { class: 'row' },
          h('button', { class: 'btn primary', disabled: f.busy, testid: 'ct-save' }, t(f.busy ? 'staff.saving' : 'staff.ct.create')),
          h('button', { class: 'btn', type: 'button', onclick: () => { adding = false; render(); } }, t('cancel')))),
      check({ id: 'c-show-arch', label: t('staff.ct.showArchived'), checked: archived,
        onchange: (e) => { archived = e.target.checked; load(); } }),
      loadErr && note('err', loadErr(), 'ct-load-error'),
      list === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading'))
        : list && (list.length ? listTable() : h('p', { testid: 'ct-empty' }, t('staff.ct.none'))));
  }

  function listTable() {
    return h('div', { class: 'scroll' }, table([t('staff.ct.name'), t('staff.ct.rounds'), t('staff.ct.registration'), t('staff.ct.created')],
      list.map((c) => h('tr', { testid: 'ct-row-' + c.id },
        h('td', {}, h('a', { href: '#contest/' + c.id, testid: 'ct-link' }, c.title), ' ',
          c.archived && badge(t('staff.ct.archivedBadge'), 'off')),
        h('td', { class: 'num' }, String(c.rounds)),
        h('td', {}, c.open_registration ? t('staff.yes') : t('staff.no')),
        h('td', {}, dateTime(c.created_ms)))),
      { testid: 'ct-table' }));
  }

  function create(ev) {
    ev.preventDefault();
    return submitForm(f, { validate: () => contestBody(m, f), render, fields: CONTEST_FIELDS,
      focusBad: () => { const x = root.querySelector('[aria-invalid=true]'); if (x) x.focus(); },
      send: (body) => api.post('/api/staff/contests', body),
      ok: (r) => { m.title = ''; ctx.go('#contest/' + r.id); } });
  }

  async function load() {
    try {
      list = (await api.get(api.url('/api/staff/contests', { archived: archived ? 1 : '' }))).contests;
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render, dirty: () => adding && !!m.title.trim() };
}

function contestView(root, ctx, id) {
  let data = null, units = null, loadErr = null, editing = null;
  const f = { errs: {}, formErr: null, busy: false };
  const flash = ctx.flash;
  ctx.flash = null;

  function render() {
    const c = data && data.contest;
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#contests' }, t('staff.nav.contests')), ' › '),
      h('div', { class: 'titlebar' }, h('h1', { testid: 'ct-heading' }, c ? c.title : t('staff.loading')),
        c && !editing && h('button', { class: 'btn', type: 'button', testid: 'ct-edit',
          onclick: () => { editing = { title: c.title, description: c.description, open_registration: c.open_registration,
            archived: c.archived }; render(); } }, t('staff.edit'))),
      flash && note(flash.kind, flash.text(), flash.testid),
      loadErr && note('err', loadErr(), 'ct-load-error'),
      c && !editing && c.description && h('p', { class: 'lead' }, c.description),
      c && !editing && h('p', { class: 'muted' }, c.open_registration ? t('staff.ct.regOpen') : t('staff.ct.regClosed')),
      editing && h('form', { class: 'card', onsubmit: save, novalidate: true, testid: 'ct-form' },
        f.formErr && note('err', f.formErr(), 'ct-error'),
        contestFields(editing, f, { archived: true }),
        h('div', { class: 'row' },
          h('button', { class: 'btn primary', disabled: f.busy, testid: 'ct-save' }, t(f.busy ? 'staff.saving' : 'staff.save')),
          h('button', { class: 'btn', type: 'button', onclick: () => { editing = null; render(); } }, t('cancel')))),
      data && h('div', { class: 'titlebar' }, h('h2', {}, t('staff.rd.title')),
        h('a', { class: 'btn primary', href: `#contest/${id}/round/new`, testid: 'rd-new' }, t('staff.rd.new'))),
      data && (data.rounds.length ? roundTable() : h('p', { testid: 'rd-empty' }, t('staff.rd.none'))),
      data && data.rounds.length > 0 && units && unitResults(units, {
        heading: t('staff.unit.contestTitle'), csv: `/api/staff/contests/${id}/units?format=csv`,
        xlsx: `/api/staff/contests/${id}/units?format=xlsx`, testid: 'ct-units' }));
  }

  function roundTable() {
    return h('div', { class: 'scroll' }, table(['#', t('staff.rd.name'), t('staff.rd.state'), t('staff.ex.window'), t('staff.ex.duration'),
      t('staff.ex.questions'), t('staff.ex.started'), t('staff.ex.submitted'), t('staff.rd.results')],
    data.rounds.map((r) => h('tr', { testid: 'rd-row-' + r.id },
      h('td', { class: 'num' }, String(r.round_no)),
      h('td', {}, h('a', { href: '#round/' + r.id, testid: 'rd-link' }, r.title)),
      h('td', {}, roundState(r.state)),
      h('td', {}, windowText(r)),
      h('td', { class: 'num' }, t('staff.ex.minutes', { n: r.duration_s / 60 })),
      h('td', { class: 'num' }, String(r.questions)),
      h('td', { class: 'num' }, String(r.started)),
      h('td', { class: 'num' }, String(r.submitted)),
      h('td', {}, r.published_ms ? badge(t('staff.rd.published'), 'info') : '–'))),
    { testid: 'rd-table' }));
  }

  function save(ev) {
    ev.preventDefault();
    return submitForm(f, { validate: () => contestBody(editing, f), render, fields: CONTEST_FIELDS,
      focusBad: () => { const x = root.querySelector('[aria-invalid=true]'); if (x) x.focus(); },
      send: (body) => api.post('/api/staff/contests/' + id, body),
      ok: () => { editing = null; load(); } });
  }

  async function load() {
    try {
      data = await api.get('/api/staff/contests/' + id);
      loadErr = null;
      if (data.rounds.length) units = await api.get(`/api/staff/contests/${id}/units`).catch(() => null);
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render, dirty: () => !!editing };
}
