#!/usr/bin/env bash
# libiscsi's tools against stmfd's embedded default, then the daemon's error
# paths: bad flags, a busy port, a second daemon on the same state directory, a
# corrupt LU, and a clean SIGTERM.
source "$(dirname "$0")/lib.sh"

start_stmfd
echo "== iscsi-ls"
out=$(iscsi-ls "iscsi://$PORTAL/")
echo "$out"
grep -q "Target:$TARGET Portal:$PORTAL,1" <<<"$out"

echo "== iscsi-inq"
out=$(iscsi-inq "$URL")
echo "$out" | head -12
grep -q "Peripheral Device Type:DIRECT_ACCESS" <<<"$out"
grep -q "Vendor:OPENSTMF" <<<"$out"

echo "== iscsi-readcapacity16"
out=$(iscsi-readcapacity16 "$URL")
echo "$out"
grep -q "Total size:1073741824" <<<"$out"
grep -q "LOGICAL BLOCK LENGTH IN BYTES:512" <<<"$out"

echo "== a LUN that does not exist"
if iscsi-readcapacity16 "iscsi://$PORTAL/$TARGET/5" >/dev/null 2>&1; then
  echo "READ CAPACITY on LUN 5 succeeded" >&2
  exit 1
fi

echo "== a second stmfd on the same state directory refuses"
if "$STMFD" --state-dir "$WORK/state" --run-dir "$WORK/run2" --listen 127.0.0.1:0 \
  >"$WORK/second.log" 2>&1; then
  echo "second stmfd started" >&2
  exit 1
fi
grep -q "locked by stmfd pid" "$WORK/second.log"

echo "== a busy port is a clear error"
if "$STMFD" --state-dir "$WORK/s3" --run-dir "$WORK/r3" --listen "$PORTAL" >"$WORK/busy.log" 2>&1; then
  echo "stmfd started on a busy port" >&2
  exit 1
fi
grep -q "cannot listen on $PORTAL" "$WORK/busy.log"

echo "== SIGTERM stops it with status 0, a restart imports the same LU"
stop_stmfd
start_stmfd
[[ $(grep -c "creating LU" "$WORK/stmfd.log") -eq 1 ]]
grep -q "Total size:1073741824" <<<"$(iscsi-readcapacity16 "$URL")"
stop_stmfd

echo "== --cpus keeps every thread of stmfd on the CPUs named"
cpu=$(($(nproc) - 1))
start_stmfd --cpus "$cpu"
grep -q "running on CPUs $cpu" "$WORK/stmfd.log"
grep -q "Total size:1073741824" <<<"$(iscsi-readcapacity16 "$URL")"
tasks=$(threads_on "$STMFD_PID" "$cpu")
[[ $tasks -gt 1 ]]
stop_stmfd

echo "== bad flags and unusable directories"
set +e
"$STMFD" --no-such-flag >/dev/null 2>&1
[[ $? -eq 2 ]] || { echo "bad flag did not exit 2" >&2; exit 1; }
"$STMFD" --loops zero >/dev/null 2>&1
[[ $? -eq 2 ]] || { echo "bad --loops did not exit 2" >&2; exit 1; }
"$STMFD" --cpus 3-1 >"$WORK/cpus.log" 2>&1
[[ $? -eq 2 ]] || { echo "bad --cpus did not exit 2" >&2; exit 1; }
grep -q "the range 3-1 runs backwards" "$WORK/cpus.log"
"$STMFD" --cpus 1023 --state-dir "$WORK/s5" --run-dir "$WORK/r5" --listen 127.0.0.1:0 \
  >"$WORK/cpus.log" 2>&1
[[ $? -eq 1 ]] || { echo "--cpus with no such CPU did not exit 1" >&2; exit 1; }
grep -q "pinning to CPUs 1023" "$WORK/cpus.log"
touch "$WORK/file"
"$STMFD" --state-dir "$WORK/file" --run-dir "$WORK/r4" --listen 127.0.0.1:0 >"$WORK/dir.log" 2>&1
[[ $? -eq 1 ]] || { echo "state dir on a file did not exit 1" >&2; exit 1; }
set -e
grep -q "state directory" "$WORK/dir.log"

echo "== corrupt LU metadata: a configured LU is skipped with a message, a --lu LU stops the start"
dd if=/dev/urandom of="$WORK/state/default-lu.img" bs=4096 count=256 conv=notrunc status=none
start_stmfd
grep -q "skipped: LU store .* has no valid metadata" "$WORK/stmfd.log"
if iscsi-ls -s "iscsi://$PORTAL/" | grep -q "Lun:"; then
  echo "the corrupt LU is still served" >&2
  exit 1
fi
stop_stmfd
set +e
"$STMFD" --state-dir "$WORK/state" --run-dir "$WORK/run" --listen 127.0.0.1:0 \
  --lu "$WORK/state/default-lu.img" >"$WORK/corrupt.log" 2>&1
rc=$?
set -e
cat "$WORK/corrupt.log"
[[ $rc -eq 1 ]]
grep -q "has no valid metadata" "$WORK/corrupt.log"
echo "PASS"
