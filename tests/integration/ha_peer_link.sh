#!/bin/bash
# Two stmfproxy daemons in two network namespaces: the peer link comes up over
# the back link, refuses a wrong secret and garbage from the initiator network
# while it keeps serving, and comes back after the back link is cut and
# restored (ip link set down/up).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns_lib.sh"
: "${STMFPROXY:?set STMFPROXY to the stmfproxy binary}"
trap 'rc=$?; ns_cleanup; cleanup $rc' EXIT
ns_setup

umask 077
printf 'the-pair-secret-123456\n' >"$WORK/secret"
printf 'some-other-secret-98765\n' >"$WORK/wrong"
mkdir -p "$WORK/run-a" "$WORK/run-b"

in_ns "$NS_B" "$STMFPROXY" -n 1 -s "$WORK/secret" -l 0.0.0.0 -R "$WORK/run-b" \
  >"$WORK/b.log" 2>&1 &
wait_log "$WORK/b.log" "node 1 waiting for the peer"
# Before node 0 is there: an intruder with the wrong secret from the initiator's
# network, then garbage and a truncated greeting. Each is refused and logged.
in_ns "$NS_I" timeout 3 "$STMFPROXY" -n 0 -s "$WORK/wrong" -R "$WORK" "$B_FRONT" \
  >"$WORK/intruder.log" 2>&1 || true
grep -q "refused $B_FRONT:6543: the peer does not know the pair's secret" "$WORK/intruder.log" ||
  { cat "$WORK/intruder.log"; exit 1; }
wait_log "$WORK/b.log" "refused a connection: the peer does not know the pair's secret"
in_ns "$NS_I" bash -c "printf 'GET / HTTP/1.0\r\n\r\n%.0s' {1..4} >/dev/tcp/$B_FRONT/6543" || true
wait_log "$WORK/b.log" "refused a connection: the peer did not send an openstmf peer link greeting"
before=$(grep -c "refused a connection" "$WORK/b.log")
in_ns "$NS_I" bash -c "printf 'OSPL\x01' >/dev/tcp/$B_FRONT/6543" || true
wait_log "$WORK/b.log" "refused a connection" $((before + 1))
echo "wrong secret, garbage and a truncated greeting refused"

set +e
"$STMFPROXY" -n 0 -s "$WORK/secret" -R "$WORK/run-a" -c 1023 "$B_BACK" >"$WORK/c.log" 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || { echo "-c with no such CPU exited $rc, not 1" >&2; exit 1; }
grep -q "error stmfproxy: -c: pinning to CPUs 1023" "$WORK/c.log" || { cat "$WORK/c.log"; exit 1; }
# Node 0 runs on one CPU (-c): every thread of it, the relay's included.
cpu=$(($(nproc) - 1))
# ip netns exec runs stmfproxy in its own process, so $! is its pid.
ip netns exec "$NS_A" "$STMFPROXY" -n 0 -s "$WORK/secret" -R "$WORK/run-a" -c "$cpu" "$B_BACK" \
  >"$WORK/a.log" 2>&1 &
proxy_a=$!
wait_log "$WORK/a.log" "peer link up with node 1"
wait_log "$WORK/b.log" "peer link up with node 0"
echo "peer link up"
grep -q "running on CPUs $cpu" "$WORK/a.log"
tasks=$(threads_on "$proxy_a" "$cpu")
[[ $tasks -gt 2 ]]
echo "node 0's proxy runs on CPU $cpu only ($tasks threads)"
# Garbage while the link is up does not disturb it.
in_ns "$NS_I" bash -c "printf 'junk' >/dev/tcp/$B_FRONT/6543" || true
sleep 1.5
if grep -q "peer link down" "$WORK/b.log"; then
  echo "the link dropped" >&2
  exit 1
fi

# Cut the back link: both sides notice (keep-alives stop), then it heals.
back_link down
wait_log "$WORK/a.log" "peer link down" 1 15
wait_log "$WORK/b.log" "peer link down" 1 15
echo "link loss detected"
back_link up
wait_log "$WORK/a.log" "peer link up with node 1" 2 30
wait_log "$WORK/b.log" "peer link up with node 0" 2 30
echo "link restored"
