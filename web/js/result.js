// result.js — a closed attempt's result: score /10, right answers and, as
// the review policy allows, each question with the candidate's choice,
// right/wrong and the key. From a submit reply or deadline push
// (arg.result), else fetched with {type:"result"} and retried until it comes.
import { t, num } from './i18n.js';
import { h, fill } from './ui.js';

export function mount(root, ctx, arg) {
  const attempt = arg.attempt || arg.result.attempt;
  let res = arg.result && arg.result.score != null ? arg.result : null;
  let wait = 2000, timer = 0, gone = false;

  function load() {
    if (res || gone) return;
    clearTimeout(timer);
    ctx.request({ type: 'result', attempt }).then((r) => { res = r; render(); }, (e) => {
      if (gone || e.code === 'offline') return; // onHello asks again after reconnecting
      if (wait === 16000) ctx.toastError(e); // not closed yet is normal for a few seconds
      timer = setTimeout(load, wait = Math.min(wait * 2, 30000));
    });
  }

  function render() {
    const exam = res && ctx.exams.find((e) => e.id === res.exam);
    fill(root, h('h1', {}, t('result.title')),
      exam && h('p', { class: 'muted' }, exam.title),
      (arg.deadline || (res && res.reason === 'deadline')) &&
        h('p', { class: 'msg warn', testid: 'result-note' }, t('result.deadline')),
      !res ? h('p', { class: 'muted center' }, t('loading')) : [
        h('section', { class: 'card score' },
          h('div', { class: 'big', testid: 'result-score' }, t('result.score', { score: num(res.score) })),
          h('div', { testid: 'result-correct' }, t('result.correct', { n: res.correct, total: res.total }))),
        Array.isArray(res.review)
          ? h('section', {}, h('h2', {}, t('result.review')), h('ol', { class: 'review' }, res.review.map(item)))
          : h('p', { class: 'muted' }, t('result.noReview'))],
      h('button', { class: 'btn wide', testid: 'result-back', onclick: () => ctx.go('exams') }, t('result.back')));
  }

  function item(r, i) {
    const choice = r.choice || [], key = r.key || [];
    return h('li', { class: 'card rv' + (r.right ? ' right' : ''), testid: 'review-' + i },
      h('div', { class: 'qhead' }, h('span', { class: 'qnum' }, t('result.q', { n: i + 1 })),
        h('span', { class: 'badge' }, t(r.right ? 'result.right' : 'result.wrong'))),
      h('p', { class: 'qtext' }, r.text),
      h('ul', { class: 'ropts' }, (r.options || []).map((o, j) => {
        const mine = choice.includes(j), good = key.includes(j);
        return h('li', { class: (mine ? 'mine ' : '') + (good ? 'key' : '') }, o,
          mine && h('em', {}, ' — ' + t('result.yours')), good && h('em', {}, ' — ' + t('result.key')));
      })),
      !choice.length && h('p', { class: 'muted' }, t('result.noAnswer')));
  }

  render();
  load();
  return {
    render, onHello: load,
    onPush(m) {
      if (m.type === 'reopened' && m.attempt === attempt) ctx.go('exams'); // the trainer re-opened it
      if (!res && m.type === 'result' && m.attempt === attempt && m.score != null) { res = m; render(); }
    },
    destroy() { gone = true; clearTimeout(timer); },
  };
}
