#!/usr/bin/env bash
# Dashboard load figures (issue 14): on the packaged local stack, with 10,000 ticks in the run log, the first
# contentful paint and the time until the first page of ticks is on screen in Debian's Chromium, and run-log
# ingestion with no dashboard open, with one and with 50 dashboards on the live stream (interleaved rounds, repeated).
# Usage: bench/dashboard-load.sh [ticks=10000] [dashboards=50] [batch=2000] [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -pl deploy/local -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=DashboardLoadBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.ticks="${1:-10000}" -Dbench.dashboards="${2:-50}" -Dbench.batch="${3:-2000}" -Dbench.repeats="${4:-3}" 2>&1 \
  | grep -E '^(DASHBOARD LOAD|seeded|first |ingest|events each|CPU|  [a-z]|dashboard CPU|state-service)|Tests run:|BUILD|ERROR' 
