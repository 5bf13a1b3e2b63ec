// crash.test.js — the short crash test (10 kill -9 cycles, about a
// minute): no acknowledged answer may be lost. See crashlib.js; the long
// run (100 cycles) is tests/crash/run-long.sh, results in
// docs/reliability.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runCrash } from './crashlib.js';

test('kill -9 under load loses no acknowledged answer', { timeout: 180000 }, async () => {
  const r = await runCrash({ rounds: 1, cycles: 10, clients: 200, duration: 30 });
  const msg = JSON.stringify(r);
  assert.equal(r.integrity, 'ok', msg);
  assert.equal(r.integrity_after_stop, 'ok', msg);
  assert.equal(r.kills, 10, msg);
  assert.ok(r.acked > 1000, msg);
  assert.equal(r.lost, 0, msg);
  assert.equal(r.wrong, 0, msg);
  assert.equal(r.unmapped, 0, msg);
  assert.ok(r.resumes > 0 && r.time_checks > 0, msg);
  assert.equal(r.load_errors.client_time_mismatch || 0, 0, msg);
  assert.equal(r.attempts, 200, msg);
  assert.equal(r.expired, 200, msg);
  assert.equal(r.ungraded, 0, msg);
  rmSync(r.dir, { recursive: true, force: true });
});
