# Shared by the integration tests (sourced). Each test starts its own stmfd on a
# free port (the daemon binds port 0 and logs the port it got) with a temporary
# state and run directory, and kills it on exit whatever happens.
#   STMFD            path of build/bin/stmfd (set by ctest)
#   start_stmfd ARGS starts it; sets PORT, PORTAL, TARGET, URL (LUN 0), and PORT2
#                    when a portal on 127.0.0.2 was asked for
#   stop_stmfd       SIGTERM, waits, returns its exit status
#   absent PAT TEXT  fails the test when a line of TEXT matches PAT
#   threads_on PID CPUS  fails unless every thread of PID is confined to CPUS
set -euo pipefail
: "${STMFD:?set STMFD to the stmfd binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/openstmf-it.XXXXXX")
TARGET=iqn.2026-11.org.openstmf:default
STMFD_PID=
# cleanup [STATUS]: the exit handler; STATUS (default: the last command's) is
# the test's, for handlers that run other commands first.
cleanup() {
  local rc=${1:-$?}
  if [[ -n $STMFD_PID ]] && kill -0 "$STMFD_PID" 2>/dev/null; then
    kill -9 "$STMFD_PID" 2>/dev/null || true
    wait "$STMFD_PID" 2>/dev/null || true
  fi
  # Sanitizer builds report into the daemon's log; any report fails the test.
  if grep -qE "ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer" \
    "$WORK/stmfd.log" 2>/dev/null; then
    grep -E -A30 "ERROR: AddressSanitizer|runtime error:|WARNING: ThreadSanitizer" "$WORK/stmfd.log" >&2
    rc=1
  fi
  if [[ $rc -ne 0 ]] && [[ -f $WORK/stmfd.log ]]; then
    echo "--- stmfd log (last 40 lines)" >&2
    tail -40 "$WORK/stmfd.log" >&2
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

start_stmfd() {
  local log="$WORK/stmfd.log"
  "$STMFD" --foreground --state-dir "$WORK/state" --run-dir "$WORK/run" \
    --listen 127.0.0.1:0 --nop-interval 0 "$@" >>"$log" 2>&1 &
  STMFD_PID=$!
  for _ in $(seq 200); do
    if ! kill -0 "$STMFD_PID" 2>/dev/null; then
      echo "stmfd exited early:" >&2
      cat "$log" >&2
      return 1
    fi
    if [[ $(grep -c "stmfd: ready" "$log") -gt ${STARTS:-0} ]]; then
      STARTS=$(grep -c "stmfd: ready" "$log")
      PORT=$(sed -n 's/.*serving .* on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | tail -1)
      PORT2=$(sed -n 's/.*serving .* on 127\.0\.0\.2:\([0-9]*\) .*/\1/p' "$log" | tail -1)
      PORTAL=127.0.0.1:$PORT
      URL=iscsi://$PORTAL/$TARGET/0
      return 0
    fi
    sleep 0.05
  done
  echo "stmfd did not come up" >&2
  cat "$log" >&2
  return 1
}

stop_stmfd() {
  local rc=0
  kill -TERM "$STMFD_PID"
  wait "$STMFD_PID" || rc=$?
  STMFD_PID=
  return $rc
}

kill9_stmfd() {
  kill -9 "$STMFD_PID"
  wait "$STMFD_PID" 2>/dev/null || true
  STMFD_PID=
}

stmfd_log() { cat "$WORK/stmfd.log"; }

# threads_on PID CPUS: fails unless every thread of PID may run on exactly the
# CPUs CPUS (as /proc writes them, "1" or "0-3"); prints how many threads.
threads_on() {
  local n=0 status allowed
  for status in /proc/"$1"/task/*/status; do
    allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$status")
    if [[ $allowed != "$2" ]]; then
      echo "a thread of pid $1 may run on CPUs $allowed, not $2" >&2
      return 1
    fi
    n=$((n + 1))
  done
  echo "$n"
}

# absent PATTERN TEXT: fails the test when TEXT has a line matching PATTERN.
absent() {
  if grep -q "$1" <<<"$2"; then
    echo "unexpected \"$1\" in:" >&2
    echo "$2" >&2
    exit 1
  fi
}
