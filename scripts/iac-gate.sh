#!/usr/bin/env bash
# The step of action.yml: runs `iamsim diff` from the action's checkout ($GITHUB_ACTION_PATH) on the inputs
# (INPUT_* variables), writes the SARIF and Markdown reports, the job summary and the step outputs, and exits
# with iamsim's exit code (0 PASS, 1 FAIL or UNKNOWN, 2 bad input). src/cli/action.test.ts runs it on fixtures.
set -uo pipefail
root="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
iamsim=(node "$root/bin/iamsim.js" diff)
args=()
[ -n "${INPUT_BEFORE:-}" ] && args+=("$INPUT_BEFORE")
args+=("${INPUT_AFTER:?the after input is required}")
if [ -n "${INPUT_ACCOUNT:-}" ]; then
  read -r -a files <<<"$INPUT_ACCOUNT"
  args+=(--account "${files[@]}")
fi
[ -n "${INPUT_ACCEPT:-}" ] && args+=(--accept "$INPUT_ACCEPT")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_ACCOUNT_ID:-}" ] && args+=(--account-id "$INPUT_ACCOUNT_ID")
if [ -n "${INPUT_PARAMETERS:-}" ]; then
  read -r -a params <<<"$INPUT_PARAMETERS"
  args+=(--parameters "${params[@]}")
fi
sarif="$out/iamsim-diff.sarif"
markdown="$out/iamsim-diff.md"
json="$out/iamsim-diff.json"
"${iamsim[@]}" "${args[@]}" --format json --sarif-file "$sarif" --markdown-file "$markdown" >"$json"
status=$?
if [ "$status" -ge 2 ]; then
  echo "::error::iamsim diff could not read its input (exit $status)"
  exit "$status"
fi
cat "$markdown"
result=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).result)' "$json")
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "result=$result"; echo "sarif=$sarif"; echo "markdown=$markdown"; } >>"$GITHUB_OUTPUT"
fi
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
[ "$status" -eq 0 ] || echo "::error::iamsim diff: $result (see the job summary)"
exit "$status"
