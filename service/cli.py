"""`dossier-review` command line: the same service functions the HTTP API calls."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from service.errors import BadRequest, DossierError
from service.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Review gene-therapy non-clinical plans.")
index_app = typer.Typer(no_args_is_help=True, help="Build the clause index.")
eval_app = typer.Typer(no_args_is_help=True, help="Evaluate lookup and review accuracy.")
app.add_typer(index_app, name="index")
app.add_typer(eval_app, name="eval")


def _settings_with_llm(llm: bool):  # type: ignore[no-untyped-def]
    """The settings, with LLM assistance switched on for --llm (its endpoint must be configured)."""
    from service.settings import get_settings

    settings = get_settings()
    if not llm:
        return settings
    if not settings.llm_base_url.strip():
        typer.secho("error: --llm needs DOSSIER_REVIEW_LLM_BASE_URL (and DOSSIER_REVIEW_LLM_MODEL)",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    return settings.model_copy(update={"llm_enabled": True})


def _fail(exc: DossierError) -> None:
    typer.secho(f"error ({exc.code}): {exc.message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _bar(label: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    bar = tqdm(total=0, desc=label, unit="item", file=sys.stderr, leave=True)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, update


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
) -> None:
    """Run the HTTP service (API and web pages)."""
    import uvicorn

    from service.settings import get_settings

    settings = get_settings()
    uvicorn.run("service.api.app:create_app", factory=True, host=host or settings.host,
                port=port or settings.port, log_level="info")


@index_app.command("build")
def index_build(force: Annotated[bool, typer.Option(help="rebuild even if fresh")] = True) -> None:
    """Build (or rebuild) the clause index: converts the model first if needed."""
    import time

    from service.lookup import build_clause_index
    from service.settings import get_settings

    t0 = time.perf_counter()
    bar, update = _bar("embedding clauses")
    index = build_clause_index(get_settings(), force=force, progress=update)
    bar.close()
    typer.echo(f"clause index: {len(index.docs)} clauses, {len(index.owner)} passages, "
               f"{time.perf_counter() - t0:.1f} s → {get_settings().index_dir / 'clauses'}")


@app.command()
def lookup(
    question: Annotated[str, typer.Argument(help="a question in Chinese or English")],
    k: Annotated[int, typer.Option("-k", help="number of clauses")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Look guideline clauses up by question."""
    from dataclasses import asdict

    from service.lookup import lookup as do_lookup

    try:
        result = do_lookup(question, k)
    except DossierError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return
    if result.no_match:
        typer.echo(f"No match: {result.message}")
        return
    for hit in result.hits:
        reqs = ", ".join(hit.requirement_ids) or "—"
        typer.secho(f"[{hit.anchor}] {' > '.join(hit.path)}  (score {hit.score:.3f}; {reqs})", bold=True)
        typer.echo(f"  {hit.text[:300]}{'…' if len(hit.text) > 300 else ''}\n")


@eval_app.command("lookup")
def eval_lookup(
    queries: Annotated[Path | None, typer.Option(help="JSON Lines query file")] = None,
    results_out: Annotated[Path | None, typer.Option(help="write hybrid answers as JSON Lines")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print metrics as JSON")] = False,
) -> None:
    """Recall@1/@5, MRR@10 per language and no-match rate, with BM25-only and dense-only baselines."""
    from evals import lookup_eval
    from service.lookup import clause_index, is_no_match, search_clauses
    from service.settings import get_settings

    path = queries or lookup_eval.DEFAULT_QUERIES
    try:
        qs = lookup_eval.load_queries(path)
    except (OSError, ValueError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    index = clause_index(get_settings())

    def answer(text: str, system: str) -> lookup_eval.Answer:
        result = search_clauses(index, text, 10, system)  # type: ignore[arg-type]
        anchors = [h.key for h in result.hits if not h.key.startswith("~")]
        return lookup_eval.Answer("", anchors, is_no_match(result, system))  # type: ignore[arg-type]

    bar, update = _bar("queries")
    metrics, answers = lookup_eval.run(qs, answer, progress=update)
    bar.close()
    if results_out:
        lookup_eval.write_results(results_out, answers["hybrid"])
    if as_json:
        typer.echo(json.dumps(metrics, indent=2))
    else:
        typer.echo(lookup_eval.format_table(metrics))


@eval_app.command("dossiers")
def eval_dossiers(
    dirs: Annotated[list[Path] | None, typer.Argument(help="folders of labelled dossiers")] = None,
    results_out: Annotated[Path | None, typer.Option(help="write each review as <folder>.json here")] = None,
    report: Annotated[Path | None, typer.Option(help="write a Markdown report here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print metrics as JSON")] = False,
    llm: Annotated[bool, typer.Option("--llm", help="also run with LLM assistance")] = False,
) -> None:
    """Review every plan.pdf below DIRS and score against labels.json, with baselines."""
    import time

    from evals.dossier_eval import everything_met_baseline, run_dossier_eval
    from service.ingest.sandbox import parse_pdf_bytes
    from service.review.baseline import retrieval_only_review
    from service.review.pipeline import review_document
    from service.settings import get_settings

    settings = get_settings().model_copy(update={"llm_enabled": False})
    llm_settings = _settings_with_llm(True) if llm else None
    llm_stats: dict[str, dict] = {}
    folders = dirs or [Path(__file__).resolve().parent.parent / "evals" / "dossiers"]
    docs: dict[Path, object] = {}

    def parsed(pdf: Path):  # type: ignore[no-untyped-def]
        if pdf not in docs:
            docs[pdf] = parse_pdf_bytes(pdf.read_bytes(), settings, isolate=False)
        return docs[pdf]

    def rules(pdf: Path) -> tuple[dict, float]:
        t0 = time.perf_counter()
        result = review_document(parsed(pdf), settings=settings)  # type: ignore[arg-type]
        return result.model_dump(mode="json"), time.perf_counter() - t0

    def retrieval(pdf: Path) -> tuple[dict, float]:
        t0 = time.perf_counter()
        result = retrieval_only_review(parsed(pdf))  # type: ignore[arg-type]
        return result.model_dump(mode="json"), time.perf_counter() - t0

    def rules_llm(pdf: Path) -> tuple[dict, float]:
        t0 = time.perf_counter()
        stats: dict = {}
        result = review_document(parsed(pdf), settings=llm_settings, llm_stats=stats)  # type: ignore[arg-type]
        seconds = time.perf_counter() - t0
        llm_stats[pdf.parent.name] = {**stats, "seconds_total": round(seconds, 1)}
        return result.model_dump(mode="json"), seconds

    baselines = {"everything met": everything_met_baseline(), "retrieval only": retrieval}
    if llm:
        baselines = {"rules + LLM": rules_llm, **baselines}
    bar, update = _bar("dossiers")
    try:
        run = run_dossier_eval(
            folders, rules, results_out=results_out, system="rules",
            baselines=baselines,
            progress=lambda done, total, _msg: update(done, total),
        )
    except ValueError as exc:
        bar.close()
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    bar.close()
    if not run.dossiers:
        typer.secho("error: no plan.pdf found below " + ", ".join(map(str, folders)), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(run.markdown_report(), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps({**run.to_json(), "llm": llm_stats} if llm else run.to_json(), indent=2,
                              ensure_ascii=False))
        return
    typer.echo(run.text_summary())
    for name, stats in llm_stats.items():
        typer.echo(f"LLM {name}: " + ", ".join(f"{k}={v}" for k, v in stats.items() if not isinstance(v, dict)))


@app.command()
def review(
    pdfs: Annotated[list[Path], typer.Argument(help="plan PDF(s)", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | md | xlsx")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="a file (one PDF) or a folder (several PDFs)")] = None,
    profile: Annotated[str | None, typer.Option(help="JSON object of product-profile overrides")] = None,
    llm: Annotated[bool, typer.Option("--llm", help="LLM assistance (needs DOSSIER_REVIEW_LLM_BASE_URL)")] = False,
) -> None:
    """Review plan PDFs and write their checklists; several PDFs go to -o DIR as <parent folder>.<format>."""
    from service.review_service import parse_profile

    settings = _settings_with_llm(llm)

    if fmt not in ("json", "md", "xlsx"):
        typer.secho(f"error: unknown format {fmt!r}; use json, md or xlsx", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        overrides = parse_profile(profile)
    except DossierError as exc:
        _fail(exc)
        return
    several = len(pdfs) > 1 or (output is not None and output.is_dir())
    if several and output is None:
        typer.secho("error: several PDFs need -o DIR", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if not several and output is None and fmt == "xlsx":
        typer.secho("error: xlsx needs -o FILE", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    targets = _output_paths(pdfs, fmt, output) if several and output else [output] * len(pdfs)
    failed = 0
    for pdf, target in zip(pdfs, targets, strict=True):
        try:
            content = _review_one(pdf, fmt, overrides, settings)
        except DossierError as exc:
            typer.secho(f"{pdf}: error ({exc.code}): {exc.message}", fg=typer.colors.RED, err=True)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - report it and go on with the other files
            typer.secho(f"{pdf}: error (internal_error): {type(exc).__name__}: {exc}", fg=typer.colors.RED,
                        err=True)
            failed += 1
            continue
        if target is None:
            sys.stdout.write(content.decode())
            sys.stdout.flush()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            typer.echo(f"{pdf} → {target}", err=True)
    if failed:
        typer.secho(f"{failed} of {len(pdfs)} review(s) failed", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _output_paths(pdfs: list[Path], fmt: str, folder: Path) -> list[Path]:
    """<parent folder>.<fmt> per PDF (so `review */plan.pdf -o out/` works); names made unique."""
    names = [p.resolve().parent.name or p.stem for p in pdfs]
    names = [f"{n}-{p.stem}" if names.count(n) > 1 else n for n, p in zip(names, pdfs, strict=True)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        k = seen[name] = seen.get(name, 0) + 1
        out.append(folder / (f"{name}-{k}.{fmt}" if k > 1 else f"{name}.{fmt}"))
    return out


def _review_one(pdf: Path, fmt: str, overrides: dict[str, Any] | None, settings: Settings) -> bytes:
    from tqdm import tqdm

    from service import export, jobs
    from service.review_service import check_pdf

    try:
        with pdf.open("rb") as fh:
            data = fh.read(settings.max_upload_bytes + 1)
    except OSError as exc:
        raise BadRequest(f"cannot read the file: {exc.strerror or exc}") from None
    check_pdf(data, settings.max_upload_bytes)
    label = f"{pdf.parent.name}/{pdf.name}"[-40:]
    with tqdm(total=100, desc=label, file=sys.stderr, leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}|") as bar:
        def progress(stage: str, fraction: float) -> None:
            bar.set_description_str(f"{label} [{stage}]", refresh=False)
            bar.update(round(100 * max(0.0, min(1.0, fraction))) - bar.n)

        result = jobs.result_to_json(jobs.default_review_fn(data, overrides=overrides, settings=settings,
                                                            progress=progress))
    if fmt == "json":
        return (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode()
    return export.render(result, {}, fmt, title=pdf.name)


def main() -> None:  # pragma: no cover
    app()
