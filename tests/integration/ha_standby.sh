#!/bin/bash
# The ALUA pair in standby mode, and explicit ownership moves. The non-owner's
# path answers exactly COMSTAR's standby set (those commands are proxied to the
# owner; the rest get NOT READY, 04/0B); SET TARGET PORT GROUPS from an initiator
# and aluaadm move the LU between the nodes, each move raising ASYMMETRIC ACCESS
# STATE CHANGED on the paths' existing nexuses.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns_lib.sh"
source "$(dirname "$0")/pair_lib.sh"
: "${ALUA_PROBE:?set ALUA_PROBE}"
trap 'pair_cleanup; cleanup' EXIT
ns_setup
pair_start --alua-mode standby
[[ $(access_of A) == Active && $(access_of B) == Standby ]]
on_node B "$ALUAADM" list-state | grep -q "Proxy Mode *: standby"

# aluaadm by hand on the non-owner: a node other than 0 or 1 is refused before
# stmfd is asked; with ALUA disabled its path is Unavailable and it never takes
# the LU, however long the owner's lease has run; enabling it again as node 1
# brings the pair back as it was.
if out=$(on_node B "$ALUAADM" enable 2 2>&1); then
  echo "aluaadm enable 2 was accepted" >&2
  exit 1
fi
grep -qx 'aluaadm: node "2": must be 0 or 1' <<<"$out"
on_node B "$ALUAADM" disable
on_node B "$ALUAADM" list-state | grep -q "ALUA Status *: disabled"
on_node B "$STMFADM" list-state | grep -q "ALUA Status *: disabled"
wait_access B Unavailable 5
sleep 1.5 # longer than the lease
[[ $(access_of A) == Active && $(access_of B) == Unavailable ]]
if grep -q "this node is the owner now" "$(node_log B)"; then
  echo "node 1 took the LU with ALUA disabled" >&2
  exit 1
fi
on_node B "$ALUAADM" enable 1
on_node B "$ALUAADM" list-state | grep -q "ALUA Status *: enabled"
on_node B "$ALUAADM" list-state | grep -q "ALUA Node *: 1"
wait_access B Standby 10
[[ $(access_of A) == Active ]]
echo "aluaadm disable, then enable 1, on the non-owner: Unavailable, then Standby again"

expect_filter() {  # URL EXPECTED
  local got
  got=$(in_ns "$NS_I" "$ALUA_PROBE" "$1" filter)
  if [[ $got != "$2" ]]; then
    echo "unexpected answers from $1:" >&2
    diff <(echo "$2") <(echo "$got") >&2
    return 1
  fi
}
# The commands COMSTAR's standby list lets through answer GOOD on both nodes.
listed="TEST-UNIT-READY GOOD
INQUIRY GOOD
REPORT-LUNS GOOD
READ-CAPACITY-10 GOOD
READ-10 GOOD
MODE-SENSE-6 GOOD
PERSISTENT-RESERVE-IN GOOD"
owner_answers="$listed
WRITE-10 GOOD
SYNCHRONIZE-CACHE-10 GOOD
VERIFY-10 GOOD"
standby_answers="$listed
WRITE-10 2/04/0b
SYNCHRONIZE-CACHE-10 2/04/0b
VERIFY-10 2/04/0b"
expect_filter "$URL_A" "$owner_answers"
expect_filter "$URL_B" "$standby_answers"
in_ns "$NS_I" "$ALUA_PROBE" "$URL_B" rtpg | grep -qx "group 2 S ports 256"
echo "standby filter as COMSTAR's"

# SET TARGET PORT GROUPS through node 1 makes its group Active/Optimized.
in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" watch 20 >"$WORK/ua-a" &
watcher=$!
wait_log "$WORK/ua-a" watching
[[ $(in_ns "$NS_I" "$ALUA_PROBE" "$URL_B" stpg 2) == "stpg GOOD" ]]
wait_access B Active
wait_access A Standby
wait $watcher
grep -qx "ua 6/2a/06" "$WORK/ua-a"
expect_filter "$URL_B" "$owner_answers"
expect_filter "$URL_A" "${standby_answers}"
rtpg=$(in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" rtpg)
grep -qx "group 1 S ports 1" <<<"$rtpg"
grep -qx "group 2 AO ports 256" <<<"$rtpg"
grep -q "handed over to node 1" "$(node_log A)"
echo "SET TARGET PORT GROUPS moved the LU to node 1"

# aluaadm on node 0 takes it back; aluaadm standby on node 0 gives it away again.
on_node A "$ALUAADM" active "$GUID"
[[ $(access_of A) == Active ]]
wait_access B Standby
on_node A "$ALUAADM" standby "$GUID"
[[ $(access_of A) == Standby ]]
wait_access B Active
on_node B "$ALUAADM" standby "$GUID"
wait_access A Active
echo "aluaadm active/standby moved the LU both ways"

# A bad GUID and an unknown LU are refused with a clear error.
if on_node A "$ALUAADM" standby 1234 2>"$WORK/err"; then exit 1; fi
grep -q "invalid LU name" "$WORK/err"
if on_node A "$ALUAADM" active 600144F0000000000000000000000001 2>"$WORK/err"; then exit 1; fi
grep -q "not shared" "$WORK/err"
echo "bad LU names refused"

# Deleting the LU on the standby node removes only that node's copy; importing
# it again brings it back as standby.
: "${STMFADM:?set STMFADM}"
lu_listed() { on_node "$1" "$STMFADM" list-lu | grep -q "$GUID"; }
refute() {
  if "$@"; then
    echo "unexpectedly true: $*" >&2
    return 1
  fi
}
on_node B "$STMFADM" delete-lu -k "$GUID"
refute lu_listed B
sleep 1.5 # longer than the lease: the owner must not react
lu_listed A
[[ $(access_of A) == Active ]]
refute grep -q "deleted on the peer node" "$(node_log A)"
on_node B "$STMFADM" import-lu "$SHARED/lu0.img"
wait_access B Standby
on_node B "$STMFADM" add-view -n 5 "$GUID"
echo "deleting the standby copy left the owner alone"

# Deleting it on its owner removes it from the other node too (views kept
# there), which then never takes it over.
owned=$(grep -c "this node is the owner now" "$(node_log B)" || true)
on_node A "$STMFADM" delete-lu "$GUID"
wait_log "$(node_log B)" "deleted on the peer node, removed here"
grep -qi "LU $GUID: deleted here; the peer node removes its copy" "$(node_log A)"
refute lu_listed A
refute lu_listed B
on_node B "$STMFADM" list-view -l "$GUID" | grep -q "LUN *: *5"
sleep 1.5 # longer than the lease
refute lu_listed B
[[ $(grep -c "this node is the owner now" "$(node_log B)" || true) == "$owned" ]]
echo "deleting on the owner removed the LU from both nodes"

# A LU its owner deletes while the peer cannot be told (link cut) is still not
# taken over: the retired lease on the shared store says it was deleted, so the
# other node removes its copy, and the link's return brings nothing back.
wait_gone() {  # NODE
  for _ in $(seq 100); do
    lu_listed "$1" || return 0
    sleep 0.1
  done
  echo "node $1 still lists LU $GUID" >&2
  return 1
}
on_node A "$STMFADM" import-lu "$SHARED/lu0.img" # an explicit import clears the mark
wait_access A Active
wait_access B Standby
owned=$(grep -c "this node is the owner now" "$(node_log B)" || true)
reachable=$(grep -c "the peer node is reachable" "$(node_log B)")
back_link down
wait_access B Unavailable 10
on_node A "$STMFADM" delete-lu "$GUID"
grep -qi "LU $GUID: lease retired" "$(node_log A)"
wait_log "$(node_log B)" "LU ${GUID,,}: node 0 deleted it while it owned it; removing this copy"
wait_gone B
sleep 1.5 # longer than the lease
[[ $(grep -c "this node is the owner now" "$(node_log B)" || true) == "$owned" ]]
back_link up
wait_log "$(node_log B)" "the peer node is reachable" $((reachable + 1))
sleep 0.5
refute lu_listed A
refute lu_listed B
echo "deleted on the owner while the link was cut: not taken over, not brought back"

# The same for a node that is down while the owner deletes the LU and restores
# it from its configuration when it starts again. Node 1 imports it on purpose
# first, which clears the mark; node 1 then holds it after an unheld lease period.
on_node B "$STMFADM" import-lu "$SHARED/lu0.img"
wait_access B Active
wait_access A Standby
node_kill9 A
on_node B "$STMFADM" delete-lu "$GUID"
grep -qi "LU $GUID: lease retired" "$(node_log B)"
owned=$(grep -ci "LU $GUID: owned by this node" "$(node_log A)" || true)
node_start A # node 0 has it on its command line (--lu)
wait_log "$(node_log A)" "LU ${GUID,,}: node 1 deleted it while it owned it; removing this copy"
wait_gone A
[[ $(grep -ci "LU $GUID: owned by this node" "$(node_log A)" || true) == "$owned" ]]
echo "a copy restored at start-up after its owner deleted the LU is removed"
