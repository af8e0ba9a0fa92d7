#!/usr/bin/env bash
# Runs the side-by-side comparison of issue 7 (see main.go beside this
# file): installs hyperfine and GNU time when missing (Debian packages;
# needs root or sudo), then runs vaultbench from the repository root.
# Arguments go to vaultbench, e.g.:
#
#   cmd/vaultbench/run.sh -sizes 5000,20000 -big 100000 -o /tmp/report.md
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
command -v npm >/dev/null || { echo "run.sh: npm (and node) are needed for rumdl and markdownlint-cli2" >&2; exit 1; }

exec go run ./cmd/vaultbench "$@"
