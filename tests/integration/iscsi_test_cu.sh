#!/usr/bin/env bash
# libiscsi's conformance suite against stmfd: the whole ALL family on a
# file-backed LU (two portals, so the multipath tests run), the ReadOnly family
# on a write-protected LU, the removable-media families on removable LUs with
# and without a medium, and the tests that need physical blocks larger than
# logical ones on a LU with 4 KiB physical blocks. Failures must match iscsi_test_cu.expected.
#
# The Sanitize suite runs on its own, through one portal: with a second path,
# Sanitize.Reservations leaves the second initiator's RESERVE(6) in place
# (libiscsi's mpath_sd2_put releases nothing when the second path is shared),
# so Sanitize.Reset's SANITIZE would rightly get RESERVATION CONFLICT. Through
# one portal the test logs the second initiator out, as it was written for.
source "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
start_stmfd --listen 127.0.0.2:0 \
  --lu "$WORK/file.img,size=1G" \
  --lu "$WORK/wp.img,size=64M,wp" \
  --lu "$WORK/removable.img,size=64M,removable" \
  --lu "$WORK/pblock.img,size=64M,pblock=4096"
base=iscsi://$PORTAL/$TARGET
path2=iscsi://127.0.0.2:$PORT2/$TARGET
cu() {  # NAME LUN FAMILY [single]
  local name=$1 lun=$2 family=$3 urls=("$base/$2" "$path2/$2")
  [[ ${4:-} == single ]] && urls=("$base/$2")
  echo "== iscsi-test-cu $family on LUN $lun ($name)"
  iscsi-test-cu --dataloss --allow-sanitize -t "$family" "${urls[@]}" \
    >"$WORK/$name.log" 2>&1 || true
  grep -A3 "Run Summary" "$WORK/$name.log" || { tail -20 "$WORK/$name.log"; return 1; }
}
# Every suite of ALL but Sanitize, in ALL's order (the list is added last first).
all_but_sanitize=$(iscsi-test-cu -l | grep -E '^ALL\.[A-Za-z0-9]+$' | grep -vx 'ALL.Sanitize' |
  tac | paste -sd,)
cu file 0 "$all_but_sanitize"
cu sanitize 0 ALL.Sanitize single
cu wp 1 ALL.ReadOnly
cu removable 2 ALL.PreventAllow
cu startstop 2 ALL.StartStopUnit
cu nomedia 2 ALL.NoMedia
# The tests that need several logical blocks per physical block (libiscsi's
# CHECK_FOR_LBPPB_GT_1), on a LU with 4 KiB physical blocks.
cu pblock 3 ALL.CompareAndWrite.InvalidDataOutSize,ALL.WriteSame10.InvalidDataOutSize,ALL.WriteSame10.UnmapUnaligned,ALL.WriteSame16.InvalidDataOutSize,ALL.WriteSame16.UnmapUnaligned
python3 "$here/cu_results.py" "$here/iscsi_test_cu.expected" \
  file="$WORK/file.log" sanitize="$WORK/sanitize.log" wp="$WORK/wp.log" removable="$WORK/removable.log" \
  startstop="$WORK/startstop.log" nomedia="$WORK/nomedia.log" pblock="$WORK/pblock.log"
