#!/bin/bash
# Stands in for the Claude Code CLI in bench/hook-latency.sh: started by agent-service's claude-code maker exactly as
# the CLI would be (same arguments, same environment, in the worktree), it calls the hooks of the generated settings
# the way the CLI does (the call's JSON on stdin, one process per call) and times each call end to end: bash start,
# curl, the agent's answer. The figures go out as the run's result, which becomes the proposal's summary.
set -uo pipefail
settings="" prompt=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --settings) settings="$2"; shift ;;
    -p) prompt="$2"; shift ;;
  esac
  shift
done
# the task is "Task: hook-latency <calls per kind>"
n="${prompt##* }"
[[ "$n" =~ ^[0-9]+$ ]] || n=200
hook=$(sed -n 's/^ *"command" : "\(.*\)",\{0,1\}$/\1/p' "$settings" | head -n 1)
eval "hook=$hook" # the settings quote the path for a shell
cwd="$PWD"

call() { printf '%s' "$1" | "$hook" >/dev/null 2>&1; }
floor() { printf '%s' "$1" | bash -c 'cat >/dev/null'; }

# times "$2" (a function) on payload "$3", n times; prints "<name> p50/p90/p99/max ms (exit codes seen)"
measure() {
  local name="$1" fn="$2" payload="$3" i t0 t1 codes="" us=()
  for ((i = 0; i < n; i++)); do
    t0=$EPOCHREALTIME
    "$fn" "$payload"
    local code=$?
    t1=$EPOCHREALTIME
    us+=($(( ${t1/./} - ${t0/./} )))
    [[ " $codes " == *" $code "* ]] || codes="$codes $code"
  done
  mapfile -t sorted < <(printf '%s\n' "${us[@]}" | sort -n)
  local c=${#sorted[@]}
  printf '%s p50 %s p90 %s p99 %s max %s ms (exit%s)' "$name" "$(ms "${sorted[$((c * 50 / 100))]}")" \
    "$(ms "${sorted[$((c * 90 / 100))]}")" "$(ms "${sorted[$((c * 99 / 100))]}")" "$(ms "${sorted[$((c - 1))]}")" "$codes"
}

ms() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }

pre() { printf '{"session_id":"bench","cwd":"%s","hook_event_name":"PreToolUse","tool_name":"%s","tool_input":%s,"tool_use_id":"t%s"}' "$cwd" "$1" "$2" "$RANDOM"; }

call '{"session_id":"bench","cwd":"'"$cwd"'","hook_event_name":"SessionStart","source":"startup"}'
content=$(head -c 2000 /dev/zero | tr '\0' 'x')
page=$(for i in $(seq 1 200); do printf 'The parser now reads nested lists and reports the line of each error. '; done)
results=(
  "$(measure "floor (bash reading the call, no HTTP)" floor "$(pre Bash '{"command":"npm test"}')")"
  "$(measure "Bash allowed (npm test)" call "$(pre Bash '{"command":"npm test -- --runInBand"}')")"
  "$(measure "Bash blocked (rm -rf /)" call "$(pre Bash '{"command":"rm -rf /"}')")"
  "$(measure "Write allowed (2 KB, new file)" call "$(pre Write '{"file_path":"'"$cwd"'/src/feature.js","content":"'"$content"'"}')")"
  "$(measure "Write blocked (the test script)" call "$(pre Write '{"file_path":"'"$cwd"'/test.sh","content":"exit 0"}')")"
  "$(measure "PostToolUse WebFetch (14 KB scanned)" call '{"session_id":"bench","cwd":"'"$cwd"'","hook_event_name":"PostToolUse","tool_name":"WebFetch","tool_input":{"url":"https://example.org/"},"tool_response":{"result":"'"$page"'"},"tool_use_id":"w"}')"
)
echo "$n calls per kind" > HOOK-LATENCY.txt
summary="$n calls each: $(IFS=';'; echo "${results[*]}")"
printf '%s\n' "${results[@]}" >> HOOK-LATENCY.txt
summary=${summary//\"/\'}
printf '{"type":"result","subtype":"success","is_error":false,"num_turns":1,"result":"%s","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0},"permission_denials":[]}\n' "$summary"
