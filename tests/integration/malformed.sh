#!/usr/bin/env bash
# Malformed PDUs on a raw socket get Reject or a login failure, and the daemon
# keeps serving.
source "$(dirname "$0")/lib.sh"
: "${MALFORMED_CLIENT:?}"
start_stmfd
"$MALFORMED_CLIENT" 127.0.0.1 "$PORT" "$TARGET"
iscsi-inq "$URL" | grep -q "Vendor:OPENSTMF"
kill -0 "$STMFD_PID"
grep -E "Reject|bad|refused" "$WORK/stmfd.log" | head
echo "PASS: daemon still serving"
