"""Benchmarks reported in the README (not timed tests).

  .venv/bin/python scripts/bench.py lookup   # lookup p50/p95 in-process and over HTTP, index build,
                                             # service cold start, RSS
  .venv/bin/python scripts/bench.py review   # 30-page plan: review wall time vs bare pdfplumber
                                             # extract_text of the same file, RSS
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

QUESTIONS = [
    "生物分布研究应在何时完成？", "When must biodistribution studies be finished?", "毒理试验需要设几个剂量组",
    "Is a standard carcinogenicity bioassay expected?", "补体激活标志物", "local tolerance for intravitreal products",
    "复制型病毒风险怎么评估", "How is the first-in-human starting dose chosen?", "脱落研究要不要检测感染性",
    "germline integration risk", "基因编辑产品脱靶", "Which species for general toxicology?",
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_lookup(rounds: int) -> dict[str, float]:
    import httpx

    from service.lookup import build_clause_index, clause_index, lookup
    from service.settings import get_settings

    settings = get_settings()
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    build_clause_index(settings, force=True)
    out["index_build_s"] = time.perf_counter() - t0
    clause_index(settings)
    for q in QUESTIONS:  # warm: model loaded, query cache filled once
        lookup(q, 5)
    from service import lookup as lookup_module

    index = clause_index(settings)
    times = []
    for _ in range(rounds):
        for q in QUESTIONS:
            index._query_cache.clear()  # measure the query embedding too, not the cache
            t = time.perf_counter()
            lookup_module.lookup(q, 5)
            times.append((time.perf_counter() - t) * 1000)
    out["lookup_inproc_p50_ms"] = statistics.median(times)
    out["lookup_inproc_p95_ms"] = pct(times, 0.95)
    out["rss_after_lookup_mb"] = rss_mb()

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/dossier-review"), "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=30) as client:
            while True:
                try:
                    if client.get(f"{base}/healthz").status_code == 200:
                        out["cold_start_healthz_s"] = time.perf_counter() - t0
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            while not client.get(f"{base}/healthz").json()["index_ready"]:
                time.sleep(0.05)
            out["cold_start_lookup_ready_s"] = time.perf_counter() - t0
            http_times = []
            for round_no in range(rounds):
                for i, q in enumerate(QUESTIONS):
                    t = time.perf_counter()  # a new question each time: no cached query vector
                    r = client.get(f"{base}/v1/clauses/search", params={"q": f"{q} {round_no}-{i}", "k": 5})
                    r.raise_for_status()
                    http_times.append((time.perf_counter() - t) * 1000)
            out["lookup_http_p50_ms"] = statistics.median(http_times)
            out["lookup_http_p95_ms"] = pct(http_times, 0.95)
        with open(f"/proc/{proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM"):
                    out["server_peak_rss_mb"] = int(line.split()[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def thirty_page_plan(path: Path) -> int:
    """A realistic Chinese plan of about 30 pages: the sections of four dev dossiers in one file."""
    import yaml

    from evals.dossiers.render import render_pdf

    names = ["01-aav9-iv-sma-zh", "03-lenti-invivo-zh", "07-plasmid-hgf-zh", "13-vaccinia-oncolytic-zh",
             "14-aav-intravitreal-zh"]
    sources = [yaml.safe_load((ROOT / "evals/dossiers" / n / "source.yaml").read_text()) for n in names]
    combined = {**sources[0], "blocks": [b for s in sources for b in s["blocks"]]}
    return render_pdf(combined, path)


def bench_review(rounds: int) -> dict[str, float]:
    import pdfplumber

    from service.ingest import parse_pdf_bytes
    from service.review.pipeline import review_document
    from service.settings import get_settings

    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "plan30.pdf"
        pages = thirty_page_plan(pdf)
        data = pdf.read_bytes()
        review_document(parse_pdf_bytes(data, settings, isolate=False), settings=settings)  # warm
        extract, review, review_sandboxed = [], [], []
        for _ in range(rounds):
            t = time.perf_counter()
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.extract_text()
            extract.append(time.perf_counter() - t)
            t = time.perf_counter()
            review_document(parse_pdf_bytes(data, settings, isolate=False), settings=settings)
            review.append(time.perf_counter() - t)
            t = time.perf_counter()
            review_document(parse_pdf_bytes(data, settings, isolate=True), settings=settings)
            review_sandboxed.append(time.perf_counter() - t)
    e, r, rs = statistics.median(extract), statistics.median(review), statistics.median(review_sandboxed)
    return {"pages": pages, "extract_text_s": e, "review_s": r, "ratio": r / e,
            "review_sandboxed_s": rs, "ratio_sandboxed": rs / e, "rss_mb": rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["lookup", "review"])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    result = bench_lookup(args.rounds) if args.what == "lookup" else bench_review(args.rounds)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}, indent=2))


if __name__ == "__main__":
    main()
