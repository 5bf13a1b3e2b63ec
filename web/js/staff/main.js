// main.js — the staff console at /staff.html: boot, header, side
// navigation and routing. The route lives in location.hash (#banks,
// #bank/3, #bank/3/new, #bank/3/edit/12, #import, #exams, #exams/new, #units,
// #exams/7/stats, #exams/7/results, #attempts/9/review, #classes, #class/4,
// #class/4/slips, #class/4/slips/57; for organisers and admins #contests,
// #contest/3, #contest/3/round/new, #round/12, #round/12/monitor, #live,
// #live/new, #live/5; and for admins #users and #audit), so the browser's
// back button and a reload keep the place. A screen module
// exports mount(root, ctx, arg) -> view {render(), destroy?(), dirty?()};
// one view at a time; a view with unsaved input is asked before leaving.
import { t, lang, setLang, onLang, extend } from '../i18n.js';
import { h, fill, modal, closeModal } from '../ui.js';
import staffVi from '../../i18n/staff-vi.js';
import staffEn from '../../i18n/staff-en.js';
import * as api from './api.js';
import { STAFF_ROLES } from './common.js';
import * as login from './login.js';
import * as bankScreen from './banks.js';
import * as questions from './questions.js';
import * as question from './question.js';
import * as importer from './import.js';
import * as exams from './exams.js';
import * as publish from './publish.js';
import * as units from './units.js';
import * as classes from './classes.js';
import * as slips from './slips.js';
import * as users from './users.js';
import * as audit from './audit.js';
import * as stats from './stats.js'; // item statistics
import * as results from './results.js';
import * as review from './review.js';
import * as live from './live.js'; // live rounds in a hall
// the organiser's console: contests, rounds, the live monitor
import * as contests from './contests.js';
import * as rounds from './rounds.js';
import * as monitor from './monitor.js';

extend({ vi: staffVi, en: staffEn });

const loading = {
  mount(root) {
    const render = () => fill(root, h('p', { class: 'muted' }, t('staff.loading')));
    render();
    return { render };
  },
};
const SCREENS = { loading, login, banks: bankScreen, questions, question, import: importer, exams, publish,
  units, classes, slips, users, audit, stats, results, review, live, contests, rounds, monitor };
const ADMIN_ONLY = new Set(['users', 'audit']); // the server refuses the others (403)
const ORGANISER = new Set(['contests', 'rounds', 'monitor', 'live']); // organisers and admins
const ROUTES = [
  [/^#?$|^#banks$/, () => ['banks', {}]],
  [/^#bank\/(\d+)$/, (m) => ['questions', { bank: Number(m[1]) }]],
  [/^#bank\/(\d+)\/new$/, (m) => ['question', { bank: Number(m[1]) }]],
  [/^#bank\/(\d+)\/edit\/(\d+)$/, (m) => ['question', { bank: Number(m[1]), id: Number(m[2]) }]],
  [/^#import(?:\/([a-z0-9_-]+))?$/, (m) => ['import', { bank: m[1] || '' }]],
  [/^#exams$/, () => ['exams', {}]],
  [/^#exams\/new$/, () => ['publish', {}]],
  [/^#exams\/(\d+)\/stats(\/all)?$/, (m) => ['stats', { id: Number(m[1]), all: !!m[2] }]], // item statistics
  [/^#units$/, () => ['units', {}]],
  [/^#classes$/, () => ['classes', {}]],
  [/^#class\/(\d+)$/, (m) => ['classes', { id: Number(m[1]) }]],
  [/^#class\/(\d+)\/slips(?:\/(\d+))?$/, (m) => ['slips', { id: Number(m[1]), user: m[2] ? Number(m[2]) : 0 }]],
  [/^#users$/, () => ['users', {}]],
  [/^#audit$/, () => ['audit', {}]],
  // scores: an exam's class table and one attempt's review
  [/^#exams\/(\d+)\/results(?:\/(\d+))?$/, (m) => ['results', { exam: Number(m[1]), cls: m[2] ? Number(m[2]) : 0 }]],
  [/^#attempts\/(\d+)\/review$/, (m) => ['review', { id: Number(m[1]) }]],
  // live rounds (organisers and admins; the server refuses the others)
  [/^#live$/, () => ['live', {}]],
  [/^#live\/new$/, () => ['live', { create: true }]],
  [/^#live\/(\d+)$/, (m) => ['live', { id: Number(m[1]) }]],
  [/^#contests$/, () => ['contests', {}]],
  [/^#contest\/(\d+)$/, (m) => ['contests', { id: Number(m[1]) }]],
  [/^#contest\/(\d+)\/round\/new$/, (m) => ['rounds', { contest: Number(m[1]) }]],
  [/^#round\/(\d+)$/, (m) => ['rounds', { id: Number(m[1]) }]],
  [/^#round\/(\d+)\/monitor$/, (m) => ['monitor', { id: Number(m[1]) }]],
];
const NAV = [['#banks', 'staff.nav.banks', /^#?$|^#bank/], ['#import', 'staff.nav.import', /^#import/],
  ['#exams', 'staff.nav.exams', /^#exams|^#attempts\//],
  ['#contests', 'staff.nav.contests', /^#contest|^#round/, ['organiser', 'admin']],
  ['#live', 'staff.nav.live', /^#live/, ['organiser', 'admin']],
  ['#classes', 'staff.nav.classes', /^#class/],
  ['#units', 'staff.nav.units', /^#units/], ['#users', 'staff.nav.users', /^#users/, 'admin'],
  ['#audit', 'staff.nav.audit', /^#audit/, 'admin']];

const $ = (id) => document.getElementById(id);
let view = null, shown = null; // the view on screen and the hash it shows
let bankList = null; // cached GET /api/staff/banks (not retired)

const ctx = {
  user: null,
  flash: null, // {kind, text: () => string, testid}: shown once by the next screen
  stash: new Map(), // data handed from one screen to the next (a question to edit)
  lists: new Map(), // list screens' filters and page, kept while moving around
  go: (hash) => { if (location.hash === hash) route(true); else location.hash = hash; },
  banks: bankRows, loggedIn, say,
};

/* The banks (not retired); fetched once, again after fresh = true. */
async function bankRows(fresh) {
  if (!bankList || fresh) bankList = (await api.get('/api/staff/banks')).banks.filter((b) => !b.retired);
  return bankList;
}

/* A message for the next screen, e.g. "saved" after a form closes. */
function say(kind, text, testid) { ctx.flash = { kind, text, testid }; }

function mount(name, arg) {
  closeModal();
  if (view && view.destroy) view.destroy();
  // A fresh box per view: a view's late reply (a 401 that brought the
  // login screen up) then renders into a detached box, not over the next.
  const root = h('div', { class: 'view' });
  fill($('app'), root);
  view = SCREENS[name].mount(root, ctx, arg);
  view.name = name;
  renderNav();
  scrollTo(0, 0);
  const h1 = root.querySelector('h1');
  if (h1 && name !== 'login') { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}

/* Show the screen the hash names (again when force). */
async function route(force) {
  const hash = location.hash;
  if (!ctx.user) return view && view.name === 'login' ? null : mount('login', {}); // keep what is typed
  if (hash === shown && !force) return;
  if (view && view.dirty && view.dirty() && shown !== null &&
      !(await modal({ title: t('staff.leave.title'), lines: [t('staff.leave.text')], ok: t('staff.leave.ok'),
        okTestid: 'leave-ok' }))) {
    history.replaceState(null, '', shown || '#banks');
    return;
  }
  let found = ROUTES.map(([re, fn]) => { const m = re.exec(hash); return m && fn(m); }).find(Boolean);
  if (found && ADMIN_ONLY.has(found[0]) && ctx.user.role !== 'admin') found = null;
  if (found && ORGANISER.has(found[0]) && !['organiser', 'admin'].includes(ctx.user.role)) found = null;
  shown = found ? hash : '#banks';
  if (!found) history.replaceState(null, '', shown);
  const [name, arg] = found || ['banks', {}];
  mount(name, arg);
}

function renderNav() {
  const nav = $('nav'), on = !!ctx.user && view && view.name !== 'login';
  nav.hidden = !on;
  $('logout').hidden = !on;
  $('who').hidden = !on;
  if (!on) return;
  $('who').textContent = t('staff.who', { name: ctx.user.name || ctx.user.username, role: t('staff.role.' + ctx.user.role) });
  nav.setAttribute('aria-label', t('staff.nav.label'));
  fill(nav, h('ul', {}, NAV.filter((n) => !n[3] || [].concat(n[3]).includes(ctx.user.role)).map(([href, key, re]) => h('li', {},
    h('a', { href, testid: 'nav-' + href.slice(1), 'aria-current': re.test(shown || '') ? 'page' : null }, t(key))))));
}

function loggedIn(user) {
  ctx.user = user;
  shown = null;
  bankList = null;
  if (!location.hash || location.hash === '#login') history.replaceState(null, '', '#banks');
  route(true);
}

async function logout() {
  if (view && view.dirty && view.dirty() &&
      !(await modal({ title: t('staff.leave.title'), lines: [t('staff.leave.text')], ok: t('staff.logout') }))) return;
  try { await fetch('/api/logout', { method: 'POST' }); } catch (e) { /* offline: the cookie stays */ }
  ctx.user = null;
  ctx.stash.clear(); // the passwords of slips not printed go with the session
  shown = null;
  mount('login', {});
}

/* The session ended under us (another tab logged out, or it expired).
 * A screen holding unsaved input stays: log in again over it. */
api.onLogout(() => {
  if (!ctx.user) return;
  if (view && view.dirty && view.dirty()) return relogin();
  ctx.user = null;
  shown = null;
  mount('login', { expired: true });
});

function relogin() {
  if ($('relogin')) return;
  const box = h('div', { class: 'modal wide', role: 'dialog', 'aria-modal': 'true' });
  const bg = h('div', { class: 'modal-bg', id: 'relogin', testid: 'relogin' }, box);
  document.body.append(bg);
  const done = (user) => { ctx.user = user; bg.remove(); renderNav(); };
  login.mount(box, Object.assign({}, ctx, { loggedIn: done }), { again: true, username: ctx.user.username });
}

function applyLang() {
  const l = lang();
  document.documentElement.lang = l;
  document.title = $('brand').textContent = t('staff.title');
  $('lang').textContent = t('lang.toggle');
  $('lang').lang = l === 'vi' ? 'en' : 'vi';
  $('logout').textContent = t('staff.logout');
}

$('lang').addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
$('logout').addEventListener('click', logout);
addEventListener('hashchange', () => route(false));
addEventListener('beforeunload', (e) => { if (view && view.dirty && view.dirty()) e.preventDefault(); });
onLang(() => { applyLang(); renderNav(); view.render(); });
applyLang();
mount('loading', {});
api.get('/api/session').then((r) => {
  if (STAFF_ROLES.includes(r.user.role)) return loggedIn(r.user);
  mount('login', { candidate: true });
}, (e) => mount('login', { offline: e.code === 'network' }));
