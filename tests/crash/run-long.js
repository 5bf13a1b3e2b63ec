// run-long.js — the long crash run: 10 rounds of 10 kill -9 cycles (100
// in all) with 1,000 candidates; prints the result as JSON. Run by
// tests/crash/run-long.sh; the result goes in docs/reliability.md.
import { runCrash } from './crashlib.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const t0 = Date.now();
const r = await runCrash({
  rounds: arg('rounds', 10), cycles: arg('cycles', 10), clients: arg('clients', 1000),
  duration: arg('duration', 30), log: (s) => console.log(s),
});
r.seconds = Math.round((Date.now() - t0) / 1000);
console.log(`RESULT ${JSON.stringify(r)}`);
const ok = r.integrity === 'ok' && r.lost === 0 && r.wrong === 0 && r.unmapped === 0 && r.ungraded === 0 &&
  !r.load_errors.client_time_mismatch;
console.log(ok ? 'crash test: ok, no acknowledged answer lost' : 'crash test: FAILED');
process.exit(ok ? 0 : 1);
