// join-storm.js — a first figure for a join storm (docs/performance.md
// "Join with a code"): start examd (demo set-up), make one code for a unit
// as the organiser, then N participants join with it over HTTP, C at a
// time, each with their own name; prints joins/s and latency percentiles.
//
// Run: cd tests && node load/join-storm.js [N=2000] [C=200]
//      (EXAMD_BIN picks the binary, as for the integration tests)
import { readFileSync } from 'node:fs';
import * as h from '../integration/harness.js';

const N = Number(process.argv[2] || 2000), C = Number(process.argv[3] || 200);

async function post(srv, path, body, cookie) {
  const r = await fetch(srv.base + path, { method: 'POST', body: JSON.stringify(body),
    headers: { origin: srv.base, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } });
  return { status: r.status, body: await r.json() };
}

/* CPU seconds examd has used so far (user + system, from /proc). */
function serverCpu(srv) {
  const f = readFileSync(`/proc/${srv.proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const srv = await h.startServer({ args: ['--quiet'] });
try {
  const org = (await h.login(srv, 'tochuc')).cookie;
  const unit = (await post(srv, '/api/staff/units', { name: 'Công đoàn Khu công nghiệp Thăng Long' }, org)).body.id;
  const code = (await post(srv, '/api/staff/exams/1/codes', { count: 1, unit }, org)).body.codes[0].code;
  const lat = [];
  let next = 0, bad = 0;
  const t0 = performance.now(), cpu0 = serverCpu(srv), me0 = process.cpuUsage();
  await Promise.all(Array.from({ length: C }, async () => {
    for (let i = next++; i < N; i = next++) {
      const s = performance.now();
      const r = await post(srv, '/api/join', { code, full_name: `Công nhân Số ${i}`, birth_date: '01/05/1995', phone: '0912345678' });
      lat.push(performance.now() - s);
      if (r.status !== 200) bad++;
    }
  }));
  const secs = (performance.now() - t0) / 1000, cpu = serverCpu(srv) - cpu0;
  const me = process.cpuUsage(me0), mine = (me.user + me.system) / 1e6;
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1);
  console.log(`${N} joins, ${C} at a time: ${(N / secs).toFixed(0)} joins/s, ${secs.toFixed(2)} s;` +
    ` latency p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${lat[lat.length - 1].toFixed(1)} ms; failed ${bad}\n` +
    `CPU: examd ${cpu.toFixed(2)} s (${(cpu / N * 1e6).toFixed(0)} µs a join), this client ${mine.toFixed(2)} s`);
} finally {
  await h.stopServer(srv);
  h.cleanup(srv);
}
