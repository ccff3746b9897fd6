#!/usr/bin/env bash
# Load driver for state-service: packages the service and this module, then starts a real Postgres and Kafka
# (test-support), the packaged quarkus-run.jar, and measures reservations/s (8 HTTP clients) and run-log
# ingest events/s. Usage: bench/state-load.sh [seconds-per-phase=60] [ticks=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl state-service,bench -am package -DskipTests
exec java -cp bench/target/benchmarks.jar dev.loopline.bench.state.StateLoad \
  state-service/target/quarkus-app/quarkus-run.jar "${1:-60}" "${2:-10000}"
