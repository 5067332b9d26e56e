#!/usr/bin/env bash
# Runs every test of the solution: installs what the tests need when it is missing and this user can (root + apt),
# builds once, runs `dotnet test`, stops anything the tests left running, and ends with one line: "N passed, N failed".
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Cerebrum]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS="$ROOT/TestResults/test-sh"
LOGS="$ROOT/TestResults/test-sh-logs"

say() { printf '==> %s\n' "$*"; }

have() { command -v "$1" >/dev/null 2>&1; }

install_missing_tools() {
  local missing=()
  have rabbitmq-server || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  have chromium || missing+=(chromium)
  have chromedriver || missing+=(chromium-driver)
  have docker-compose || missing+=(docker-compose)
  if [ ${#missing[@]} -eq 0 ]; then
    say "rabbitmq-server, chromium, chromedriver and docker-compose are installed"
    return
  fi
  if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
    say "not installed: ${missing[*]} (needs root and apt-get); the tests that use them will say what is missing"
    return
  fi

  say "installing with apt-get: ${missing[*]} (log: $LOGS/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  # Keep Debian's postinst from starting a system-wide broker: the tests start private nodes on free ports.
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  apt-get update -qq >>"$LOGS/apt.log" 2>&1 || say "apt-get update failed; trying the install with the package lists there are"
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOGS/apt.log" 2>&1; then
    say "apt-get install failed for some of: ${missing[*]}; the tests that need them will say so (tail of $LOGS/apt.log:)"
    tail -n 5 "$LOGS/apt.log" | sed 's/^/    /'
  fi
  [ "$policy_added" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
}

# Sums one attribute of every TRX <Counters .../> element.
count() {
  local sum=0 value
  for file in "$RESULTS"/*.trx; do
    [ -e "$file" ] || continue
    value=$(grep -o "<Counters [^>]*" "$file" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | head -n 1)
    sum=$((sum + ${value:-0}))
  done
  echo "$sum"
}

# "  <test name>: <first line of its message>" for every failed result in the TRX files.
failed_tests() {
  for file in "$RESULTS"/*.trx; do
    [ -e "$file" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
      want && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); print "    " name ": " substr(line, 1, 200); want = 0 }
    ' "$file"
  done
}

mkdir -p "$LOGS"
rm -rf "$RESULTS"
install_missing_tools
if ! have dotnet; then
  say "dotnet is not on PATH: install the .NET SDK named in global.json"
  echo "0 passed, 1 failed"
  exit 1
fi

say "building Bridge.sln ($CONFIGURATION)"
if ! dotnet build Bridge.sln -c "$CONFIGURATION" -nologo -v:q -clp:NoSummary; then
  say "the build failed; no test ran"
  echo "0 passed, 1 failed"
  exit 1
fi

say "running the tests (results: $RESULTS)"
# Job control puts the test run in its own process group (so whatever the tests leave behind can be stopped by that
# group's id afterwards) and, unlike a plain '&', leaves SIGINT deliverable to the processes the tests signal.
set -m
dotnet test Bridge.sln -c "$CONFIGURATION" --no-build --nologo \
  --logger "trx;LogFilePrefix=bridge" --results-directory "$RESULTS" \
  --blame-hang-timeout 8m --blame-hang-dump-type none "$@" &
runner=$!
set +m
trap 'kill -INT -- "-$runner" 2>/dev/null' INT TERM
status=0
wait "$runner" || status=$?
while kill -0 "$runner" 2>/dev/null; do
  # wait was interrupted by a forwarded Ctrl+C: wait for the run to finish stopping.
  status=0
  wait "$runner" || status=$?
done
trap - INT TERM

# Processes still in the test run's group, zombies (already dead, awaiting their parent) left out.
leftovers() { ps -e -o pgid=,stat=,pid=,args= | awk -v group="$runner" '$1 == group && $2 !~ /^Z/ { $1 = ""; $2 = ""; print "    " substr($0, 3, 110) }'; }
if [ -n "$(leftovers)" ]; then
  say "stopping processes the tests left running:"
  leftovers | head -n 10
  kill -TERM -- "-$runner" 2>/dev/null
  sleep 3
  kill -KILL -- "-$runner" 2>/dev/null
fi
if [ "${CI:-}" = "true" ]; then
  dotnet build-server shutdown >/dev/null 2>&1 || true
fi

passed=$(count passed)
failed=$(count failed)
total=$(count total)
executed=$(count executed)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A crash, a hang or a test host that died counts as a failure even when no TRX recorded it.
  failed=1
fi
skipped=$((total - executed))
say "finished in ${SECONDS} s; results in $RESULTS"
if [ "$failed" -gt 0 ]; then
  # CI shows only the end of the output: name every failed test (and its message's first line) right above the count.
  say "failed tests:"
  failed_tests | head -n 40
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
