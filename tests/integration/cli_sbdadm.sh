#!/usr/bin/env bash
# sbdadm against a real stmfd: create, list (COMSTAR's table and -o json),
# resize by GUID and by file, delete, import, and refused arguments.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
start_stmfd
B=$SBDADM

ok "$B" create-lu -s 32m "$WORK/sbd1.img"
grep -qx 'Created the following LU:' <<<"$OUT" || fail "create-lu: $OUT"
grep -q -- '--------------------------------  -------------------  ----------------' <<<"$OUT" ||
  fail "create-lu table: $OUT"
guid=$(grep -oE '^[0-9a-f]{32}' <<<"$OUT" || true)
[[ $guid =~ ^[0-9a-f]{32}$ ]] || fail "no GUID row: $OUT"
grep -qE "^$guid  33554432 +$WORK/sbd1.img$" <<<"$OUT" || fail "row: $OUT"

ok "$B" list-lu
grep -qE '^Found [0-9]+ LU\(s\)$' <<<"$OUT" || fail "list-lu: $OUT"
grep -q 'GUID                    DATA SIZE           SOURCE' <<<"$OUT" || fail "header: $OUT"
grep -qE "^$guid  33554432 +$WORK/sbd1.img$" <<<"$OUT" || fail "list-lu row: $OUT"

ok "$B" modify-lu -s 64m "$guid"
ok "$B" list-lu -o json
json '[l for l in d["lus"] if l["guid"].lower() == "'"$guid"'"][0]["data_size"] == 67108864'
ok "$B" modify-lu -s 96m "$WORK/sbd1.img"
ok "$B" list-lu -o json
json '[l for l in d["lus"] if l["guid"].lower() == "'"$guid"'"][0]["source"] == "'"$WORK/sbd1.img"'"'
json '[l for l in d["lus"] if l["guid"].lower() == "'"$guid"'"][0]["data_size"] == 100663296'

before=$("$B" list-lu)
refused 'invalid size' "$B" create-lu -s 1x "$WORK/sbd2.img"
refused 'must be 32 hexadecimal digits' "$B" delete-lu 1234
refused '-s size' "$B" modify-lu "$guid"
refused 'missing operand' "$B" import-lu
refused 'unknown option' "$B" list-lu -v
[[ $before == "$("$B" list-lu)" ]] || fail "a refused command changed the LUs"

ok "$B" delete-lu "$guid"
ok "$B" list-lu
grep -q "$guid" <<<"$OUT" && fail "deleted LU listed: $OUT"
ok "$B" import-lu "$WORK/sbd1.img"
grep -qx 'Imported the following LU:' <<<"$OUT" || fail "import-lu: $OUT"
grep -qE "^$guid  100663296 +$WORK/sbd1.img$" <<<"$OUT" || fail "import row: $OUT"
ok "$B" delete-lu "$guid"
refused 'not found' "$B" delete-lu "$guid"
echo "cli_sbdadm: ok"
