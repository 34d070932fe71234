#!/usr/bin/env bash
# `make run`: starts openstmf on its embedded defaults.
# Usage: run-default.sh BUILD_DIR STATE_DIR RUN_DIR
#
# Until the stmfd daemon lands, this runs the libdoor demo: a server process
# publishes a door, a client calls it, passes a descriptor and prints the
# credentials the server saw.
set -euo pipefail
build=$1
echo "== libdoor demo (build/bin/doordemo)"
"$build/bin/doordemo"
echo
echo "Try it by hand in two terminals:"
echo "  $build/bin/doordemo serve /tmp/demo.door"
echo "  $build/bin/doordemo call /tmp/demo.door hello"
