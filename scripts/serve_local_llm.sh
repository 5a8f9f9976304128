#!/usr/bin/env bash
# Opt-in: serve the local GGUF model (see scripts/fetch_local_llm.sh) over an OpenAI-compatible HTTP API
# with llama-cpp-python's server, for the optional LLM-assistance step. Not part of the default install.
#
# Installs llama-cpp-python[server] when missing: it compiles llama.cpp from source (needs a C/C++
# compiler; cmake/ninja come from PyPI if absent; ~5 minutes on 2 cores). By default into a venv of its
# own (.cache/llm/venv): the server is a separate process reached over HTTP, and the [server] extra's
# fastapi/uvicorn/pydantic-settings requirements must not move the project's pinned versions.
# LLM_VENV=.venv installs into the project venv instead.
#
# Then point the service at it:
#   export DOSSIER_REVIEW_LLM_ENABLED=true
#   export DOSSIER_REVIEW_LLM_BASE_URL=http://127.0.0.1:8081/v1
#   export DOSSIER_REVIEW_LLM_MODEL=qwen2.5-coder-1.5b-instruct
#
# Usage: scripts/serve_local_llm.sh [model.gguf]
#   env: LLM_HOST (127.0.0.1), LLM_PORT (8081), LLM_THREADS (2), LLM_CTX (4096), LLAMA_CPP_VERSION (pin),
#        LLM_VENV (.cache/llm/venv), PYTHON (python3, to create that venv)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:-$ROOT/.cache/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf}"
VENV="${LLM_VENV:-$ROOT/.cache/llm/venv}"
[[ "$VENV" = /* ]] || VENV="$ROOT/$VENV"
BASE_PY="${PYTHON:-python3}"
HOST="${LLM_HOST:-127.0.0.1}"
PORT="${LLM_PORT:-8081}"
THREADS="${LLM_THREADS:-2}"
CTX="${LLM_CTX:-4096}"

if [[ ! -f "$MODEL" ]]; then
  echo "model not found: $MODEL (run scripts/fetch_local_llm.sh first)" >&2
  exit 1
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "creating $VENV"
  "$BASE_PY" -m venv "$VENV"
fi
PY="$VENV/bin/python"
if ! "$PY" -c "import llama_cpp.server" >/dev/null 2>&1; then
  echo "installing llama-cpp-python[server] into $VENV (compiles, ~5 min)"
  spec="llama-cpp-python[server]"
  if [[ -n "${LLAMA_CPP_VERSION:-}" ]]; then spec="llama-cpp-python[server]==$LLAMA_CPP_VERSION"; fi
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=ON}" "$PY" -m pip install "$spec"
fi

echo "serving $MODEL on http://$HOST:$PORT/v1"
exec "$PY" -m llama_cpp.server \
  --model "$MODEL" \
  --model_alias "qwen2.5-coder-1.5b-instruct" \
  --host "$HOST" --port "$PORT" \
  --n_threads "$THREADS" --n_ctx "$CTX"
