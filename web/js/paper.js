// paper.js — the exam screen: one question at a time, grid, clock, saving.
// A change goes to the outbox, then out as `answer` with a new seq; it shows
// "saving" until that seq's ack. On reconnect (onHello) a running attempt is
// resumed with `start`, every unacknowledged entry resent, pending ones win
// over the server's answers and are resent in order. The clock counts from
// the server's latest left_ms with performance.now() deltas only.
import { t, clock } from './i18n.js';
import { h, fill, modal } from './ui.js';
import * as ob from './outbox.js';

const RETRY_MS = 3000; // resend after `busy` / `internal` / `rate_limited`
const GRACE_MS = 5000; // after our clock reaches 0, wait this long for the deadline push
const SAFE_MS = 3000;  // no `start` this close to the deadline: if the attempt closed
                       // meanwhile, `start` would open a new one

export function mount(root, ctx, arg) {
  let exam = arg.exam;
  let P = null;         // the paper message on screen
  let ans = new Map();  // q -> {choice, flag}, as shown
  let st = new Map();   // q -> saved | saving | error (absent: nothing saved)
  let cur = 0;          // index of the question shown
  let ready = false;    // paper loaded on this socket: answers may go out
  let left = 0, at = 0; // left_ms as of performance.now() === at
  let expired = false, submitting = false, closed = false;
  let timerEl = null, frame = 0, late = 0, pred;
  const tick = setInterval(clockTick, 250);
  document.addEventListener('visibilitychange', onVis);

  function apply(p) {
    if (closed) return;
    P = p;
    exam = p.exam ? p.exam.id : exam;
    ob.settle(p.attempt, p.last_seq || 0);
    ans = new Map();
    st = new Map();
    for (const a of p.answers || []) { ans.set(a.q, { choice: a.choice || [], flag: !!a.flag }); st.set(a.q, 'saved'); }
    const pend = ob.list(p.attempt);
    for (const e of pend) { ans.set(e.q, { choice: e.choice, flag: e.flag }); st.set(e.q, 'saving'); }
    if (cur >= p.questions.length) cur = 0;
    ready = true;
    if (p.prediction && !pred) import('./predict.js').then((m) => { pred = m.card(ctx, p); draw(); });
    setLeft(p.left_ms);
    render();
    for (const e of pend) send(e);
  }

  /* start naming the attempt: resumes it, never opens a new one. */
  function resume(a) {
    ready = false;
    ctx.request({ type: 'start', exam, attempt: a }).then(apply, (e) => {
      if (e.code === 'offline' || closed) return; // next hello retries
      if (e.code === 'attempt_closed') return over(null, false, a);
      ctx.toastError(e);
      ctx.go('exams');
    });
  }

  /* After each (re)connect's hello: resume, or show the result if it closed. */
  function onHello() {
    const e = ctx.exams.find((x) => x.id === exam), r = e && e.running;
    if (!r || (P && r.attempt !== P.attempt)) return P ? over(null) : ctx.go('exams');
    setLeft(r.left_ms);
    if (r.left_ms < SAFE_MS) {
      if (!late) late = setTimeout(() => over(null, true, r.attempt), r.left_ms + GRACE_MS);
      return;
    }
    resume(r.attempt);
  }

  /* Back in the tab: the clock may have slept with the phone. */
  function sync() {
    if (!P || closed) return;
    const e = ctx.exams.find((x) => x.id === exam), r = e && e.running;
    if (r && r.attempt === P.attempt) setLeft(r.left_ms);
    else over(null);
  }

  function onVis() {
    if (document.visibilityState !== 'visible') return;
    clockTick();
    if (ready) ctx.hello().then(sync, () => {});
  }

  function over(res, deadline, a) {
    a = a || (P && P.attempt);
    if (closed || !a) return;
    closed = true;
    ctx.attemptOver(a, res, deadline);
  }

  function commit(q, choice, flag) {
    if (!P || expired || submitting || closed) return;
    const e = { seq: ob.nextSeq(P.attempt), q, choice, flag };
    ob.add(P.attempt, e);
    ans.set(q, { choice, flag });
    st.set(q, 'saving');
    render();
    if (ready) send(e);
  }

  function send(e) {
    const a = P.attempt;
    ctx.request({ type: 'answer', attempt: a, q: e.q, choice: e.choice, flag: e.flag, seq: e.seq })
      .then((r) => settled(a, e, r.seq != null ? r.seq : e.seq, false), (err) => failed(a, e, err));
  }

  /* seq is done (acked, or refused for good if bad): update q's state. */
  function settled(a, e, seq, bad) {
    if (closed || !P || P.attempt !== a) return;
    const rest = ob.ack(a, seq);
    st.set(e.q, rest.some((x) => x.q === e.q) ? 'saving' : bad ? 'error' : 'saved');
    draw();
  }

  function failed(a, e, err) {
    if (closed || !P || P.attempt !== a) return;
    const c = err.code;
    if (c === 'offline') return; // resent after reconnect
    if (c === 'busy' || c === 'internal' || c === 'rate_limited') {
      setTimeout(() => {
        if (ready && !closed && ob.list(a).some((x) => x.seq === e.seq)) send(e);
      }, RETRY_MS * (0.8 + 0.4 * Math.random()));
      return;
    }
    if (c === 'attempt_closed' || c === 'too_late') return over(null, c === 'too_late');
    ctx.toastError(err); // bad_option, not_on_paper...: resending cannot help
    settled(a, e, e.seq, true);
  }

  function setLeft(ms) {
    if (typeof ms !== 'number') return;
    left = ms;
    at = performance.now();
    clockTick();
  }

  function clockTick() {
    if (!P) return;
    const ms = Math.max(0, left - (performance.now() - at));
    if (timerEl) {
      timerEl.textContent = clock(ms);
      timerEl.classList.toggle('low', ms < 60000);
    }
    if (ms <= 0 && !expired) {
      expired = true;
      late = setTimeout(() => over(null, true), GRACE_MS);
      draw();
    } else if (ms > 0 && expired) { // the server says there is time left
      expired = false;
      clearTimeout(late);
      late = 0;
      draw();
    }
  }

  function onPush(m) {
    if (!P || m.attempt !== P.attempt) return;
    if (m.type === 'time') setLeft(m.left_ms);
    if (m.type === 'result') over(m, m.reason === 'deadline');
  }

  function pick(Q, i) {
    const a = ans.get(Q.q) || { choice: [], flag: false };
    const c = !Q.multi ? [i]
      : a.choice.includes(i) ? a.choice.filter((x) => x !== i) : a.choice.concat(i).sort((x, y) => x - y);
    commit(Q.q, c, a.flag);
  }

  function goTo(i, fromGrid) {
    cur = i;
    render();
    const q = root.querySelector('.q');
    if (q && (fromGrid || q.getBoundingClientRect().top < 0)) q.scrollIntoView({ block: 'start' });
  }

  function draw() { if (!frame) frame = requestAnimationFrame(render); }

  function render() {
    cancelAnimationFrame(frame);
    frame = 0;
    if (closed) return;
    if (!P) { timerEl = null; return fill(root, h('p', { class: 'muted center' }, t('loading'))); }
    const focus = (document.activeElement || {}).dataset?.testid;
    timerEl = h('span', { class: 'timer', testid: 'timer', role: 'timer', title: t('paper.timeLeft') });
    fill(root,
      h('div', { class: 'pbar' }, h('span', { class: 'ptitle' }, P.exam ? P.exam.title : ''), timerEl),
      expired && h('p', { class: 'msg warn', role: 'status' }, t('paper.timeUp')),
      question(), pred,
      h('section', { class: 'card' },
        h('h2', {}, t('paper.grid')),
        h('div', { class: 'grid' }, P.questions.map(cell)),
        h('div', { class: 'legend' }, [['ans', 'cell.ans'], ['flag', 'cell.flag'], ['', 'save.none'], ['pend', 'save.saving']]
          .map(([c, k]) => h('span', {}, h('i', { class: 'cell mini ' + c }), t(k))))),
      submitButton());
    clockTick();
    const el = focus && root.querySelector('[data-testid="' + focus + '"]');
    if (el && !el.disabled) el.focus({ preventScroll: true });
  }

  function question() {
    const n = P.questions.length, Q = P.questions[cur];
    const a = ans.get(Q.q) || { choice: [], flag: false };
    const state = st.get(Q.q) || 'none', lock = expired || submitting;
    return h('section', { class: 'card q' },
      h('div', { class: 'qhead' },
        h('span', { class: 'qnum' }, t('paper.q', { n: cur + 1, total: n })),
        h('span', { class: 'save', testid: 'save-state', 'data-state': state, role: 'status' }, t('save.' + state))),
      h('p', { class: 'qtext', testid: 'question-text' }, Q.text),
      Q.multi && h('p', { class: 'hint' }, t('paper.multi')),
      h('div', { class: 'opts', role: Q.multi ? 'group' : 'radiogroup' }, Q.options.map((o, i) => {
        const on = a.choice.includes(i);
        return h('label', { class: 'opt' + (on ? ' sel' : '') },
          h('input', { type: Q.multi ? 'checkbox' : 'radio', name: 'opt', testid: 'option-' + i,
            checked: on, disabled: lock, onchange: () => pick(Q, i) }),
          h('span', {}, o));
      })),
      h('div', { class: 'row' },
        h('button', { class: 'btn', testid: 'clear-answer', disabled: lock || !a.choice.length,
          onclick: () => commit(Q.q, [], a.flag) }, t('paper.clear')),
        h('button', { class: 'btn flag', testid: 'flag-toggle', 'aria-pressed': String(a.flag),
          disabled: lock, onclick: () => commit(Q.q, a.choice, !a.flag) }, t(a.flag ? 'paper.flagged' : 'paper.flag'))),
      h('div', { class: 'row nav' },
        h('button', { class: 'btn', testid: 'prev', disabled: cur === 0,
          onclick: () => goTo(cur - 1) }, t('paper.prev')),
        h('button', { class: 'btn', testid: 'next', disabled: cur === n - 1,
          onclick: () => goTo(cur + 1) }, t('paper.next'))));
  }

  function cell(Q, i) {
    const a = ans.get(Q.q), s = st.get(Q.q);
    const on = !!(a && a.choice.length), fl = !!(a && a.flag);
    const cls = ['cell', on && 'ans', fl && 'flag', i === cur && 'cur', s === 'saving' && 'pend', s === 'error' && 'err'];
    const says = [t(on ? 'cell.ans' : 'save.none'), fl && t('cell.flag'), s && s !== 'saved' && t('save.' + s)];
    return h('button', { class: cls.filter(Boolean).join(' '), testid: 'grid-cell-' + i,
      'data-state': s || 'none', 'aria-label': (i + 1) + ': ' + says.filter(Boolean).join(', '),
      'aria-current': i === cur ? 'true' : null, onclick: () => goTo(i, true) }, i + 1);
  }

  function submitButton() {
    const saving = ready && ob.list(P.attempt).length > 0;
    return h('button', { class: 'btn primary wide', testid: 'submit',
      disabled: submitting || saving || !ready || expired, onclick: submit },
    t(submitting ? 'paper.submitting' : saving ? 'save.saving' : 'paper.submit'));
  }

  async function submit() {
    const un = [], fl = [];
    P.questions.forEach((Q, i) => {
      const a = ans.get(Q.q);
      if (!a || !a.choice.length) un.push(i + 1);
      if (a && a.flag) fl.push(i + 1);
    });
    const lines = [un.length ? t('confirm.unanswered', { list: un.join(', ') }) : t('confirm.all')];
    if (fl.length) lines.push(t('confirm.flagged', { list: fl.join(', ') }));
    lines.push(t('confirm.final'));
    const ok = await modal({ title: t('confirm.title'), lines, ok: t('confirm.ok'),
      cancel: t('confirm.cancel'), okTestid: 'confirm-submit' });
    if (!ok || closed) return;
    submitting = true;
    render();
    try {
      over(await ctx.request({ type: 'submit', attempt: P.attempt }));
    } catch (e) {
      submitting = false;
      draw();
      if (e.code === 'attempt_closed') over(null);
      else ctx.toastError(e);
    }
  }

  if (arg.paper) apply(arg.paper);
  else { render(); onHello(); }

  return {
    render, onHello, onPush,
    onClose() { ready = false; draw(); },
    destroy() {
      closed = true;
      clearInterval(tick);
      clearTimeout(late);
      cancelAnimationFrame(frame);
      document.removeEventListener('visibilitychange', onVis);
    },
  };
}
