#!/usr/bin/env bash
# Install everything (Python packages into .venv; Debian's chromium and a CJK
# font for the browser tests) and run the whole test suite. Extra arguments
# go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || need+=(fonts-wqy-microhei)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing Debian packages for the browser tests: ${need[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
exec .venv/bin/python -m pytest "$@"
