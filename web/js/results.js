// results.js — the public results page of a contest round
// (/results.html?round=ID[&top=N], docs/contests.md "Publishing"): the
// prize list and the top N from GET /api/public/rounds/ID/results, which
// answers 404 until the organiser publishes them. Rank, full name, unit,
// score and prize only: the server sends nothing else.
import { t, num, lang, setLang, onLang, extend } from './i18n.js';
import { h, fill } from './ui.js';
import texts from '../i18n/contest.js';

extend(texts);

const root = document.getElementById('app');
const args = new URLSearchParams(location.search);
const round = args.get('round');
let data = null, missing = false;

function row(p, withPrize) {
  return h('tr', { class: p.prize ? 'prize' : '' },
    h('td', { class: 'num' }, p.rank), h('td', {}, p.name), h('td', {}, p.unit ?? ''),
    h('td', { class: 'num' }, num(p.score)), withPrize && h('td', {}, p.prize ?? ''));
}

function table(list, withPrize, testid) {
  return h('table', { testid },
    h('thead', {}, h('tr', {}, h('th', { class: 'num' }, t('results.rank')), h('th', {}, t('results.name')),
      h('th', {}, t('results.unit')), h('th', { class: 'num' }, t('results.score')),
      withPrize && h('th', {}, t('results.prize')))),
    h('tbody', {}, list.map((p) => row(p, withPrize))));
}

function render() {
  document.getElementById('brand').textContent = data ? data.contest.title : t('results.title');
  document.getElementById('lang').textContent = t('results.lang');
  if (!round) return fill(root, h('p', { class: 'msg err' }, t('results.noround')));
  if (missing) return fill(root, h('p', { class: 'msg', testid: 'results-missing' }, t('results.missing')));
  if (!data) return fill(root, h('p', { class: 'muted center' }, t('loading')));
  const r = data.round;
  const at = new Date(r.published_ms).toLocaleString(lang() === 'vi' ? 'vi-VN' : 'en-GB');
  document.title = `${data.contest.title} — ${r.title}`;
  fill(root,
    h('h1', {}, t('results.round', { n: r.round_no, title: r.title })),
    h('p', { class: 'sub' }, t('results.participants', { n: r.participants, k: r.actual })),
    h('p', { class: 'sub' }, t('results.published', { at })),
    h('section', { class: 'card', testid: 'prize-list' }, h('h2', {}, t('results.prizes')),
      data.prizes.flatMap((z) => [h('h3', {}, `${z.name} (${z.winners.length})`),
        z.winners.length ? table(z.winners, false) : h('p', { class: 'muted' }, t('results.none'))])),
    h('section', { class: 'card' }, h('h2', {}, t('results.top')), table(data.top, true, 'top-list')));
}

async function load() {
  if (!round) return render();
  const top = args.get('top') || '50';
  const r = await fetch(`/api/public/rounds/${encodeURIComponent(round)}/results?top=${encodeURIComponent(top)}`);
  if (r.ok) data = await r.json();
  else missing = true;
  render();
}

document.getElementById('lang').addEventListener('click', () => setLang(lang() === 'vi' ? 'en' : 'vi'));
onLang(render);
render();
load();
