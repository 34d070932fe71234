# Shared by the cli_*.sh integration tests (sourced after lib.sh): the tools find
# the test's own stmfd through OPENSTMF_RUN_DIR, and helpers check exit status,
# stderr and JSON.
: "${STMFADM:?set STMFADM to the stmfadm binary}"
: "${SBDADM:?set SBDADM to the sbdadm binary}"
export OPENSTMF_RUN_DIR=$WORK/run

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ok CMD...: must exit 0; its stdout is in $OUT.
ok() {
  local rc=0
  OUT=$("$@" 2>"$WORK/err") || rc=$?
  [[ $rc -eq 0 ]] || fail "'$*' exited $rc: $(cat "$WORK/err")"
}

# refused WORDS CMD...: must exit 1 with WORDS on stderr and nothing on stdout.
refused() {
  local words=$1 rc=0
  shift
  OUT=$("$@" 2>"$WORK/err") || rc=$?
  [[ $rc -eq 1 ]] || fail "'$*' exited $rc, not 1 (stderr: $(cat "$WORK/err"))"
  grep -qF -- "$words" "$WORK/err" || fail "'$*' stderr lacks '$words': $(cat "$WORK/err")"
}

# json PYTHON-EXPR: evaluates EXPR with d = the JSON document in $OUT; fails unless true.
json() {
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' \
    "$OUT" "$1" || fail "JSON check '$1' failed on: $OUT"
}

# The whole configuration as the tools show it, for before/after comparisons.
snapshot() {
  local s
  s=$("$STMFADM" list-lu -o json)
  s+=$("$STMFADM" list-hg -o json)
  s+=$("$STMFADM" list-tg -o json)
  s+=$("$STMFADM" list-target -o json)
  for g in $("$STMFADM" list-lu | sed -n 's/^LU Name: //p'); do
    s+=$("$STMFADM" list-view -o json -l "$g")
  done
  echo "$s"
}
