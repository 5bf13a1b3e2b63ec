// outbox.js — answers sent but not yet acknowledged, kept in localStorage per
// attempt so they survive a dropped socket and a reload.
// "examd.ob.<attempt>": [{seq, q, choice, flag}] in seq order; an entry leaves
// on its ack, or when the server refuses it for good. Older entries for the
// same question may stay: resent in order, the highest seq wins.
// "examd.seq.<attempt>": the last seq handed out.
// Without localStorage (private mode, quota) the data lives in memory.
const mem = {};
const OB = (a) => 'examd.ob.' + a, SEQ = (a) => 'examd.seq.' + a;

function load(k, dflt) {
  if (k in mem) return mem[k];
  try { return JSON.parse(localStorage.getItem(k)) ?? dflt; } catch (e) { return dflt; }
}

function save(k, v) {
  mem[k] = v;
  try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* memory only */ }
}

export function list(a) { return load(OB(a), []).slice().sort((x, y) => x.seq - y.seq); }

export function add(a, e) { save(OB(a), list(a).concat([e])); }

/* Remove the entry with this seq; returns the entries left. */
export function ack(a, seq) {
  const rest = list(a).filter((e) => e.seq !== seq);
  save(OB(a), rest);
  return rest;
}

/* After a resume: new seqs start above the server's lastSeq. Entries are
 * kept and resent even at or below it: a resend is acknowledged without
 * being stored twice, and one refused earlier may sit below lastSeq. */
export function settle(a, lastSeq) {
  if (load(SEQ(a), 0) < lastSeq) save(SEQ(a), lastSeq);
}

export function nextSeq(a) {
  const n = load(SEQ(a), 0) + 1;
  save(SEQ(a), n);
  return n;
}

/* The attempt is closed: nothing in it can be saved any more. */
export function clear(a) {
  for (const k of [OB(a), SEQ(a)]) {
    delete mem[k];
    try { localStorage.removeItem(k); } catch (e) { /* none */ }
  }
}
