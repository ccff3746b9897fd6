#!/usr/bin/env bash
# Load driver for scheduler-service: packages the service and this module, writes N loop specs, starts a real
# Postgres and Kafka (test-support) and the packaged quarkus-run.jar, answers every triggered tick with a
# completion, and reports trigger lateness p50/p90/p99, duplicates, start-up time and memory.
# Usage: bench/scheduler-load.sh [loops=10000] [seconds=180] [cadence-seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl scheduler-service,bench -am package -DskipTests
exec java -cp bench/target/benchmarks.jar dev.loopline.bench.scheduler.SchedulerLoad \
  scheduler-service/target/quarkus-app/quarkus-run.jar "${1:-10000}" "${2:-180}" "${3:-60}"
