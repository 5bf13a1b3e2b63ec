// classes.js — classes and their rosters. #classes lists the classes the
// user may see (a trainer: their own) and makes a new one; #class/ID shows
// one class: its members, the roster import (choose a CSV file, "Preview"
// sends it with dry_run=1 and shows every bad row by line or the people
// and logins it would make; "Import" is enabled only by a clean preview of
// that same file), and a password reset per member. The passwords of an
// import or a reset exist only in that reply: they are shown once and
// handed to the slips page (slips.js) through ctx.stash, never stored.
import { t, lang } from '../i18n.js';
import { h, fill, modal } from '../ui.js';
import * as api from './api.js';
import { errorText, note, field, select, table, dateTime, submitForm } from './common.js';
import { unitChoices } from './units.js';

const MAX_BYTES = 64 * 1024;

/* "1990-03-05" -> "05/03/1990" (how dates of birth are written here). */
export const birthText = (d) => (/^\d{4}-\d\d-\d\d$/.test(d || '') ? d.split('-').reverse().join('/') : d || '');

/* Remember passwords just issued for the slips page: login -> password. */
export function stashPasswords(ctx, classId, members) {
  const prev = ctx.stash.get('slips');
  const pw = prev && prev.classId === classId ? prev.passwords : {};
  for (const m of members) if (m.password) pw[m.login] = m.password;
  ctx.stash.set('slips', { classId, passwords: pw });
}

export function mount(root, ctx, arg) {
  return arg.id ? mountClass(root, ctx, arg.id) : mountList(root, ctx);
}

/* ---- the list ---- */

function mountList(root, ctx) {
  let list = null, units = [], loadErr = null, flash = null;
  const form = { name: '', unit: '' };
  const f = { errs: {}, formErr: null, busy: false };

  function render() {
    fill(root, h('h1', {}, t('staff.cls.title')),
      h('p', { class: 'muted' }, t(ctx.user.role === 'trainer' ? 'staff.cls.introOwn' : 'staff.cls.introAll')),
      flash && note(flash.kind, flash.text(), 'cls-flash'),
      loadErr && note('err', loadErr(), 'cls-load-error'),
      list === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading'))
        : list && (list.length ? classTable() : h('p', { class: 'empty', testid: 'cls-empty' }, t('staff.cls.none'))),
      createForm());
  }

  function classTable() {
    return table([t('staff.cls.name'), t('staff.cls.unit'), t('staff.cls.trainer'), t('staff.cls.members'),
      t('staff.cls.createdAt')],
    list.map((c) => h('tr', { testid: 'cls-row-' + c.id },
      h('td', {}, h('a', { href: '#class/' + c.id, testid: 'cls-open' }, c.name)),
      h('td', {}, c.unit ? c.unit.name : '—'),
      h('td', {}, c.trainer.name),
      h('td', { class: 'num', testid: 'cls-count' }, String(c.members)),
      h('td', { class: 'num' }, dateTime(c.created_ms)))),
    { testid: 'cls-table' });
  }

  function createForm() {
    return h('form', { class: 'card', testid: 'cls-form', onsubmit: (e) => { e.preventDefault(); create(); } },
      h('h2', {}, t('staff.cls.create')),
      f.formErr && note('err', f.formErr(), 'cls-form-error'),
      h('div', { class: 'cols' },
        field({ id: 'cl-name', label: t('staff.cls.name'), cls: 'grow', error: f.errs.name && f.errs.name(),
          hint: t('staff.cls.nameHint'),
          input: h('input', { value: form.name, testid: 'cls-name', autocomplete: 'off', maxLength: 200,
            oninput: (e) => { form.name = e.target.value; } }) }),
        field({ id: 'cl-unit', label: t('staff.cls.unit'), error: f.errs.unit && f.errs.unit(),
          input: select({ testid: 'cls-unit', onchange: (e) => { form.unit = e.target.value; } },
            [['', t('staff.cls.noUnit')], ...unitChoices(units)], form.unit) })),
      h('div', { class: 'row' },
        h('button', { class: 'btn primary', disabled: f.busy, testid: 'cls-submit' }, t('staff.cls.createBtn'))));
  }

  function create() {
    flash = null;
    return submitForm(f, {
      validate() {
        f.errs = {};
        const name = form.name.trim();
        if (!name) { f.errs.name = () => t('staff.required'); return null; }
        return { name, unit: form.unit ? Number(form.unit) : null };
      },
      send: (body) => api.post('/api/staff/classes', body),
      fields: { name: 'name', unit: 'unit' },
      ok(r) {
        form.name = '';
        ctx.say('ok', () => t('staff.cls.created'), 'class-flash');
        ctx.go('#class/' + r.id);
      },
      render,
      focusBad: () => root.querySelector('[aria-invalid=true]')?.focus(),
    });
  }

  async function load() {
    try {
      const [c, u] = await Promise.all([api.get('/api/staff/classes'), api.get('/api/staff/units')]);
      list = c.classes;
      units = u.units;
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render, dirty: () => !!form.name.trim() };
}

/* ---- one class ---- */

function mountClass(root, ctx, id) {
  let cls = null, members = null, loadErr = null, flash = ctx.flash;
  let exams = []; // scores: this class's exams, each a way to its results
  let file = null, busy = false, fileErr = null;
  // The last answer: {kind: 'preview'|'bad'|'done'|'fail', reply | e, file, bytes}
  let last = null;
  let issued = null; // {login, password, id}: the last reset, shown once
  ctx.flash = null;
  const input = h('input', { type: 'file', testid: 'roster-file', accept: '.csv,text/csv,text/plain',
    onchange: () => { file = input.files[0] || null; last = null; fileErr = null; render(); } });
  const fresh = () => last && last.kind === 'preview' && last.file === file;

  function render() {
    fill(root,
      h('p', { class: 'crumbs' }, h('a', { href: '#classes' }, t('staff.cls.title')), ' › '),
      h('div', { class: 'titlebar' }, h('h1', { testid: 'class-title' }, cls ? cls.name : t('staff.loading')),
        cls && members && members.length ? h('a', { class: 'btn', href: `#class/${id}/slips`, testid: 'class-slips' },
          t('staff.cls.slips')) : null),
      cls && h('p', { class: 'muted' }, [cls.unit ? t('staff.cls.inUnit', { unit: cls.unit.name }) : null,
        t('staff.cls.byTrainer', { name: cls.trainer.name })].filter(Boolean).join(' · ')),
      flash && note(flash.kind, flash.text(), flash.testid),
      loadErr && note('err', loadErr(), 'class-load-error'),
      exams.length > 0 && h('p', { class: 'links', testid: 'class-results' }, t('staff.cls.results') + ': ',
        exams.map((e) => h('a', { class: 'btn small', href: `#exams/${e.id}/results/${id}` }, e.title))),
      issued && resetNote(),
      rosterCard(),
      members && h('h2', {}, t('staff.cls.membersTitle', { n: members.length })),
      members && (members.length ? memberTable() : h('p', { class: 'empty', testid: 'class-empty' }, t('staff.cls.noMembers'))));
  }

  function memberTable() {
    return table([t('staff.cls.login'), t('staff.cls.fullName'), t('staff.cls.birth'), t('staff.cls.unit'),
      t('staff.cls.phone'), h('span', { class: 'sr' }, t('staff.actions'))],
    members.map((m) => h('tr', { testid: 'member-' + m.login },
      h('td', {}, h('code', {}, m.login)), h('td', {}, m.name), h('td', { class: 'num' }, birthText(m.birth_date)),
      h('td', {}, m.unit ? m.unit.name : '—'), h('td', {}, m.phone),
      h('td', { class: 'actions' }, h('button', { class: 'btn small danger', type: 'button', testid: 'reset-' + m.login,
        onclick: () => reset(m) }, t('staff.cls.reset'))))),
    { testid: 'members-table' });
  }

  function resetNote() {
    return h('div', { class: 'msg ok', role: 'status', testid: 'reset-done' },
      h('p', {}, t('staff.cls.resetDone', { login: issued.login })),
      h('p', { class: 'secret' }, t('staff.cls.password') + ': ', h('code', { testid: 'reset-password' }, issued.password)),
      h('p', {}, t('staff.cls.onlyOnce'), ' ',
        h('a', { class: 'btn small', href: `#class/${id}/slips/${issued.id}`, testid: 'reset-slip' }, t('staff.cls.printSlip'))));
  }

  function rosterCard() {
    return h('form', { class: 'card', testid: 'roster-form', onsubmit: (e) => { e.preventDefault(); send(true); } },
      h('h2', {}, t('staff.cls.rosterTitle')),
      h('p', { class: 'hint' }, t('staff.cls.rosterHint')),
      field({ id: 'roster-file', label: t('staff.cls.rosterFile'), input, error: fileErr && fileErr(),
        hint: file ? t('staff.imp.chosen', { name: file.name, kb: Math.ceil(file.size / 1024) }) : t('staff.cls.rosterFileHint') }),
      h('div', { class: 'row' },
        h('button', { class: 'btn', disabled: busy || !file, testid: 'roster-preview' }, t('staff.imp.preview')),
        h('button', { class: 'btn primary', type: 'button', disabled: busy || !fresh(), testid: 'roster-submit',
          onclick: () => send(false) }, t('staff.cls.importBtn')),
        busy && h('span', { class: 'muted', role: 'status' }, t(last && last.kind === 'preview' ? 'staff.cls.hashing' : 'staff.imp.busy')),
        !busy && file && !fresh() && !(last && last.kind === 'done') &&
          h('span', { class: 'muted', testid: 'roster-need-preview' }, t('staff.imp.needPreview'))),
      outcome());
  }

  function outcome() {
    if (!last) return null;
    if (last.kind === 'fail') return note('err', errorText(last.e), 'roster-error');
    if (last.kind === 'bad') {
      const issues = last.reply.issues || [];
      return h('section', { class: 'outcome', testid: 'roster-bad' },
        note('err', t('staff.cls.rosterBad', { n: issues.length || 1 }), 'roster-bad-summary'),
        table([t('staff.imp.line'), t('staff.imp.problem')], issues.map((i) => h('tr', { class: 'bad', testid: 'issue-line-' + i.line },
          h('td', { class: 'num', testid: 'issue-line' }, i.line ? String(i.line) : t('staff.imp.wholeFile')),
          h('td', { testid: 'issue-message' }, (lang() === 'vi' ? i.vi : i.en) || i.vi))), { class: 'grid issues', testid: 'roster-issues' }));
    }
    const r = last.reply, done = last.kind === 'done';
    return h('section', { class: 'outcome', testid: done ? 'roster-done' : 'roster-preview-ok' },
      last.error && note('err', errorText(last.error), 'roster-error'),
      note('ok', t(done ? 'staff.cls.rosterDone' : 'staff.cls.rosterClean', { n: r.added }), done ? 'roster-result' : 'roster-summary'),
      done && h('div', { class: 'msg warn', role: 'status' }, t('staff.cls.onlyOnce'), ' ',
        h('a', { class: 'btn small primary', href: `#class/${id}/slips`, testid: 'roster-slips' }, t('staff.cls.printSlips'))),
      table(['#', t('staff.imp.line'), t('staff.cls.fullName'), t('staff.cls.birth'), t('staff.cls.unit'), t('staff.cls.login'),
        done ? t('staff.cls.password') : null].filter(Boolean),
      r.members.map((m, i) => h('tr', { testid: 'roster-row' },
        h('td', { class: 'num' }, String(i + 1)), h('td', { class: 'num' }, String(m.line)), h('td', {}, m.name),
        h('td', { class: 'num' }, birthText(m.birth_date)), h('td', {}, m.unit ? m.unit.path : '—'),
        h('td', {}, h('code', { testid: 'roster-login' }, m.login)),
        done ? h('td', {}, h('code', {}, m.password)) : null)), { testid: 'roster-table' }));
  }

  async function send(dry) {
    if (!file) return;
    if (file.size > MAX_BYTES) { fileErr = () => t('staff.cls.tooBig'); return render(); }
    const chosen = file;
    let bytes = dry ? null : last.bytes;
    busy = true;
    render();
    try {
      if (dry) bytes = await file.arrayBuffer();
    } catch (e) {
      busy = false;
      fileErr = () => t('staff.imp.unreadable');
      last = null;
      return render();
    }
    try {
      const reply = await api.call('POST', `/api/staff/classes/${id}/roster?dry_run=${dry ? 1 : 0}`, bytes);
      last = { kind: dry ? 'preview' : 'done', reply, file: chosen, bytes };
      if (!dry) {
        stashPasswords(ctx, id, reply.members);
        await load();
      }
    } catch (e) {
      if (e.code === 'bad_import') last = { kind: 'bad', reply: e.body, e, file: chosen };
      else if (dry) last = { kind: 'fail', e };
      else last = Object.assign({}, last, { error: e });
    }
    busy = false;
    render();
    root.querySelector('.outcome')?.scrollIntoView({ block: 'nearest' });
  }

  async function reset(m) {
    const ok = await modal({ title: t('staff.cls.resetTitle', { name: m.name }), lines: [t('staff.cls.resetText', { login: m.login })],
      ok: t('staff.cls.reset'), okTestid: 'confirm-ok' });
    if (!ok) return;
    try {
      const r = await api.post(`/api/staff/classes/${id}/members/${m.id}/reset`);
      issued = { login: r.login, password: r.password, id: r.id };
      stashPasswords(ctx, id, [r]);
      flash = null;
    } catch (e) {
      flash = { kind: 'err', text: () => errorText(e), testid: 'class-flash' };
    }
    render();
    root.querySelector('[data-testid=reset-done], .msg')?.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    try {
      const [r, ex] = await Promise.all([api.get('/api/staff/classes/' + id), api.get('/api/staff/exams')]);
      exams = ex.exams.filter((e) => e.class === id);
      cls = r.class;
      members = r.members;
      loadErr = null;
    } catch (e) {
      loadErr = () => errorText(e);
    }
    render();
  }

  render();
  load();
  return { render, dirty: () => !!(last && last.kind === 'preview') };
}
