#!/usr/bin/env bash
# One session over several connections (MC/S): mcs_client logs in twice with one
# TSIH, spreads commands over both connections, logs one out, reinstates the
# other and closes the session; stmfd must log both connections in one session.
source "$(dirname "$0")/lib.sh"
: "${MCS_CLIENT:?}"
start_stmfd --lu "$WORK/disk.img,size=64M"
"$MCS_CLIENT" 127.0.0.1 "$PORT" "$TARGET"
grep -q "cid 2" "$WORK/stmfd.log"
kill -0 "$STMFD_PID"
echo "PASS: one session over several connections"
