#!/usr/bin/env bash
# Load driver for the tick path: packages every service and the local stack, starts the stack (real Kafka, real
# Postgres, each service its own JVM), triggers L2 mock ticks at a fixed rate and reports end-to-end and per-stage
# latency p50/p90/p99 from the run log.
# Usage: bench/tick-path.sh [ticks-per-second=2] [seconds=120] [loops=8]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl bench -am package -DskipTests
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp bench/target/benchmarks.jar dev.loopline.bench.pipeline.TickPathLoad "${1:-2}" "${2:-120}" "${3:-8}"
