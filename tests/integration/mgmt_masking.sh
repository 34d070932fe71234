#!/usr/bin/env bash
# Views through the management door, checked with two initiators: one in the
# view's host group sees the LU at the view's LUN; the other does not see it in
# REPORT LUNS and gets LOGICAL UNIT NOT SUPPORTED at that LUN. Then an offline
# LU and an offline framework hide it from everyone.
source "$(dirname "$0")/lib.sh"
: "${MGMT_CLIENT:?set MGMT_CLIENT to the mgmt_client binary}"
mc() { "$MGMT_CLIENT" "$WORK/run/stmfd.door" "$@"; }
IN=iqn.2026-11.org.openstmf.test:inside
OUT=iqn.2026-11.org.openstmf.test:outside

start_stmfd
GUID=$(mc list-lus | sed -n 's/^lus\.0\.guid=//p')
[[ ${#GUID} -eq 32 ]]

echo "== default view: everyone sees LUN 0"
iscsi-ls -s -i "$OUT" "iscsi://$PORTAL/" | grep -q "Lun:0 "

echo "== a view for host group hg at LUN 3"
mc create-group kind=host name=hg
mc add-member kind=host name=hg member="$IN"
mc add-view "@guid=$GUID" host_group=hg '#lun=3' | grep -q "^lun=3$"
mc list-views "@guid=$GUID" | grep -q "^views.0.host_group=hg$"

out=$(iscsi-ls -s -i "$IN" "iscsi://$PORTAL/")
echo "$out"
grep -q "Lun:3 " <<<"$out"
absent "Lun:0 " "$out"
iscsi-inq -i "$IN" "iscsi://$PORTAL/$TARGET/3" | grep -q "Peripheral Device Type:DIRECT_ACCESS"

out=$(iscsi-ls -s -i "$OUT" "iscsi://$PORTAL/")
echo "$out"
absent "Lun:" "$out"
if out=$(iscsi-readcapacity16 -i "$OUT" "iscsi://$PORTAL/$TARGET/3" 2>&1); then
  echo "the initiator outside the host group read the LU" >&2
  exit 1
fi
echo "$out"
grep -q "LOGICAL_UNIT_NOT_SUPPORTED" <<<"$out"

echo "== errors name the object"
rc=0
out=$(mc add-view "@guid=$GUID" host_group=nope) || rc=$?
[[ $rc -eq 3 ]]
grep -q "^status=0x8011$" <<<"$out"  # STMF_ERROR_INVALID_HG
grep -q "nope" <<<"$out"

echo "== offline LU: LOGICAL UNIT NOT SUPPORTED for the inside initiator too"
mc offline-lu "@guid=$GUID"
mc get-lu "@guid=$GUID" | grep -q "^state=offline$"
absent "Lun:" "$(iscsi-ls -s -i "$IN" "iscsi://$PORTAL/")"
out=$(iscsi-readcapacity16 -i "$IN" "iscsi://$PORTAL/$TARGET/3" 2>&1) && exit 1
grep -q "LOGICAL_UNIT_NOT_SUPPORTED" <<<"$out"
mc online-lu "@guid=$GUID"
iscsi-ls -s -i "$IN" "iscsi://$PORTAL/" | grep -q "Lun:3 "

echo "== offline framework: nothing visible; online again"
mc offline
mc get-state | grep -q "^operational_state=10$"
absent "Lun:" "$(iscsi-ls -s -i "$IN" "iscsi://$PORTAL/")"
mc online
iscsi-ls -s -i "$IN" "iscsi://$PORTAL/" | grep -q "Lun:3 "

echo "== removing the host member hides the LU again"
mc remove-member kind=host name=hg member="$IN"
absent "Lun:" "$(iscsi-ls -s -i "$IN" "iscsi://$PORTAL/")"

stop_stmfd
echo PASS
