// login.js — username + password, POST /api/login. The session cookie is
// HttpOnly, so success is all we learn; main then opens the socket.
import { t, has } from './i18n.js';
import { h, fill } from './ui.js';

export function mount(root, ctx, arg) {
  let err = arg.expired ? 'login.expired' : null; // i18n key of the message shown
  let busy = false, user, pass;
  // A credential slip's QR code opens /?u=LOGIN: the login is filled in.
  const given = new URLSearchParams(location.search).get('u') || '';

  function render() {
    user = h('input', { id: 'lu', testid: 'login-username', autocomplete: 'username', autocapitalize: 'none',
      spellcheck: false, required: true, value: user ? user.value : given });
    pass = h('input', { id: 'lp', type: 'password', testid: 'login-password', autocomplete: 'current-password',
      required: true, value: pass ? pass.value : '' });
    fill(root, h('form', { class: 'card login', onsubmit: submit },
      h('h1', {}, t('login.title')),
      err && h('p', { class: 'msg err', role: 'alert', testid: 'login-error' }, t(err)),
      h('label', { for: 'lu' }, t('login.username')), user,
      h('label', { for: 'lp' }, t('login.password')), pass,
      h('button', { class: 'btn primary wide', testid: 'login-submit', disabled: busy }, t('login.submit'))));
  }

  async function submit(ev) {
    ev.preventDefault();
    busy = true;
    render();
    let r = null, body = {};
    try {
      r = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: user.value.trim(), password: pass.value }) });
      body = await r.json().catch(() => ({}));
    } catch (e) { /* r stays null: network */ }
    // 503 busy: retry in 2-5 s
    if (r && r.status == 503) return setTimeout(submit, 2e3 + Math.random() * 3e3, ev);
    busy = false;
    if (r && r.ok) return ctx.loggedIn(body.user);
    err = r ? 'err.' + (body.code || (r.status === 401 ? 'bad_credentials' : 'unknown')) : 'err.network';
    if (!has(err)) err = 'err.unknown';
    pass.value = '';
    render();
    pass.focus();
  }

  render();
  if (given) pass.focus();
  return { render };
}
