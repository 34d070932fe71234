#!/usr/bin/env bash
# examples/create_lu_view.c, built as C against libstmf.so, creates an LU and a
# view for every host on a real stmfd.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
: "${CREATE_LU_VIEW:?set CREATE_LU_VIEW to the example binary}"
start_stmfd
ok "$CREATE_LU_VIEW" "$WORK/example.img" 16m
[[ $OUT =~ ^LU\ ([0-9A-F]{32})\ view\ entry\ ([0-9]+)\ LUN\ ([0-9]+)$ ]] || fail "output: $OUT"
GUID=${BASH_REMATCH[1]}
ok "$STMFADM" list-view -l "$GUID" -o json
json 'len(d["views"]) == 1 and d["views"][0]["host_group"] is None and d["views"][0]["target_group"] is None'
ok "$STMFADM" list-lu -v "$GUID"
grep -qxF '    Alias             : created by create_lu_view' <<<"$OUT" || fail "alias: $OUT"
grep -qxF '    Size              : 16777216' <<<"$OUT" || fail "size: $OUT"
# A second run on the same file is refused by the daemon, in its own words.
refused 'create_lu_view: stmfCreateLu' "$CREATE_LU_VIEW" "$WORK/example.img" 16m
echo "cli_example: ok"
