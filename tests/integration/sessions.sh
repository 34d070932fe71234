#!/usr/bin/env bash
# Several sessions write different patterns at once (with header digests), then
# every session's region is checked from a new session.
source "$(dirname "$0")/lib.sh"
: "${PATTERN_CLIENT:?}"
start_stmfd --lu "$WORK/lu.img,size=256M" --loops 2
pids=()
for i in 0 1 2 3 4 5; do
  "$PATTERN_CLIENT" "$URL" write $((i * 65536)) 16384 $((1000 + i)) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for i in 0 1 2 3 4 5; do
  "$PATTERN_CLIENT" "$URL" verify $((i * 65536)) 16384 $((1000 + i))
done
echo "PASS: 6 concurrent sessions, 8 MiB each, verified"
