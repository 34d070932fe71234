#!/usr/bin/env bash
# kill -9 while a client writes: after a restart, every write that was
# acknowledged with FUA, or followed by an acknowledged SYNCHRONIZE CACHE, reads
# back.
source "$(dirname "$0")/lib.sh"
: "${PATTERN_CLIENT:?}"
start_stmfd --lu "$WORK/lu.img,size=256M"
"$PATTERN_CLIENT" "$URL" durable 0 400000 77 "$WORK/acks" &
client=$!
for _ in $(seq 100); do
  [[ -s $WORK/acks ]] && [[ $(wc -l <"$WORK/acks") -ge 50 ]] && break
  sleep 0.05
done
kill9_stmfd
wait "$client" || true
acked=$(wc -l <"$WORK/acks" 2>/dev/null || echo 0)
echo "acknowledged before kill -9: $acked pieces"
if [[ $acked -lt 1 ]]; then
  echo "FAIL: no write was acknowledged before the kill, so nothing was checked"
  exit 1
fi
start_stmfd --lu "$WORK/lu.img"
"$PATTERN_CLIENT" "$URL" checklog "$WORK/acks" 77
echo "PASS"
