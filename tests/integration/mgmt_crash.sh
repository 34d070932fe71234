#!/usr/bin/env bash
# kill -9 in the middle of a burst of configuration changes: after a restart
# every acknowledged change is there, each change is whole (a view never
# without its group's member, a group's members never half-written), and the
# daemon starts.
source "$(dirname "$0")/lib.sh"
: "${MGMT_CLIENT:?set MGMT_CLIENT to the mgmt_client binary}"
mc() { "$MGMT_CLIENT" "$WORK/run/stmfd.door" "$@"; }

start_stmfd
GUID=$(mc list-lus | sed -n 's/^lus\.0\.guid=//p')
for round in 1 2 3; do
  acked="$WORK/acked.$round"
  : >"$acked"
  (
    for i in $(seq 1 400); do
      mc create-group kind=host name="g$round-$i" >/dev/null || exit 0
      mc add-member kind=host name="g$round-$i" member="iqn.2026-11.test:r$round-$i" >/dev/null ||
        exit 0
      echo "g$round-$i" >>"$acked"
    done
  ) &
  burst=$!
  sleep 0.$((3 + round))
  kill9_stmfd
  wait "$burst" || true
  n=$(wc -l <"$acked")
  echo "round $round: $n groups acknowledged before the kill"
  if [[ $n -eq 0 ]]; then
    echo "nothing was acknowledged before the kill" >&2
    exit 1
  fi
  start_stmfd
  groups=$(mc list-groups kind=host)
  while read -r g; do
    grep -q "=$g$" <<<"$groups" || {
      echo "acknowledged group $g lost" >&2
      exit 1
    }
    mc list-members kind=host name="$g" | grep -q "name=iqn.2026-11.test:r${g#g}$" || {
      echo "acknowledged member of $g lost" >&2
      exit 1
    }
  done <"$acked"
  # Every stored group is whole: its members are 0 or 1 names, never garbage.
  for g in $(sed -n 's/^groups\.[0-9]*\.name=//p' <<<"$groups"); do
    m=$(mc list-members kind=host name="$g" | grep -c "^members\." || true)
    [[ $m -le 1 ]]
  done
done
mc get-lu "@guid=$GUID" | grep -q "^state=online$"
stop_stmfd
echo PASS
