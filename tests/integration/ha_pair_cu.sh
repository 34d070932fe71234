#!/bin/bash
# The ALUA pair in active-nonoptimized mode, seen by libiscsi's conformance
# suite: two nodes in network namespaces on one shared backing file, an
# initiator in a third. Both paths report the same target port groups; the
# MultipathIO family passes with one URL per node; the whole ALL family passes
# through each path — through node 1 every command is proxied to the owner,
# node 0. Sanitize runs in ha_pair_sanitize.sh, on a LU large enough for it.
# Failures must match ha_pair_cu.expected.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns_lib.sh"
source "$(dirname "$0")/pair_lib.sh"
: "${ALUA_PROBE:?set ALUA_PROBE}"
here=$(dirname "$0")
trap 'pair_cleanup; cleanup' EXIT
ns_setup
pair_start --alua-mode active-nonoptimized

# Both nodes answer REPORT TARGET PORT GROUPS alike, after a login through each
# node registered its target port with the peer.
in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" rtpg >/dev/null
in_ns "$NS_I" "$ALUA_PROBE" "$URL_B" rtpg >/dev/null
sleep 0.3
a=$(in_ns "$NS_I" "$ALUA_PROBE" "$URL_A" rtpg)
b=$(in_ns "$NS_I" "$ALUA_PROBE" "$URL_B" rtpg)
echo "$a"
[[ $a == "$b" ]] || { echo "RTPG differs: node 1 says" >&2; echo "$b" >&2; exit 1; }
grep -qx "tpgs 3" <<<"$a"
grep -qx "group 1 AO ports 1" <<<"$a"
grep -qx "group 2 ANO ports 256" <<<"$a"
[[ $(access_of A) == Active && $(access_of B) == "Active/Non-optimized" ]]
on_node B "$STMFADM" list-lu -v | grep -q "Access State *: Standby"
on_node A "$STMFADM" list-lu -v | grep -q "Access State *: Active"

all_but_sanitize=$(iscsi-test-cu -l | grep -E '^ALL\.[A-Za-z0-9]+$' | grep -vx 'ALL.Sanitize' |
  tac | paste -sd,)
cu() {  # NAME FAMILY URL...
  local name=$1 family=$2
  shift 2
  echo "== iscsi-test-cu $family ($name)"
  in_ns "$NS_I" iscsi-test-cu --dataloss -t "$family" "$@" >"$WORK/$name.log" 2>&1 || true
  grep -A3 "Run Summary" "$WORK/$name.log" || { tail -20 "$WORK/$name.log"; return 1; }
}
cu multipath ALL.MultipathIO "$URL_A" "$URL_B"
cu via-node1 "$all_but_sanitize" "$URL_B" "$URL_A"
cu via-node0 "$all_but_sanitize" "$URL_A" "$URL_B"
python3 "$here/cu_results.py" --skips-ok "$here/ha_pair_cu.expected" \
  multipath="$WORK/multipath.log" via-node1="$WORK/via-node1.log" via-node0="$WORK/via-node0.log"
