#!/bin/bash
# libiscsi's Sanitize suite through the ALUA pair's proxied path: node 1 carries
# every SANITIZE, and every command that checks on it, to the owner, node 0.
# The operation runs on the owner, so NOT READY, SANITIZE IN PROGRESS (04/1B)
# and the progress indication must come back through the proxy, and the
# operation must go on across ABORT TASK, resets and the cold reset that
# Sanitize.Reset sends to node 1. The LU is 1 GiB because stmfd paces a
# sanitize at 128 MiB/s (docs/scsi.md) and Sanitize.Reset needs it to be
# still running after its resets. One portal, as iscsi_test_cu.sh explains.
# Failures must match ha_pair_cu.expected.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/netns_lib.sh"
source "$(dirname "$0")/pair_lib.sh"
here=$(dirname "$0")
trap 'pair_cleanup; cleanup' EXIT
ns_setup
PAIR_LU_SIZE=1G
pair_start --alua-mode active-nonoptimized
[[ $(access_of A) == Active && $(access_of B) == "Active/Non-optimized" ]]
echo "== iscsi-test-cu ALL.Sanitize through node 1"
in_ns "$NS_I" iscsi-test-cu --dataloss --allow-sanitize -t ALL.Sanitize "$URL_B" \
  >"$WORK/sanitize.log" 2>&1 || true
grep -A3 "Run Summary" "$WORK/sanitize.log" || { tail -20 "$WORK/sanitize.log"; exit 1; }
# The suite, resets included, moved nothing: node 0 still owns the LU.
[[ $(access_of A) == Active && $(access_of B) == "Active/Non-optimized" ]]
python3 "$here/cu_results.py" --skips-ok "$here/ha_pair_cu.expected" \
  sanitize-via-node1="$WORK/sanitize.log"
