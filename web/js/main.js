// main.js — candidate app at "/": boot, header, routing, connection life.
// A screen module exports mount(root, ctx, arg) -> view {render(),
// destroy?(), onHello?(), onPush?(msg), onClose?()}; one view at a time.
import { t, lang, setLang, onLang, errText } from './i18n.js';
import { Conn } from './conn.js';
import { h, fill, toast, modal, closeModal } from './ui.js';
import * as outbox from './outbox.js';
import * as login from './login.js';
import * as exams from './exams.js';
import * as paper from './paper.js';
import * as result from './result.js';

const loading = {
  mount(root) {
    const render = () => fill(root, h('p', { class: 'muted center' }, t('loading')));
    render();
    return { render };
  },
};
/* Opened on another device: reconnect only when asked. */
const taken = {
  mount(root) {
    const render = () => fill(root, h('section', { class: 'card', testid: 'taken' }, h('h1', {}, t('conn.taken')),
      h('p', { class: 'msg warn' }, t('taken.text')), h('button', { class: 'btn primary wide', testid: 'take-back',
        onclick: () => { go('loading'); ctx.conn.resume(); } }, t('taken.back'))));
    render();
    return { render };
  },
};
const SCREENS = { loading, login, exams, paper, result, taken };
const $ = (id) => document.getElementById(id);
const ctx = { user: null, exams: [], conn: null, go, request, hello, toastError, loggedIn, attemptOver };
let view = null, lastCheck = -1e9;

function go(name, arg) {
  closeModal();
  if (view && view.destroy) view.destroy();
  view = SCREENS[name].mount($('app'), ctx, arg || {});
  view.name = name;
  $('logout').hidden = name === 'login' || name === 'join' || !ctx.user;
  scrollTo(0, 0);
}

function request(msg) { return ctx.conn ? ctx.conn.request(msg) : Promise.reject({ code: 'offline' }); }

function toastError(e) { toast(errText(e && e.code)); }

/* Refresh the user and exam list; forget outboxes of attempts now closed.
   Joined with a code: name its exam (connected on its monitor). */
async function hello() {
  const r = await request({ type: 'hello', exam: ctx.joinExam });
  ctx.user = r.user || ctx.user;
  ctx.exams = r.exams || [];
  for (const { running: run, last_result: last } of ctx.exams) {
    if (last && !(run && run.attempt === last.attempt)) outbox.clear(last.attempt);
  }
  return r;
}

/* The attempt is over: show its result (res: the result message if known). */
function attemptOver(attempt, res, deadline) {
  outbox.clear(attempt);
  go('result', { attempt, result: res, deadline });
}

function loggedIn(user) {
  ctx.user = user;
  go('loading');
  startConn();
}

function startConn() {
  if (ctx.conn) ctx.conn.stop();
  const c = ctx.conn = new Conn((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  c.on('state', showConn);
  c.on('open', onOpen);
  c.on('push', (m) => view.onPush && view.onPush(m));
  c.on('close', () => view.onClose && view.onClose());
  c.on('fail', checkSession);
  c.on('taken', () => go('taken'));
  c.start();
}

function stopConn() {
  if (ctx.conn) ctx.conn.stop();
  ctx.conn = null;
}

async function onOpen() {
  try { await hello(); } catch (e) { return e.code === 'offline' || toastError(e); }
  if (view.onHello) return view.onHello();
  // First hello after load or login: back into a running attempt if any.
  const run = ctx.exams.find((e) => e.running);
  go(run ? 'paper' : 'exams', run ? { exam: run.id } : { fresh: true });
  // just joined with a code: its exam's rules first
  const card = !run && ctx.joinExam && document.querySelector(`[data-testid="exam-${ctx.joinExam}"]`);
  if (card) card.scrollIntoView();
}

function showConn(s) {
  const el = $('conn');
  el.hidden = s === 'idle';
  el.dataset.state = s;
  el.textContent = t('conn.' + s);
}

/* GET /api/session: the user, null if logged out, undefined if unreachable. */
async function session() {
  try {
    const r = await fetch('/api/session', { cache: 'no-store' });
    return r.status === 401 ? null : r.ok ? (await r.json()).user : undefined;
  } catch (e) { return undefined; }
}

/* The socket will not come back: "logged out" or just "offline"? */
async function checkSession() {
  if (performance.now() - lastCheck < 10000) return;
  lastCheck = performance.now();
  if ((await session()) === null && ctx.conn) {
    stopConn();
    ctx.user = null;
    go('login', { expired: true });
  }
}

async function logout() {
  if (view.name === 'paper' && !(await modal({ title: t('logout'), lines: [t('logout.confirm')], ok: t('logout') }))) return;
  stopConn();
  try { await fetch('/api/logout', { method: 'POST' }); } catch (e) { /* offline: cookie stays */ }
  ctx.user = null;
  go('login');
}

function applyLang() {
  const l = lang();
  document.documentElement.lang = l;
  document.title = $('brand').textContent = t('app.title');
  $('lang').textContent = t('lang.toggle');
  $('lang').lang = l === 'vi' ? 'en' : 'vi';
  $('logout').textContent = t('logout');
  if (ctx.conn) showConn(ctx.conn.state);
}

$('lang').addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
$('logout').addEventListener('click', logout);
onLang(() => { applyLang(); view.render(); });
applyLang();
go('loading');
// A join link or its QR code (/?join=CODE), or a contest open to
// registration (/?contest=ID): the join form, loaded only then.
const query = new URLSearchParams(location.search), joinCode = query.get('join'), contest = query.get('contest');
session().then(async (user) => {
  if (user === null && (joinCode || contest)) {
    try { SCREENS.join = await import('./join.js'); } catch (e) { return go('login'); }
    return go('join', { code: joinCode, contest });
  }
  if (joinCode || contest) history.replaceState(null, '', '/');
  if (user === null) return go('login');
  ctx.user = user || null; // undefined: unreachable now, the socket keeps trying
  startConn();
});
