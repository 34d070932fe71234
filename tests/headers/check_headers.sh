#!/usr/bin/env bash
# Compiles each public header alone, as C99, C11 and C++20, with all warnings as errors.
# Usage: check_headers.sh INCLUDE_DIR CC CXX
set -u
inc=$1 cc=$2 cxx=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0
while IFS= read -r h; do
  rel=${h#"$inc"/}
  printf '#include <%s>\n#include <%s>\nint openstmf_header_check;\n' "$rel" "$rel" >"$tmp/t.c"
  cp "$tmp/t.c" "$tmp/t.cc"
  for std in c99 c11; do
    if ! "$cc" -std=$std -pedantic -Wall -Wextra -Werror -I"$inc" -fsyntax-only "$tmp/t.c" 2>"$tmp/err"; then
      echo "FAIL $rel as $std:"; cat "$tmp/err"; fail=$((fail + 1))
    fi
  done
  if ! "$cxx" -std=c++20 -pedantic -Wall -Wextra -Werror -I"$inc" -fsyntax-only "$tmp/t.cc" 2>"$tmp/err"; then
    echo "FAIL $rel as c++20:"; cat "$tmp/err"; fail=$((fail + 1))
  fi
  count=$((count + 1))
done < <(find "$inc" -name '*.h' | sort)
if [ "$count" -eq 0 ]; then echo "no public headers found under $inc"; exit 1; fi
echo "$count headers checked, $fail failures"
[ "$fail" -eq 0 ]
