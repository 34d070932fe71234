#!/usr/bin/env bash
# What the management door changes survives a restart: LUs created and
# modified, groups, views, LU state, the framework's state and the persist
# method; a deleted default LU stays deleted; an LU whose file went away is
# skipped with a log line; a corrupt configuration database stops stmfd with
# the file's name.
source "$(dirname "$0")/lib.sh"
: "${MGMT_CLIENT:?set MGMT_CLIENT to the mgmt_client binary}"
mc() { "$MGMT_CLIENT" "$WORK/run/stmfd.door" "$@"; }
IN=iqn.2026-11.org.openstmf.test:inside

start_stmfd
DEF=$(mc list-lus | sed -n 's/^lus\.0\.guid=//p')
NEW=$(mc create-lu "+data=$WORK/state/data.img" +size=64M +alias=data +vendor=ACME |
  sed -n 's/^guid=//p')
GONE=$(mc create-lu "+data=$WORK/gone.img" +size=8M | sed -n 's/^guid=//p')
mc modify-lu "@guid=$NEW" +size=128M +wcd=true
mc create-group kind=host name=hg
mc add-member kind=host name=hg member="$IN"
mc create-group kind=target name=tg
mc add-view "@guid=$NEW" host_group=hg '#lun=5'
mc delete-lu "@guid=$DEF"
mc offline-lu "@guid=$GONE"
stop_stmfd

rm "$WORK/gone.img"
start_stmfd
out=$(mc list-lus)
echo "$out"
grep -q "guid=$NEW" <<<"$out"
absent "guid=$DEF" "$out"
absent "guid=$GONE" "$out"
grep -q "LU $GONE skipped" "$WORK/stmfd.log"
out=$(mc get-lu "@guid=$NEW")
grep -q "^alias=data$" <<<"$out"
grep -q "^vendor=ACME$" <<<"$out"
grep -q "^size=134217728$" <<<"$out"
grep -q "^wcd=true$" <<<"$out"
grep -q "^view_count=1$" <<<"$out"
mc list-members kind=host name=hg | grep -q "name=$IN"
mc list-groups kind=target | grep -q "name=tg"
mc list-views "@guid=$NEW" | grep -q "^views.0.lun=5$"
iscsi-readcapacity16 -i "$IN" "iscsi://$PORTAL/$TARGET/5" | grep -q "Total size:134217728"

echo "== the framework's state and persist method are kept"
mc offline
stop_stmfd
start_stmfd
mc get-state | grep -q "^operational_state=10$"
mc online
mc set-persist-method '#persist_method=2'
mc create-group kind=host name=volatile
stop_stmfd
start_stmfd
mc get-state | grep -q "^persist_method=2$"
absent "name=volatile" "$(mc list-groups kind=host)"
stop_stmfd

echo "== a corrupt configuration database stops stmfd and names the file"
rm -f "$WORK/state/config.db-wal" "$WORK/state/config.db-shm"
printf 'not a database at all, really not a database, no\n' >"$WORK/state/config.db"
rc=0
"$STMFD" --state-dir "$WORK/state" --run-dir "$WORK/run" --listen 127.0.0.1:0 \
  >"$WORK/corrupt.log" 2>&1 || rc=$?
cat "$WORK/corrupt.log"
[[ $rc -eq 1 ]]
grep -q "config.db" "$WORK/corrupt.log"
[[ -s $WORK/state/config.db ]]
echo PASS
