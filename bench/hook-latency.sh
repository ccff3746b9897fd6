#!/usr/bin/env bash
# Latency of one claude-code hook call as the CLI pays it (a bash + curl process per call, the agent's resident
# route, the session's decision): packages agent-service and this module, starts a real Kafka broker and the packaged
# agent, and runs one claude-code tick whose CLI is a stand-in that calls the run's generated hook N times per kind
# of call and times each. Prints p50/p90/p99/max per kind, and a floor (bash reading the call, no HTTP).
# Usage: bench/hook-latency.sh [calls-per-kind=500]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl agent-service,bench -am package -DskipTests
exec java -cp bench/target/benchmarks.jar dev.loopline.bench.agent.HookLatency \
  agent-service/target/quarkus-app/quarkus-run.jar "${1:-500}"
