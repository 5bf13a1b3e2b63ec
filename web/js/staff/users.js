// users.js — accounts (admin only): staff and candidates by id, filtered
// by role and a search (accent-insensitive, done by the server), pages of
// 50; add a staff account; disable or enable one (disabling ends their
// sessions at once); set a new password. Field errors from the server go
// next to the field; nothing typed is lost on an error.
import { t } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { STAFF_ROLES, errorText, note, field, select, submitForm, badge, table, pager as pageButtons } from './common.js';
import { unitChoices } from './units.js';

const PAGE = 50;
const FILTER_ROLES = ['staff', 'candidate', ...STAFF_ROLES];
const NEW_ROLES = ['trainer', 'organiser', 'admin'];
const PW_MIN = 8;

export function mount(root, ctx) {
  const st = ctx.lists.get('users') || { q: '', role: '', offset: 0 };
  ctx.lists.set('users', st);
  let page = null, units = [], loadErr = null, flash = null, fresh = 0, seq = 0, timer = 0;
  const form = { username: '', name: '', role: 'trainer', unit: '', password: '', confirm: '' };
  const f = { errs: {}, formErr: null, busy: false };
  const pw = { user: null, password: '', confirm: '' }; // the open "new password" row
  const pf = { errs: {}, formErr: null, busy: false };
  let search; // the search <input>, kept across renders (focus, caret)

  function render() {
    const active = document.activeElement === search;
    search = search || h('input', { type: 'search', id: 'us', testid: 'users-search', value: st.q, autocomplete: 'off',
      oninput: (e) => { st.q = e.target.value; st.offset = 0; clearTimeout(timer); timer = setTimeout(load, 300); } });
    search.placeholder = t('staff.users.searchHint');
    fill(root, h('div', { class: 'titlebar' }, h('h1', {}, t('staff.users.title')),
      h('button', { class: 'btn primary', type: 'button', testid: 'users-new', onclick: toForm }, '+ ' + t('staff.users.add'))),
      h('p', { class: 'muted' }, t('staff.users.intro')),
      flash && note(flash.kind, flash.text(), 'users-flash'),
      loadErr && note('err', loadErr(), 'users-load-error'),
      filters(), results(), addForm());
    if (active) search.focus();
  }

  /* The add form is under the page of users: bring it up. */
  function toForm() {
    const first = root.querySelector('#nu-username');
    first.scrollIntoView({ block: 'center' });
    first.focus({ preventScroll: true });
  }

  function filters() {
    return h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); load(); } },
      h('div', { class: 'field grow' }, h('label', { for: 'us' }, t('staff.users.search')), search),
      h('div', { class: 'field' }, h('label', { for: 'ur' }, t('staff.users.role')),
        select({ id: 'ur', testid: 'users-role', onchange: (e) => { st.role = e.target.value; st.offset = 0; load(); } },
          [['', t('staff.users.allRoles')], ...FILTER_ROLES.map((r) => [r, t('staff.users.roles.' + r)])], st.role)));
  }

  function results() {
    if (!page) return !loadErr && h('p', { class: 'muted' }, t('staff.loading'));
    const from = page.total ? st.offset + 1 : 0, to = Math.min(st.offset + PAGE, page.total);
    return [
      h('div', { class: 'pager' },
        h('span', { testid: 'users-count', role: 'status' }, page.total ? t('staff.users.range', { from, to, total: page.total }) : ''),
        pager()),
      page.users.length
        ? table([t('staff.users.username'), t('staff.users.name'), t('staff.users.role'), t('staff.users.unit'),
          t('staff.users.state'), h('span', { class: 'sr' }, t('staff.actions'))], page.users.flatMap(rows),
        { class: 'grid utable', testid: 'users-table' })
        : h('p', { class: 'empty', testid: 'users-empty' }, t(st.q || st.role ? 'staff.users.noMatch' : 'staff.users.none')),
      page.total > PAGE && h('div', { class: 'pager end' }, pager())];
  }

  function pager() {
    return pageButtons(st.offset, PAGE, page.total, (d) => { st.offset = Math.max(0, st.offset + d); load(); });
  }

  /* A user's row, and under it the new password form when it is open. */
  function rows(u) {
    const me = u.id === ctx.user.id || u.username === ctx.user.username;
    const tr = h('tr', { testid: 'user-row-' + u.username, class: (u.disabled ? 'retired' : '') + (u.id === fresh ? ' fresh' : '') },
      h('td', {}, h('code', {}, u.username)),
      h('td', {}, u.name),
      h('td', {}, t('staff.users.roles.' + u.role)),
      h('td', {}, u.unit || h('span', { class: 'muted' }, '—')),
      h('td', { testid: 'user-state' }, u.disabled ? badge(t('staff.users.disabled'), 'off', 'user-disabled')
        : u.locked ? badge(t('staff.users.locked'), 'used', 'user-locked') : badge(t('staff.users.active'), 'info')),
      h('td', { class: 'actions' },
        h('button', { class: 'btn small', type: 'button', testid: 'user-passwd-' + u.username, 'aria-expanded': pw.user === u ? 'true' : 'false',
          onclick: () => openPw(u) }, t('staff.users.passwd')),
        u.disabled
          ? h('button', { class: 'btn small', type: 'button', testid: 'user-enable-' + u.username, onclick: () => toggle(u, 'enable') },
            t('staff.users.enable'))
          : !me && h('button', { class: 'btn small danger', type: 'button', testid: 'user-disable-' + u.username,
            onclick: () => toggle(u, 'disable') }, t('staff.users.disable'))));
    if (!pw.user || pw.user.id !== u.id) return [tr];
    return [tr, h('tr', { class: 'pwrow' }, h('td', { colspan: 6 }, pwForm(u)))];
  }

  function pwForm(u) {
    return h('form', { class: 'pwform', testid: 'passwd-form', onsubmit: (e) => { e.preventDefault(); setPw(u); } },
      h('h2', {}, t('staff.users.passwdFor', { user: u.username })),
      pf.formErr && note('err', pf.formErr(), 'passwd-form-error'),
      h('div', { class: 'cols' },
        field({ id: 'pw-new', label: t('staff.users.password'), hint: t('staff.users.passwordHint'), error: pf.errs.password && pf.errs.password(),
          input: h('input', { type: 'password', value: pw.password, autocomplete: 'new-password', testid: 'passwd-password',
            oninput: (e) => { pw.password = e.target.value; } }) }),
        field({ id: 'pw-again', label: t('staff.users.confirm'), error: pf.errs.confirm && pf.errs.confirm(),
          input: h('input', { type: 'password', value: pw.confirm, autocomplete: 'new-password', testid: 'passwd-confirm',
            oninput: (e) => { pw.confirm = e.target.value; } }) })),
      h('p', { class: 'hint' }, t('staff.users.passwdEnds')),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: pf.busy, testid: 'passwd-submit' }, t('staff.users.passwdSave')),
        h('button', { class: 'btn', type: 'button', testid: 'passwd-cancel', onclick: () => { Object.assign(pw, { user: null, password: '', confirm: '' }); render(); } }, t('cancel'))));
  }

  function openPw(u) {
    Object.assign(pw, { user: pw.user && pw.user.id === u.id ? null : u, password: '', confirm: '' });
    Object.assign(pf, { errs: {}, formErr: null });
    render();
    root.querySelector('#pw-new')?.focus();
  }

  /* Client checks shared by both forms: errs gets password / confirm. */
  function checkPw(errs, p, again) {
    if (!p) errs.password = () => t('staff.required');
    else if (new TextEncoder().encode(p).length < PW_MIN) errs.password = () => t('staff.users.passwordShort', { n: PW_MIN });
    if (p && again !== p) errs.confirm = () => t('staff.users.confirmBad');
  }

  function setPw(u) {
    flash = null;
    return submitForm(pf, {
      validate() {
        pf.errs = {};
        checkPw(pf.errs, pw.password, pw.confirm);
        return Object.keys(pf.errs).length ? null : { password: pw.password };
      },
      send: (body) => api.post(`/api/staff/users/${u.id}/passwd`, body),
      fields: { password: 'password' },
      ok() {
        flash = { kind: 'ok', text: () => t('staff.users.passwdDone', { user: u.username }) };
        Object.assign(pw, { user: null, password: '', confirm: '' });
        load();
      },
      render,
      focusBad: () => root.querySelector('.pwform [aria-invalid=true], .pwform .msg.err')?.focus(),
    });
  }

  async function toggle(u, verb) {
    const ok = await modal({ title: t(`staff.users.${verb}Title`, { user: u.username }),
      lines: [t(`staff.users.${verb}Text`, { name: u.name })], ok: t('staff.users.' + verb), okTestid: 'confirm-ok' });
    if (!ok) return;
    fresh = 0;
    try {
      await api.post(`/api/staff/users/${u.id}/${verb}`);
      flash = { kind: 'ok', text: () => t(`staff.users.${verb}Done`, { user: u.username }) };
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e) };
    }
    load();
  }

  function addForm() {
    const input = (k, props) => h('input', Object.assign({ value: form[k], testid: 'new-' + k,
      oninput: (e) => { form[k] = e.target.value; } }, props));
    return h('form', { class: 'card', testid: 'user-form', onsubmit: (e) => { e.preventDefault(); add(); } },
      h('h2', {}, t('staff.users.add')),
      h('p', { class: 'muted' }, t('staff.users.addIntro')),
      f.formErr && note('err', f.formErr(), 'user-form-error'),
      h('div', { class: 'cols' },
        field({ id: 'nu-username', label: t('staff.users.username'), hint: t('staff.users.usernameHint'),
          error: f.errs.username && f.errs.username(), input: input('username', { autocomplete: 'off', maxLength: 63, spellcheck: false }) }),
        field({ id: 'nu-name', label: t('staff.users.name'), cls: 'grow', error: f.errs.name && f.errs.name(),
          input: input('name', { autocomplete: 'off', maxLength: 127 }) })),
      h('div', { class: 'cols' },
        field({ id: 'nu-role', label: t('staff.users.role'), error: f.errs.role && f.errs.role(),
          input: select({ testid: 'new-role', onchange: (e) => { form.role = e.target.value; } },
            NEW_ROLES.map((r) => [r, t('staff.users.roles.' + r)]), form.role) }),
        field({ id: 'nu-unit', label: t('staff.users.unit'), cls: 'grow', error: f.errs.unit && f.errs.unit(),
          input: select({ testid: 'new-unit', onchange: (e) => { form.unit = e.target.value; } },
            [['', t('staff.users.noUnit')], ...unitChoices(units)], form.unit) })),
      h('div', { class: 'cols' },
        field({ id: 'nu-password', label: t('staff.users.password'), hint: t('staff.users.passwordHint'),
          error: f.errs.password && f.errs.password(), input: input('password', { type: 'password', autocomplete: 'new-password' }) }),
        field({ id: 'nu-confirm', label: t('staff.users.confirm'), error: f.errs.confirm && f.errs.confirm(),
          input: input('confirm', { type: 'password', autocomplete: 'new-password' }) })),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: f.busy, testid: 'new-submit' }, t('staff.users.addBtn'))));
  }

  function add() {
    flash = null;
    return submitForm(f, {
      validate() {
        f.errs = {};
        const username = form.username.trim(), name = form.name.trim();
        if (!username) f.errs.username = () => t('staff.required');
        if (!name) f.errs.name = () => t('staff.required');
        checkPw(f.errs, form.password, form.confirm);
        if (Object.keys(f.errs).length) return null;
        return { username, name, role: form.role, unit: form.unit ? Number(form.unit) : null, password: form.password };
      },
      send: (body) => api.post('/api/staff/users', body),
      fields: { username: 'username', name: 'name', role: 'role', unit: 'unit', password: 'password' },
      ok(r, body) {
        flash = { kind: 'ok', text: () => t('staff.users.added', { user: body.username }) };
        fresh = r.id;
        Object.assign(form, { username: '', name: '', unit: '', password: '', confirm: '' });
        load();
      },
      render,
      focusBad: () => root.querySelector('#nu-username[aria-invalid=true], .card [aria-invalid=true], .card .msg.err')?.focus(),
    });
  }

  async function load() {
    const my = ++seq;
    try {
      const r = await api.get(api.url('/api/staff/users', { role: st.role, q: st.q.trim(), offset: st.offset, limit: PAGE }));
      if (my !== seq) return;
      if (st.offset && st.offset >= r.total) { st.offset = Math.max(0, Math.floor((r.total - 1) / PAGE) * PAGE); return load(); }
      page = r;
      if (pw.user && !r.users.some((u) => u.id === pw.user.id)) pw.user = null;
      loadErr = null;
    } catch (e) {
      if (my !== seq) return;
      loadErr = () => errorText(e);
    }
    render();
  }

  async function loadUnits() {
    try {
      units = (await api.get('/api/staff/units')).units;
      render();
    } catch (e) { /* the unit stays "none"; the list shows its own error */ }
  }

  render();
  load();
  loadUnits();
  return {
    render,
    destroy: () => clearTimeout(timer),
    dirty: () => !!(form.username.trim() || form.name.trim() || form.password || pw.password),
  };
}
