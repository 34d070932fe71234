#!/usr/bin/env bash
# libiscsi's conformance suite against stmfd: the whole ALL family on a
# file-backed LU (two portals, so the multipath tests run), the ReadOnly family
# on a write-protected LU, and the removable-media families on removable LUs
# with and without a medium. Failures must match iscsi_test_cu.expected.
source "$(dirname "$0")/lib.sh"
here=$(dirname "$0")
start_stmfd --listen 127.0.0.2:0 \
  --lu "$WORK/file.img,size=1G" \
  --lu "$WORK/wp.img,size=64M,wp" \
  --lu "$WORK/removable.img,size=64M,removable"
base=iscsi://$PORTAL/$TARGET
path2=iscsi://127.0.0.2:$PORT2/$TARGET
cu() {  # NAME LUN FAMILY
  local name=$1 lun=$2 family=$3
  echo "== iscsi-test-cu $family on LUN $lun ($name)"
  iscsi-test-cu --dataloss --allow-sanitize -t "$family" "$base/$lun" "$path2/$lun" \
    >"$WORK/$name.log" 2>&1 || true
  grep -A3 "Run Summary" "$WORK/$name.log" || { tail -20 "$WORK/$name.log"; return 1; }
}
cu file 0 ALL
cu wp 1 ALL.ReadOnly
cu removable 2 ALL.PreventAllow
cu startstop 2 ALL.StartStopUnit
cu nomedia 2 ALL.NoMedia
python3 "$here/cu_results.py" "$here/iscsi_test_cu.expected" \
  file="$WORK/file.log" wp="$WORK/wp.log" removable="$WORK/removable.log" \
  startstop="$WORK/startstop.log" nomedia="$WORK/nomedia.log"
