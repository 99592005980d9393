#!/usr/bin/env bash
# Run a trustaudit gate in CI: audit, write the report folder with junit.xml and summary.md in
# it, and exit with trustaudit's code. The GitHub Action (action.yml) runs this script; any other
# CI can run it as is. docs/ci.md's GitLab and shell recipes run the same trustaudit command.
#
# Inputs are environment variables, so a CI system never splices them into shell code:
#   TRUSTAUDIT_TARGET       URL or build folder (may be left empty when trustaudit.toml sets it)
#   TRUSTAUDIT_SITE_URL     folder mode: the production URL whose absolute links map to files
#   TRUSTAUDIT_FAIL_ON      severities and/or check ids, separated by commas or spaces
#   TRUSTAUDIT_FAIL_UNDER   exit 1 when the score is under this value
#   TRUSTAUDIT_BASELINE     an earlier report.json or report folder; when it does not exist yet
#                           (the first run) the audit goes on without it, with a notice
#   TRUSTAUDIT_ARGS         more trustaudit arguments, split as a shell would (quotes respected,
#                           nothing expanded): e.g. --wait 120 --header "X-Token: $TOKEN"
#   TRUSTAUDIT_REPORT_DIR   the report folder (default: trustaudit-report)
#   TRUSTAUDIT_DEFER_EXIT   "true": exit 0 and leave the code to the caller (a later step)
# Outputs: when $GITHUB_OUTPUT is set, exit-code=N and report-dir=PATH are appended to it.
set -uo pipefail

report_dir="${TRUSTAUDIT_REPORT_DIR:-trustaudit-report}"
args=(audit)
if [[ -n "${TRUSTAUDIT_TARGET:-}" ]]; then
  args+=("$TRUSTAUDIT_TARGET")
fi
args+=(--out "$report_dir" --junit "$report_dir/junit.xml" --markdown "$report_dir/summary.md"
       --no-progress)
if [[ -n "${TRUSTAUDIT_SITE_URL:-}" ]]; then
  args+=(--site-url "$TRUSTAUDIT_SITE_URL")
fi
IFS=', ' read -r -a fail_on <<< "${TRUSTAUDIT_FAIL_ON:-}"
for value in "${fail_on[@]}"; do
  [[ -n "$value" ]] && args+=(--fail-on "$value")
done
if [[ -n "${TRUSTAUDIT_FAIL_UNDER:-}" ]]; then
  args+=(--fail-under "$TRUSTAUDIT_FAIL_UNDER")
fi
if [[ -n "${TRUSTAUDIT_BASELINE:-}" ]]; then
  if [[ -e "$TRUSTAUDIT_BASELINE" ]]; then
    args+=(--baseline "$TRUSTAUDIT_BASELINE")
  elif [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
    echo "::notice title=trustaudit::no baseline at $TRUSTAUDIT_BASELINE yet: audited without it"
  else
    echo "trustaudit: no baseline at $TRUSTAUDIT_BASELINE yet: audited without it" >&2
  fi
fi
if [[ -n "${TRUSTAUDIT_ARGS:-}" ]]; then
  python="$(command -v python3 || command -v python)"
  extra=()
  while IFS= read -r -d '' word; do
    extra+=("$word")
  done < <("$python" -c 'import shlex, sys; sys.stdout.write("".join(w + "\0" for w in shlex.split(sys.argv[1])))' "$TRUSTAUDIT_ARGS")
  args+=("${extra[@]}")
fi

trustaudit "${args[@]}"
code=$?

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "exit-code=$code"
    echo "report-dir=$report_dir"
  } >> "$GITHUB_OUTPUT"
fi
if [[ "${TRUSTAUDIT_DEFER_EXIT:-}" == "true" ]]; then
  exit 0
fi
exit "$code"
