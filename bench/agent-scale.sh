#!/usr/bin/env bash
# Agent throughput: packages every service and the local stack, starts the stack with N agent-service processes in
# one consumer group and keeps a backlog of slow shell ticks (one per loop); reports open ticks every 10 s and
# completed ticks per minute.
# Usage: bench/agent-scale.sh [agents=1] [seconds=120] [maker-seconds=5] [loops=12]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl bench -am package -DskipTests
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp bench/target/benchmarks.jar dev.loopline.bench.pipeline.AgentScaleLoad "${1:-1}" "${2:-120}" "${3:-5}" "${4:-12}"
