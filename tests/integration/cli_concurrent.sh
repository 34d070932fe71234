#!/usr/bin/env bash
# Eight stmfadm processes at once create host groups and add views on one LU;
# afterwards the configuration is exactly the union of what each did.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
start_stmfd
S=$STMFADM
ok "$S" create-lu -s 16m "$WORK/shared.img"
GUID=$(sed -n 's/^Logical unit created: //p' <<<"$OUT")
hgs_before=$("$S" list-hg -o json)

PROCS=8
EACH=6
worker() {
  local p=$1 i
  for i in $(seq "$EACH"); do
    "$S" create-hg "cc-$p-$i" || return 1
    "$S" add-hg-member -g "cc-$p-$i" "iqn.2000-01.test:p$p.i$i" || return 1
    "$S" add-view -h "cc-$p-$i" "$GUID" || return 1
    "$S" list-lu >/dev/null || return 1
  done
}
pids=()
for p in $(seq "$PROCS"); do
  worker "$p" 2>"$WORK/worker$p.err" &
  pids+=($!)
done
for p in "${!pids[@]}"; do
  wait "${pids[$p]}" || fail "worker $((p + 1)) failed: $(cat "$WORK/worker$((p + 1)).err")"
done

ok "$S" list-hg -o json
python3 - "$OUT" "$hgs_before" "$PROCS" "$EACH" <<'PY' || fail "host groups are not the union"
import json, sys
now = json.loads(sys.argv[1])["host_groups"]
before = {g["name"] for g in json.loads(sys.argv[2])["host_groups"]}
procs, each = int(sys.argv[3]), int(sys.argv[4])
want = {f"cc-{p}-{i}" for p in range(1, procs + 1) for i in range(1, each + 1)}
names = [g["name"] for g in now]
assert len(names) == len(set(names)), "duplicate groups"
assert set(names) == want | before, set(names) ^ (want | before)
for g in now:
    if g["name"] in want:
        p, i = g["name"].split("-")[1:]
        assert g["members"] == [f"iqn.2000-01.test:p{p}.i{i}"], g
PY
ok "$S" list-view -o json -l "$GUID"
python3 - "$OUT" "$PROCS" "$EACH" <<'PY' || fail "views are not the union"
import json, sys
views = json.loads(sys.argv[1])["views"]
procs, each = int(sys.argv[2]), int(sys.argv[3])
hgs = [v["host_group"] for v in views]
assert len(hgs) == procs * each and len(set(hgs)) == procs * each, hgs
assert len({v["index"] for v in views}) == len(views), "duplicate view entry numbers"
PY
echo "cli_concurrent: ok"
