#!/usr/bin/env bash
# Install everything into .venv and build output/ from seeds/.
# Extra arguments go to `kg build` (see `.venv/bin/kg build --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
.venv/bin/kg build "$@" || status=$?
# A picture of the view for the README, when a browser is at hand (the
# test command installs one); the graph files do not depend on it.
if [ "$status" -le 1 ] && [ -x /usr/bin/chromium ] && [ -f output/graph.html ] && [ "$#" -eq 0 ]; then
  .venv/bin/python -c 'from pathlib import Path; from kg.export.screenshot import screenshot; screenshot(Path("output/graph.html"), Path("output/graph.png"))' \
    && echo "  output/graph.png (screenshot of the view)"
fi
exit "$status"
