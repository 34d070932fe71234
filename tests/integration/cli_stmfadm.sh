#!/usr/bin/env bash
# stmfadm against a real stmfd: every subcommand, COMSTAR's output, -o json,
# invalid arguments that change nothing, and a daemon that is gone.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
start_stmfd
S=$STMFADM
INI1=iqn.1993-08.org.debian:01:cli-one
INI2=iqn.1993-08.org.debian:01:cli-two

# Service state.
ok "$S" list-state
grep -q '^Operational Status: online$' <<<"$OUT" || fail "list-state: $OUT"
grep -q '^Config Status     : ' <<<"$OUT" || fail "list-state: $OUT"
ok "$S" list-state -o json
json 'd["operational_status"] == "online"'

# Help.
ok "$S" -?
grep -q 'add-view' <<<"$OUT" || fail "usage lacks add-view"
ok "$S" add-view --help
grep -q 'Usage: stmfadm add-view' <<<"$OUT" || fail "add-view usage: $OUT"

# Host groups.
ok "$S" create-hg hg1
refused 'hg1' "$S" create-hg hg1
ok "$S" add-hg-member -g hg1 "$INI1" "$INI2"
refused "$INI1" "$S" add-hg-member -g hg1 "$INI1"
refused 'nosuch' "$S" add-hg-member -g nosuch "$INI1"
ok "$S" remove-hg-member -g hg1 "$INI2"
refused "$INI2" "$S" remove-hg-member -g hg1 "$INI2"
ok "$S" list-hg -v
grep -qx 'Host Group: hg1' <<<"$OUT" || fail "list-hg: $OUT"
grep -qx "	Member: $INI1" <<<"$OUT" || fail "list-hg -v: $OUT"
grep -q "$INI2" <<<"$OUT" && fail "removed member still listed: $OUT"
ok "$S" list-hg -o json
json '[g for g in d["host_groups"] if g["name"] == "hg1"][0]["members"] == ["'"$INI1"'"]'
refused 'nosuch' "$S" list-hg nosuch

# Target groups: the port leaves and rejoins service around membership changes.
ok "$S" create-tg tg1
ok "$S" list-target
grep -qx "Target: $TARGET" <<<"$OUT" || fail "list-target: $OUT"
ok "$S" offline-target "$TARGET"
ok "$S" list-target -v "$TARGET"
grep -q '^    Operational Status: Offline$' <<<"$OUT" || fail "offline target: $OUT"
ok "$S" add-tg-member -g tg1 "$TARGET"
ok "$S" list-tg -v
grep -qx 'Target Group: tg1' <<<"$OUT" || fail "list-tg: $OUT"
grep -qx "	Member: $TARGET" <<<"$OUT" || fail "list-tg -v: $OUT"
ok "$S" remove-tg-member -g tg1 "$TARGET"
ok "$S" online-target "$TARGET"
ok "$S" list-target -v
grep -q '^    Operational Status: Online$' <<<"$OUT" || fail "online target: $OUT"
grep -q '^    Protocol          : iSCSI$' <<<"$OUT" || fail "protocol: $OUT"
ok "$S" list-target -o json
json '[t for t in d["targets"] if t["name"] == "'"$TARGET"'"][0]["operational_status"] == "Online"'
ok "$S" list-tg -o json
json '[g["name"] for g in d["target_groups"]] == ["tg1"]'

# Logical units.
ok "$S" create-lu -s 64m -p alias=first -p wcd=true "$WORK/lu1.img"
GUID=$(sed -n 's/^Logical unit created: //p' <<<"$OUT")
[[ $GUID =~ ^[0-9A-F]{32}$ ]] || fail "create-lu output: $OUT"
refused "$WORK/lu1.img" "$S" create-lu -s 64m "$WORK/lu1.img"
ok "$S" list-lu
grep -qx "LU Name: $GUID" <<<"$OUT" || fail "list-lu: $OUT"
ok "$S" list-lu -v "$GUID"
for line in '    Operational Status: Online' '    Provider Name     : sbd' \
  '    Alias             : first' "    Data File         : $WORK/lu1.img" \
  '    Size              : 67108864' '    Writeback Cache   : Disabled' \
  '    View Entry Count  : 0' '    Access State      : Active'; do
  grep -qxF "$line" <<<"$OUT" || fail "list-lu -v lacks '$line': $OUT"
done
ok "$S" modify-lu -p alias=renamed -p wcd=false -s 128m "$GUID"
ok "$S" list-lu -o json "$GUID"
json 'd["lus"][0]["alias"] == "renamed" and d["lus"][0]["size"] == 134217728'
json 'd["lus"][0]["writeback_cache"] is True and d["lus"][0]["data_file"] == "'"$WORK/lu1.img"'"'
ok "$S" modify-lu -f -p wp=true "$WORK/lu1.img"
ok "$S" list-lu -v "$GUID"
grep -qxF '    Write Protect     : Enabled' <<<"$OUT" || fail "wp by file: $OUT"
ok "$S" offline-lu "$GUID"
ok "$S" list-lu -v "$GUID"
grep -qxF '    Operational Status: Offline' <<<"$OUT" || fail "offline-lu: $OUT"
ok "$S" online-lu "$GUID"
refused 'not found' "$S" online-lu 600144F0000000000000000000000BAD

# Views.
ok "$S" create-hg hg2
ok "$S" add-view -h hg1 -n 5 "$GUID"
ok "$S" add-view -h hg2 "$GUID"
refused '' "$S" add-view -h hg1 -n 5 "$GUID"
ok "$S" list-view -l "$GUID"
expected="View Entry: 0
    Host group   : hg1
    Target group : All
    LUN          : 5
View Entry: 1
    Host group   : hg2
    Target group : All
    LUN          : "
grep -qzF "$expected" <<<"$OUT" || fail "list-view: $OUT"
ok "$S" list-view -l "$GUID" -o json
json 'len(d["views"]) == 2 and d["views"][0]["host_group"] == "hg1" and d["views"][0]["lun"] == 5'
json 'd["views"][1]["host_group"] == "hg2" and d["views"][1]["target_group"] is None'
json 'd["lu"] == "'"$GUID"'"'
ok "$S" list-view -l "$GUID" 1
grep -q 'View Entry: 1' <<<"$OUT" && ! grep -q 'View Entry: 0' <<<"$OUT" || fail "list-view 1: $OUT"
refused 'hg1' "$S" delete-hg hg1
ok "$S" remove-view -l "$GUID" 0
refused '' "$S" remove-view -l "$GUID" 0
ok "$S" remove-view -l "$GUID" -a
refused 'no views found' "$S" list-view -l "$GUID"
ok "$S" list-view -l "$GUID" -o json
json 'd["views"] == []'
ok "$S" delete-hg hg2

# Delete keeps views with -k; import brings the LU back with its GUID.
ok "$S" add-view "$GUID"
ok "$S" list-view -l "$GUID"
grep -qxF '    Host group   : All' <<<"$OUT" || fail "all hosts view: $OUT"
ok "$S" delete-lu -k "$GUID"
ok "$S" list-lu
grep -q "$GUID" <<<"$OUT" && fail "deleted LU still listed"
ok "$S" import-lu "$WORK/lu1.img"
grep -qx "Logical unit imported: $GUID" <<<"$OUT" || fail "import-lu: $OUT"
ok "$S" list-view -l "$GUID" -o json
json 'len(d["views"]) == 1'
ok "$S" delete-lu "$GUID"
ok "$S" list-view -l "$GUID" -o json
json 'd["views"] == []'
refused 'not found' "$S" delete-lu "$GUID"
ok "$S" delete-hg hg1
ok "$S" delete-tg tg1
refused 'hg1' "$S" delete-hg hg1

# Invalid arguments: exit 1, a sentence, and no change at all.
ok "$S" create-hg keep
ok "$S" create-lu -s 16m "$WORK/lu2.img"
G2=$(sed -n 's/^Logical unit created: //p' <<<"$OUT")
before=$(snapshot)
refused 'unknown subcommand' "$S" no-such-command
refused 'unknown option -z' "$S" list-lu -z
refused 'missing operand' "$S" create-hg
refused 'unrecognized device id' "$S" add-hg-member -g keep "$INI1" not-a-name
refused 'must be 32 hexadecimal digits' "$S" add-view 600144F0
refused 'less than 16384' "$S" add-view -n 16384 "$G2"
refused 'invalid size' "$S" create-lu -s 12zz "$WORK/lu3.img"
refused 'invalid size' "$S" modify-lu -s -1 "$G2"
refused 'invalid property specified' "$S" create-lu -p bogus=1 "$WORK/lu3.img"
refused 'unable to set wcd' "$S" create-lu -p wcd=sometimes "$WORK/lu3.img"
refused 'invalid property for modify' "$S" modify-lu -p vid=X "$G2"
refused 'unknown output format' "$S" list-hg -o csv
refused 'no view entries specified' "$S" remove-view -l "$G2"
after=$(snapshot)
[[ $before == "$after" ]] || fail "an invalid command changed the configuration"
[[ ! -e $WORK/lu3.img ]] || fail "an invalid create-lu made a file"

# A daemon that is gone: a clear sentence at once, never a hang.
stop_stmfd
start=$(date +%s%N)
refused 'stmfd is not running' "$S" list-lu
refused 'stmfd is not running' "$S" create-hg late
elapsed=$((($(date +%s%N) - start) / 1000000))
[[ $elapsed -lt 5000 ]] || fail "took ${elapsed} ms without a daemon"
grep -q '^stmfadm: stmfd is not running (' "$WORK/err" || fail "wording: $(cat "$WORK/err")"
echo "cli_stmfadm: ok"
