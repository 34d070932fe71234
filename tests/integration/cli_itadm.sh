#!/usr/bin/env bash
# itadm against its own stmfd: every subcommand in text and JSON, CHAP (one-way,
# mutual, wrong secret) and discovery CHAP with libiscsi's tools, portal groups
# on a second IPv4 port and on ::1, offline targets, persistence across a
# restart (secrets never printed), iSNS registration with a real isnsd, and
# invalid arguments that exit 1 and change nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cli_lib.sh"
: "${ITADM:?set ITADM to the itadm binary}"

INI=iqn.1994-05.com.example:client1
INI2=iqn.1994-05.com.example:client2
T2=iqn.2026-11.org.openstmf:chap
ISECRET=initiator-secret-1
TSECRET=target-secret-22
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P4=$(free_port)
P6=$(free_port)
itadm_all() {
  local s
  s=$("$ITADM" list-target -v -o json)
  s+=$("$ITADM" list-tpg -v -o json)
  s+=$("$ITADM" list-initiator -o json)
  s+=$("$ITADM" list-defaults -o json)
  echo "$s"
}

start_stmfd --lu "$WORK/ram0,size=64M,ram"

echo "== the default target from --target, on the default portal group"
ok "$ITADM" list-target
grep -q "^TARGET NAME *STATE *SESSIONS" <<<"$OUT" || fail "header: $OUT"
grep -q "^$TARGET *online *0" <<<"$OUT" || fail "default target: $OUT"
ok "$ITADM" list-target -v -o json
json 'd[0]["name"]=="'$TARGET'" and d[0]["tpg_tags"]==[] and d[0]["auth"]=="none"'

echo "== portal groups: IPv4 on another port, IPv6 on ::1"
ok "$ITADM" create-tpg tpg-a "127.0.0.1:$P4" "[::1]:$P6"
ok "$ITADM" list-tpg -v
grep -q "^TARGET PORTAL GROUP *PORTAL COUNT" <<<"$OUT" || fail "tpg header: $OUT"
grep -q "portals:.*127.0.0.1:$P4,\[::1\]:$P6" <<<"$OUT" || fail "tpg portals: $OUT"
ok "$ITADM" list-tpg -o json
json 'd[0]["name"]=="tpg-a" and d[0]["tag"]==2 and d[0]["listening"]==2'

echo "== initiators with CHAP secrets from a file and from stdin"
printf '%s\n' "$ISECRET" >"$WORK/isecret"
ok "$ITADM" create-initiator -S "$WORK/isecret" "$INI"
ok "$ITADM" create-initiator -u client2user "$INI2"
ok bash -c "printf '%s\n' 'second-secret-33' | '$ITADM' modify-initiator -s '$INI2'"
ok "$ITADM" list-initiator
grep -q "^INITIATOR NAME *CHAPUSER *SECRET" <<<"$OUT" || fail "initiator header: $OUT"
grep -q "^$INI *<none> *set" <<<"$OUT" || fail "initiator 1: $OUT"
grep -q "^$INI2 *client2user *set" <<<"$OUT" || fail "initiator 2: $OUT"
ok "$ITADM" list-initiator -o json
json 'len(d)==2 and d[1]["chapuser"]=="client2user" and d[1]["secret"]=="set"'

echo "== a CHAP target on the portal group"
printf '%s\n' "$TSECRET" >"$WORK/tsecret"
ok "$ITADM" create-target -n "$T2" -a chap -t tpg-a -l chapped
grep -q "Target $T2 successfully created" <<<"$OUT" || fail "create: $OUT"
ok "$ITADM" list-target -v "$T2"
grep -q "auth:[[:space:]]*chap$" <<<"$OUT" || fail "auth: $OUT"
grep -q "tpg-tags:[[:space:]]*tpg-a = 2" <<<"$OUT" || fail "tags: $OUT"
ok "$ITADM" create-target
NEW=$(sed -n 's/^Target \(iqn.2026-11.org.openstmf:[0-9a-f-]*\) successfully created$/\1/p' <<<"$OUT")
[[ -n $NEW ]] || fail "generated name: $OUT"
ok "$ITADM" delete-target "$NEW"

echo "== CHAP: right secret, wrong secret, none, on IPv4 and IPv6"
iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@127.0.0.1:$P4/$T2/0" | grep -q DIRECT_ACCESS
iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@[::1]:$P6/$T2/0" | grep -q DIRECT_ACCESS
if iscsi-inq -i "$INI" "iscsi://$INI%wrong-secret-44@127.0.0.1:$P4/$T2/0" >/dev/null 2>&1; then
  fail "login with a wrong secret succeeded"
fi
grep -q "login of $INI .* refused: 02/01" "$WORK/stmfd.log" || fail "no 02/01 log line"
if grep -q -- "wrong-secret-44\|$ISECRET" "$WORK/stmfd.log"; then fail "a secret is in the log"; fi
if iscsi-inq -i "$INI" "iscsi://127.0.0.1:$P4/$T2/0" >/dev/null 2>&1; then
  fail "login without CHAP succeeded"
fi
iscsi-inq -i "$INI2" "iscsi://client2user%second-secret-33@127.0.0.1:$P4/$T2/0" | grep -q DIRECT_ACCESS
echo "== the target is not on the default portal group"
if iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@$PORTAL/$T2/0" >/dev/null 2>&1; then
  fail "target reachable outside its portal group"
fi

echo "== mutual CHAP"
ok "$ITADM" modify-target -S "$WORK/tsecret" -u targetuser "$T2"
grep -q "successfully modified" <<<"$OUT" || fail "modify: $OUT"
iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@127.0.0.1:$P4/$T2/0?target_user=targetuser&target_password=$TSECRET" |
  grep -q DIRECT_ACCESS
if iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@127.0.0.1:$P4/$T2/0?target_user=targetuser&target_password=not-the-secret" \
  >/dev/null 2>&1; then
  fail "mutual CHAP with a wrong target secret succeeded"
fi
ok "$ITADM" list-target -v -o json
json '[t for t in d if t["name"]=="'$T2'"][0]["targetchapsecret"]=="set"'
if grep -q -- "$TSECRET" <<<"$(itadm_all)"; then fail "a list shows a secret"; fi

echo "== discovery needs CHAP when the defaults say chap"
ok "$ITADM" modify-defaults -a chap
if iscsi-ls -i "$INI" "iscsi://$PORTAL/" >/dev/null 2>&1; then fail "discovery without CHAP"; fi
out=$(iscsi-ls -i "$INI" "iscsi://$INI%$ISECRET@$PORTAL/")
grep -q "Target:$T2 Portal:127.0.0.1:$P4,2" <<<"$out" || fail "discovery: $out"
grep -q "Target:$TARGET Portal:$PORTAL,1" <<<"$out" || fail "discovery: $out"
echo "== and targets with auth default follow it"
if iscsi-inq -i "$INI" "$URL" >/dev/null 2>&1; then fail "default target without CHAP"; fi
iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@$PORTAL/$TARGET/0" | grep -q DIRECT_ACCESS
ok "$ITADM" modify-defaults -a none
iscsi-inq "$URL" | grep -q DIRECT_ACCESS

echo "== offline target refuses logins; online again accepts"
ok "$STMFADM" offline-target "$TARGET"
ok "$ITADM" list-target "$TARGET"
grep -q "^$TARGET *offline" <<<"$OUT" || fail "not offline: $OUT"
if iscsi-inq "$URL" >/dev/null 2>"$WORK/offline.err"; then fail "login to an offline target"; fi
grep -q "refused: 03/01" "$WORK/stmfd.log" || fail "no 03/01 log line"
ok "$STMFADM" online-target "$TARGET"
iscsi-inq "$URL" | grep -q DIRECT_ACCESS

echo "== invalid arguments exit 1, say why and change nothing"
before=$(itadm_all)
refused 'invalid value for -a' "$ITADM" create-target -a maybe
refused 'secret must be between 12 and 255' bash -c "printf 'short\n' | '$ITADM' create-initiator -s iqn.1994-05.com.example:x"
printf 'short\n' >"$WORK/short"
refused 'secret must be between 12 and 255' "$ITADM" modify-target -S "$WORK/short" "$T2"
refused 'invalid secret file' "$ITADM" create-initiator -S "$WORK/none" iqn.1994-05.com.example:x
refused 'invalid iSCSI name' "$ITADM" create-target -n notaname
refused 'invalid iSCSI name' "$ITADM" create-initiator bogus.name
refused "target \"iqn.2026-11.org.openstmf:nope\" not found" "$ITADM" delete-target iqn.2026-11.org.openstmf:nope
refused "target \"iqn.2026-11.org.openstmf:nope\" not found" "$ITADM" list-target iqn.2026-11.org.openstmf:nope
refused 'already exists' "$ITADM" create-target -n "$T2"
refused 'target portal group "tpg-z" not found' "$ITADM" create-target -t tpg-z
refused 'already exists' "$ITADM" create-tpg tpg-a 127.0.0.1:1
refused 'invalid portal' "$ITADM" create-tpg tpg-b 300.1.1.1
refused 'already in use' "$ITADM" create-tpg tpg-b "127.0.0.1:$P4"
refused 'cannot listen on' "$ITADM" create-tpg tpg-b "$PORTAL"
refused 'reserved' "$ITADM" create-tpg default 127.0.0.1:1
refused 'numeric tag is 2..65535' "$ITADM" create-tpg 1 127.0.0.1:1
refused 'missing operand' "$ITADM" create-tpg tpg-b
refused 'used by target' "$ITADM" delete-tpg tpg-a
refused 'unknown option' "$ITADM" delete-target -x "$T2"
refused 'invalid value for -i' "$ITADM" modify-defaults -i maybe
refused 'maximum of 8' "$ITADM" modify-defaults -I a,b,c,d,e,f,g,h,i
refused 'without an iSNS server' "$ITADM" modify-defaults -i enable
refused 'no properties specified' "$ITADM" modify-defaults
refused 'initiator "iqn.1994-05.com.example:nobody" not found' "$ITADM" modify-initiator -u x iqn.1994-05.com.example:nobody
refused 'unknown subcommand' "$ITADM" frobnicate
[[ "$(itadm_all)" == "$before" ]] || fail "a refused command changed the configuration"
ok "$ITADM" -?
grep -q "create-target" <<<"$OUT" || fail "usage: $OUT"
ok "$ITADM" create-tpg -?
grep -q "tpg-name IP-address" <<<"$OUT" || fail "sub usage: $OUT"

echo "== a portal group comes and goes"
ok "$ITADM" create-tpg tpg-b "127.0.0.1:$(free_port)"
ok "$ITADM" delete-tpg tpg-b
ok "$ITADM" list-tpg -o json
json 'len(d)==1'

echo "== iSNS registration with a real isnsd"
if [[ -x /usr/sbin/isnsd ]]; then
  IP=$(free_port)
  mkdir -p "$WORK/isns"
  cat >"$WORK/isns/isnsd.conf" <<CONF
SourceName = iqn.2026-01.org.openstmf:isnsd-test
BindAddress = 127.0.0.1:$IP
ControlSocket = $WORK/isns/ctl
PIDFile = $WORK/isns/pid
LocalRegistry = $WORK/isns/registry
Security = 0
ESIRetries = 0
DefaultDiscoveryDomain = 1
CONF
  cat >"$WORK/isns/isnsadm.conf" <<CONF
SourceName = iqn.2026-01.org.openstmf:isnsadm-test
ServerAddress = 127.0.0.1:$IP
ControlSocket = $WORK/isns/ctl
Security = 0
CONF
  /usr/sbin/isnsd -f -4 -c "$WORK/isns/isnsd.conf" >"$WORK/isns/log" 2>&1 &
  ISNSD=$!
  trap 'rc=$?; kill $ISNSD 2>/dev/null || true; cleanup $rc' EXIT
  sleep 0.5
  ok "$ITADM" modify-defaults -i enable -I "127.0.0.1:$IP"
  registered=
  for _ in $(seq 100); do
    if /usr/sbin/isnsadm -c "$WORK/isns/isnsadm.conf" --local --list nodes 2>/dev/null | grep -q "$T2"; then
      registered=1
      break
    fi
    sleep 0.1
  done
  [[ -n $registered ]] || fail "targets not registered with isnsd"
  ok "$ITADM" list-defaults -o json
  json 'd["isns"] and d["isnsserver"]==["127.0.0.1:'$IP'"]'
  ok "$ITADM" modify-defaults -i disable
  for _ in $(seq 100); do
    /usr/sbin/isnsadm -c "$WORK/isns/isnsadm.conf" --local --list nodes 2>/dev/null | grep -q "$T2" || break
    sleep 0.1
  done
  if /usr/sbin/isnsadm -c "$WORK/isns/isnsadm.conf" --local --list nodes 2>/dev/null | grep -q "$T2"; then
    fail "still registered after -i disable"
  fi
fi

echo "== persistence across a restart"
ok "$ITADM" modify-defaults -r 127.0.0.1 -D "$WORK/tsecret" -I 127.0.0.1:3205
before=$(itadm_all)
stop_stmfd
start_stmfd --lu "$WORK/ram0,size=64M,ram"
after=$(itadm_all)
# The only difference allowed: session counts.
norm() { sed 's/"sessions":[0-9]*/"sessions":N/g; s/"listening":[0-9]*/"listening":N/g'; }
[[ "$(norm <<<"$after")" == "$(norm <<<"$before")" ]] || fail "configuration changed: $before / $after"
ok "$ITADM" list-defaults
grep -q "radiussecret:[[:space:]]*set" <<<"$OUT" || fail "defaults: $OUT"
grep -q "isnsserver:[[:space:]]*127.0.0.1:3205" <<<"$OUT" || fail "defaults: $OUT"
if grep -q -- "$TSECRET\|$ISECRET" <<<"$after$OUT"; then fail "a secret is printed"; fi
iscsi-inq -i "$INI" "iscsi://$INI%$ISECRET@[::1]:$P6/$T2/0?target_user=targetuser&target_password=$TSECRET" |
  grep -q DIRECT_ACCESS
echo "== delete-target -f; the deletion survives a restart"
ok "$ITADM" delete-target -f "$TARGET"
stop_stmfd
start_stmfd --lu "$WORK/ram0,size=64M,ram"
ok "$ITADM" list-target -o json
json 'len(d)==1 and d[0]["name"]=="'$T2'"'

echo "== a daemon that is not running"
stop_stmfd
refused 'stmfd' "$ITADM" list-target
echo PASS
