#!/usr/bin/env bash
# Two admin stories through the CLIs against a real stmfd:
#  - an LU comes back from its backing file alone: after the configuration
#    database is deleted, stmfadm import-lu restores its GUID, size and alias;
#  - target groups mask: a view through a target group exposes the LU on the
#    group's target and not on another target, as seen with iscsi-ls.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
: "${ITADM:?set ITADM to the itadm binary}"
S=$STMFADM
INI=iqn.1993-08.org.debian:01:import-tg
T2=iqn.2026-11.org.openstmf:second

start_stmfd
ok "$S" create-lu -p alias=keepme -s 96m "$WORK/keep.img"
GUID=$(sed -n 's/^Logical unit created: //p' <<<"$OUT")
[[ ${#GUID} -eq 32 ]] || fail "create-lu: $OUT"
ok "$S" list-lu -v "$GUID"
before=$(grep -E 'Alias|Size|Data File' <<<"$OUT")

echo "== import after the configuration is gone"
stop_stmfd
rm -f "$WORK/state/config.db" "$WORK/state/config.db-wal" "$WORK/state/config.db-shm"
start_stmfd
ok "$S" list-lu
grep -q "$GUID" <<<"$OUT" && fail "the LU survived without its configuration: $OUT"
ok "$S" import-lu "$WORK/keep.img"
grep -qi "$GUID" <<<"$OUT" || fail "import-lu did not bring back $GUID: $OUT"
ok "$S" list-lu -v "$GUID"
after=$(grep -E 'Alias|Size|Data File' <<<"$OUT")
[[ "$before" == "$after" ]] || fail "properties changed: before=[$before] after=[$after]"
echo "$after"

echo "== a view through a target group shows only on that group's target"
ok "$ITADM" create-target -n "$T2"
ok "$S" create-tg tg2
ok "$S" offline-target "$T2"
ok "$S" add-tg-member -g tg2 "$T2"
ok "$S" online-target "$T2"
ok "$S" add-view -t tg2 -n 7 "$GUID"
out=$(iscsi-ls -s -i "$INI" "iscsi://$PORTAL/")
echo "$out"
# The lines after each "Target:" line are that target's LUNs.
on_t2=$(awk -v t="Target:$T2 " '/^Target:/{cur=index($0, t)==1} cur && /^Lun:/' <<<"$out")
on_default=$(awk -v t="Target:$TARGET " '/^Target:/{cur=index($0, t)==1} cur && /^Lun:/' <<<"$out")
grep -q "^Lun:7 " <<<"$on_t2" || fail "LUN 7 missing on $T2"
absent "^Lun:7 " "$on_default"
iscsi-inq -i "$INI" "iscsi://$PORTAL/$TARGET/7" >/dev/null 2>&1 &&
  fail "LUN 7 answered on the default target"
iscsi-inq -i "$INI" "iscsi://$PORTAL/$T2/7" | grep -q "DIRECT_ACCESS" || fail "inquiry on $T2"
stop_stmfd
echo PASS
