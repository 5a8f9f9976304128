"""Chunking, tokenizer, BM25 and hybrid fusion with the hermetic fake embedder."""

from pathlib import Path

import numpy as np
import pytest

from index.bm25 import BM25
from index.chunks import chunk_text
from index.embedder import FakeEmbedder
from index.hybrid import HybridIndex, IndexDoc
from index.tokenize import tokenize


def test_chunks_keep_their_key_and_cover_the_text() -> None:
    text = "。".join(f"第{i}句话讲的是生物分布研究的采样时间点安排" for i in range(30)) + "。"
    chunks = chunk_text("2.2.2", text, max_chars=120, overlap=40)
    assert len(chunks) > 3
    assert all(c.key == "2.2.2" and len(c.text) <= 120 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    # overlap: each chunk starts before the previous one ended
    assert all(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_chunking_an_overlong_sentence_cuts_it() -> None:
    chunks = chunk_text("x", "长" * 500, max_chars=200, overlap=50)
    assert all(len(c.text) <= 200 for c in chunks)
    assert chunks[-1].end == 500


def test_empty_text_gives_no_chunks() -> None:
    assert chunk_text("x", "   ") == []


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("生物分布研究应在临床试验开始前完成", ["生物分布", "临床试验"], ["的"]),
        ("Biodistribution studies of the vectors", ["biodistribut", "vector"], ["the", "of"]),
    ],
)
def test_tokenizer_mixed_languages(text: str, expected: list[str], absent: list[str]) -> None:
    toks = tokenize(text)
    for t in expected:
        assert t in toks
    for t in absent:
        assert t not in toks


def test_bm25_ranks_the_matching_document_first() -> None:
    bm = BM25(["脱落 尿液 粪便 唾液 感染能力", "生殖毒性 胚胎 胎仔", "shedding in urine and saliva"])
    scores = bm.scores("脱落研究 感染能力")
    assert int(np.argmax(scores)) == 0
    assert bm.scores("shedding saliva")[2] > 0
    assert bm.max_possible("脱落") >= max(bm.scores("脱落"))


DOCS = [
    IndexDoc("a", ("生物分布研究应在临床试验开始前完成",), "生物分布 临床试验 开始前 biodistribution before clinical trial"),
    IndexDoc("b", ("局部耐受性试验可结合在一般毒理学试验中",), "局部耐受性 local tolerance injection site"),
    IndexDoc("c", ("补体激活标志物",), "补体激活 complement activation"),
]


@pytest.mark.parametrize("mode", ["hybrid", "rrf", "bm25", "dense"])
def test_hybrid_search_modes_find_the_right_doc(mode: str) -> None:
    index = HybridIndex(DOCS, FakeEmbedder())
    result = index.search("生物分布研究什么时候完成", k=2, mode=mode)  # type: ignore[arg-type]
    assert result.hits[0].key == "a"
    assert len(result.hits) == 2


def test_index_persists_and_detects_staleness(tmp_path: Path) -> None:
    emb = FakeEmbedder()
    index = HybridIndex(DOCS, emb)
    index.save(tmp_path, {"model_id": emb.model_id})
    again = HybridIndex.load_if_fresh(tmp_path, DOCS, emb, {"model_id": emb.model_id})
    assert again is not None and again.search("complement", k=1).hits[0].key == "c"
    changed = [*DOCS[:2], IndexDoc("c", ("补体",), "补体")]
    assert HybridIndex.load_if_fresh(tmp_path, changed, emb, {"model_id": emb.model_id}) is None
    assert HybridIndex.load_if_fresh(tmp_path, DOCS, emb, {"model_id": "other-model"}) is None
    assert HybridIndex.load_if_fresh(tmp_path / "missing", DOCS, emb, {"model_id": emb.model_id}) is None
