// login.js — staff log in with POST /api/login (docs/protocol.md section
// 1). A candidate's account is refused here: the session just made is
// ended again and the person is told this console is for staff. Also
// shown over a screen whose session ended while it held unsaved input
// (arg.again): that screen stays, to be saved once logged in again.
import { t } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { STAFF_ROLES, errorText, note, field } from './common.js';

export function mount(root, ctx, arg) {
  // What is shown above the form: () => text, or null.
  let err = arg.again ? () => t('staff.login.again') : arg.expired ? () => t('staff.login.expired')
    : arg.candidate ? () => t('staff.login.candidate')
    : arg.offline ? () => t('staff.err.network') : null;
  let busy = false, user, pass;

  function render() {
    user = h('input', { testid: 'login-username', autocomplete: 'username', autocapitalize: 'none',
      spellcheck: false, required: true, value: user ? user.value : arg.username || '' });
    pass = h('input', { type: 'password', testid: 'login-password', autocomplete: 'current-password',
      required: true, value: pass ? pass.value : '' });
    fill(root, h('form', { class: 'card login', onsubmit: submit },
      h('h1', {}, t('staff.login.title')),
      h('p', { class: 'muted' }, t('staff.login.intro')),
      err && note('err', err(), 'login-error'),
      field({ id: 'lu', label: t('login.username'), input: user }),
      field({ id: 'lp', label: t('login.password'), input: pass }),
      h('button', { class: 'btn primary', testid: 'login-submit', disabled: busy }, t('login.submit')),
      !arg.again && h('p', { class: 'muted small' }, h('a', { href: '/' }, t('staff.login.toCandidate')))));
  }

  async function submit(ev) {
    ev.preventDefault();
    busy = true;
    render();
    try {
      const r = await api.post('/api/login', { username: user.value.trim(), password: pass.value });
      if (STAFF_ROLES.includes(r.user.role)) return ctx.loggedIn(r.user);
      try { await fetch('/api/logout', { method: 'POST' }); } catch (e) { /* the cookie just stays */ }
      err = () => t('staff.login.candidate');
    } catch (e) {
      err = e.code === 'bad_credentials' ? () => t('err.bad_credentials') : () => errorText(e);
    }
    busy = false;
    pass.value = '';
    render();
    pass.focus();
  }

  render();
  if (!arg.expired && !arg.candidate) user.focus();
  if (arg.again) (arg.username ? pass : user).focus();
  return { render };
}
