// slips.js — the credential slips of a class, to print and cut: one per
// candidate with the name, date of birth, unit, login, password, the login
// link and its QR code (drawn by the server as SVG). Ten to an A4 page
// (print CSS in staff.css). The server never keeps a password: the ones
// shown here come from the import or reset reply this tab received
// (ctx.stash 'slips'); a slip without one gets a blank to fill in by hand,
// and the page says so.
import { t } from '../i18n.js';
import { h, fill } from '../ui.js';
import * as api from './api.js';
import { errorText, note } from './common.js';
import { birthText } from './classes.js';

/* An SVG document from the server as a node (no innerHTML: the markup is
 * parsed as SVG, so nothing in it can run). */
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const el = doc.documentElement;
  if (el.nodeName !== 'svg' || doc.querySelector('parsererror')) return null;
  const node = document.importNode(el, true);
  node.setAttribute('role', 'img');
  return node;
}

export function mount(root, ctx, arg) {
  let reply = null, loadErr = null;
  const kept = ctx.stash.get('slips');
  const passwords = kept && kept.classId === arg.id ? kept.passwords : {};

  function render() {
    const slips = reply ? reply.slips : [];
    const known = slips.filter((s) => passwords[s.login]).length;
    fill(root,
      h('div', { class: 'noprint' },
        h('p', { class: 'crumbs' }, h('a', { href: '#classes' }, t('staff.cls.title')), ' › ',
          h('a', { href: '#class/' + arg.id }, reply ? reply.class.name : '…'), ' › '),
        h('div', { class: 'titlebar' }, h('h1', {}, t('staff.slips.title')),
          reply && h('button', { class: 'btn primary', type: 'button', testid: 'slips-print', onclick: () => print() },
            t('staff.slips.print'))),
        loadErr && note('err', loadErr(), 'slips-error'),
        reply && (known === slips.length
          ? note('warn', t('staff.slips.once'), 'slips-once')
          : note('warn', known ? t('staff.slips.some', { n: known, total: slips.length }) : t('staff.slips.none'), 'slips-missing'))),
      reply === null && !loadErr ? h('p', { class: 'muted' }, t('staff.loading')) : null,
      reply && h('div', { class: 'slips', testid: 'slips' }, slips.map(slip)));
  }

  function slip(s) {
    const pw = passwords[s.login];
    const qr = svgNode(s.qr);
    return h('article', { class: 'slip', testid: 'slip-' + s.login },
      h('div', { class: 'stext' },
        h('p', { class: 'shead' }, reply.class.name),
        h('p', { class: 'sname' }, s.name),
        h('p', {}, t('staff.slips.birth') + ': ' + birthText(s.birth_date)),
        s.unit && h('p', {}, t('staff.cls.unit') + ': ' + s.unit.name),
        h('dl', { class: 'cred' },
          h('dt', {}, t('staff.slips.login')), h('dd', {}, h('code', { testid: 'slip-login' }, s.login)),
          h('dt', {}, t('staff.slips.password')),
          h('dd', {}, pw ? h('code', { testid: 'slip-password' }, pw) : h('span', { class: 'blank', testid: 'slip-blank' }, ''))),
        h('p', { class: 'slink' }, s.link)),
      h('div', { class: 'sqr', testid: 'slip-qr' }, qr));
  }

  async function load() {
    try {
      const q = { base: location.origin, user: arg.user || '' };
      reply = await api.get(api.url(`/api/staff/classes/${arg.id}/slips`, q));
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
