#!/usr/bin/env bash
# Install everything (idempotent) and start the service on its defaults:
# SQLite in var/, the bundled guideline, the converted e5 model, http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec env HF_HUB_OFFLINE=1 .venv/bin/dossier-review serve "$@"
