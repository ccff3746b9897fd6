#!/usr/bin/env bash
# Times `loopline guard --stdin` on N deterministic agent commands (default 10,000) in one JVM, start-up included.
#   bench/guard-stdin.sh [count] [seed]
# The command file is bench/target/guard-stdin/commands.txt (the CommandCorpus mix used by CommandGuardBenchmark).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
COUNT="${1:-10000}"
SEED="${2:-42}"
CLI="cli/target/loopline-cli.jar"
BENCH="bench/target/benchmarks.jar"
WORK="bench/target/guard-stdin"

if [[ ! -f "$CLI" || ! -f "$BENCH" ]]; then
  ./mvnw -q -B -pl cli,bench -am package -DskipTests
fi
mkdir -p "$WORK"
java -cp "$BENCH" dev.loopline.bench.guard.CommandFile "$COUNT" "$SEED" >"$WORK/commands.txt"

# Verdict counts from an untimed run; exit 2 just means some command was blocked.
java -jar "$CLI" guard --stdin <"$WORK/commands.txt" >"$WORK/verdicts.jsonl" || [[ $? -eq 2 ]]
echo "commands: $(wc -l <"$WORK/commands.txt")  allowed: $(grep -c '"decision":"allow"' "$WORK/verdicts.jsonl")" \
  " blocked: $(grep -c '"decision":"block"' "$WORK/verdicts.jsonl")  errors: $(grep -c '"error"' "$WORK/verdicts.jsonl" || true)"

echo "time java -jar $CLI guard --stdin < $WORK/commands.txt > /dev/null"
time (java -jar "$CLI" guard --stdin <"$WORK/commands.txt" >/dev/null || [[ $? -eq 2 ]])
