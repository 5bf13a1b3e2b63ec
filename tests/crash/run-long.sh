#!/usr/bin/env bash
# tests/crash/run-long.sh — the long crash run: 100 kill -9 cycles (10
# rounds of 10) under load from examd-load, 1,000 candidates, then the
# database check (see crashlib.js). About 10 minutes. Extra arguments go
# to run-long.js (--rounds N --cycles N --clients N --duration S).
# Loopback only; every wait is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
examd_ensure_pkgs $EXAMD_BUILD_PKGS nodejs sqlite3
examd_ensure_npm
examd_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$EXAMD_ROOT/tests"
export EXAMD_BIN="${EXAMD_BIN:-$EXAMD_ROOT/build/examd}"
exec timeout 1800 node crash/run-long.js "$@"
