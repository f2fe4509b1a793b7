#!/usr/bin/env bash
# Create .venv (once) and install the package with its test extras into it.
# Sourced by build.sh and test.sh so both commands work on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
