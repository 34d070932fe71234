#!/bin/bash
# Failover of the ALUA pair, with writers that verify through both paths.
#  1. kill -9 of the owner's stmfd: the other node takes the LU once the owner's
#     lease in the shared metadata has expired and I/O resumes there; the old
#     owner comes back as the non-owner and failback works.
#  2. the peer link cut: the owner keeps the LU (its lease is still renewed) and
#     the other node's path turns Unavailable — no split brain; the owner dying
#     while cut off still hands the LU over, by the lease alone.
#  3. persistent reservations and their keys survive a failover.
# Every acknowledged write reads back afterwards through either node. Garbage on
# the link port does not disturb the pair. The failover times are printed
# (measured, not asserted).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns_lib.sh"
source "$(dirname "$0")/pair_lib.sh"
: "${FAILOVER_CLIENT:?set FAILOVER_CLIENT}" "${ALUA_PROBE:?set ALUA_PROBE}"
trap 'pair_cleanup; cleanup' EXIT
ns_setup
pair_start --alua-mode active-nonoptimized
now_ms() { date +%s%3N; }
client() {  # ACKLOG SECONDS
  in_ns "$NS_I" "$FAILOVER_CLIENT" run "$URL_A" "$URL_B" "$1" 77 "$2"
}
check() {  # ACKLOG
  in_ns "$NS_I" "$FAILOVER_CLIENT" checklog "$URL_A" "$1" 77
  in_ns "$NS_I" "$FAILOVER_CLIENT" checklog "$URL_B" "$1" 77
}

# --- 1. kill -9 of the owner
client "$WORK/ack1" 14 >"$WORK/client1.out" 2>&1 &
writer=$!
sleep 3
# Garbage on node 1's link port (ha_peer_link shows it refused) does not
# disturb the pair: the link stays up and the writers go on.
in_ns "$NS_I" bash -c "printf 'not a peer%.0s' {1..8} >/dev/tcp/$B_FRONT/6543" || true
t0=$(now_ms)
node_kill9 A
wait_access B Active 15
t1=$(now_ms)
grep -q "this node is the owner now (the owner's lease expired)" "$(node_log B)"
node_start A
wait_access A "Active/Non-optimized" 30
on_node A "$ALUAADM" active "$GUID"
wait_access B "Active/Non-optimized"
echo "failback to node 0 done"
wait $writer || { cat "$WORK/client1.out"; exit 1; }
cat "$WORK/client1.out"
check "$WORK/ack1"
echo "kill -9: LU active on node 1 $((t1 - t0)) ms after the owner died;" \
  "$(grep -o 'max gap [0-9]* ms' "$WORK/client1.out") between acknowledged writes"

# --- 2. the peer link cut
client "$WORK/ack2" 12 >"$WORK/client2.out" 2>&1 &
writer=$!
sleep 1
takeovers=$(grep -c "this node is the owner now" "$(node_log B)")
back_link down
wait_access B Unavailable 10
sleep 3  # three lease periods: node 1 must not take the LU
[[ $(access_of A) == Active && $(access_of B) == Unavailable ]]
[[ $(grep -c "this node is the owner now" "$(node_log B)") -eq $takeovers ]]
echo "link cut: node 0 keeps the LU, node 1 is Unavailable, no split brain"
t0=$(now_ms)
node_kill9 A
wait_access B Active 15
t1=$(now_ms)
back_link up
node_start A
wait_access A "Active/Non-optimized" 30
wait $writer || { cat "$WORK/client2.out"; exit 1; }
cat "$WORK/client2.out"
check "$WORK/ack2"
echo "link cut, then the owner killed: LU active on node 1 $((t1 - t0)) ms after;" \
  "$(grep -o 'max gap [0-9]* ms' "$WORK/client2.out") between acknowledged writes"

# --- 3. reservations survive a failover (node 1 owns the LU now)
in_ns "$NS_I" "$ALUA_PROBE" "$URL_B" register 0xabc123 | tee "$WORK/pr"
grep -qx "register GOOD" "$WORK/pr"
grep -qx "reserve GOOD" "$WORK/pr"
sleep 0.3
node_kill9 B
wait_access A Active 15
in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" prin | tee "$WORK/prin"
grep -qx "key 0xabc123" "$WORK/prin"
grep -qx "reservation 0xabc123 type 1" "$WORK/prin"
in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" clear 0xabc123 | grep -qx "clear GOOD"
echo "reservation and key survived the failover"
