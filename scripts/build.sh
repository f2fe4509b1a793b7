#!/usr/bin/env bash
# Install everything into .venv and build output/ from seeds/.
# Extra arguments go to `kg build` (see `.venv/bin/kg build --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kg build "$@"
