"""Clause lookup and the clause/requirement API with the hermetic fake embedder; bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.errors import InvalidQuery, NotFound
from service.lookup import clause_hit, lookup
from service.settings import Settings


def test_lookup_finds_the_biodistribution_clause(fake_settings: Settings) -> None:
    result = lookup("生物分布研究应在临床试验开始前完成吗", 5, settings=fake_settings)
    assert not result.no_match
    assert "2.2.2" in [h.anchor for h in result.hits]
    hit = next(h for h in result.hits if h.anchor == "2.2.2")
    assert hit.path[-1] == "生物分布" and "PK-BD-TIMING" in hit.requirement_ids and hit.text


@pytest.mark.parametrize(
    ("question", "k", "message"),
    [("", 5, "empty"), ("   ", 5, "empty"), ("x" * 10_000, 5, "limit"), ("GLP", 0, "k must"), ("GLP", 51, "k must")],
)
def test_bad_questions_raise_clear_errors(fake_settings: Settings, question: str, k: int, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        lookup(question, k, settings=fake_settings)


def test_punctuation_only_is_an_empty_answer_with_a_message(fake_settings: Settings) -> None:
    result = lookup("？？！…，。", 5, settings=fake_settings)
    assert result.no_match and result.hits == [] and result.message


def test_clause_hit_for_unknown_anchor() -> None:
    with pytest.raises(NotFound):
        clause_hit("9.9.9")


def test_heading_clause_text_is_its_childrens() -> None:
    hit = clause_hit("2.3.1")
    assert "分组" in hit.text and "一般毒理学试验原则上应设低、中、高" in hit.text


@pytest.fixture
def client(fake_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(fake_settings, warm=False)) as c:
        yield c


def test_search_api(client: TestClient) -> None:
    r = client.get("/v1/clauses/search", params={"q": "局部耐受性试验", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["no_match"] is False and len(body["hits"]) == 3
    assert {"anchor", "path", "title", "text", "score", "requirement_ids"} <= set(body["hits"][0])


@pytest.mark.parametrize(
    ("params", "status"),
    [({"q": ""}, 422), ({"q": "GLP", "k": 0}, 422), ({"q": "GLP", "k": 999}, 422), ({"q": "GLP", "k": "abc"}, 422),
     ({"q": "y" * 10_000}, 422)],
)
def test_search_api_bad_input_is_a_4xx_with_error_body(client: TestClient, params: dict, status: int) -> None:
    r = client.get("/v1/clauses/search", params=params)
    assert r.status_code == status
    assert set(r.json()["error"]) == {"code", "message"}


def test_clause_and_requirement_endpoints(client: TestClient) -> None:
    r = client.get("/v1/clauses/2.3.1(3)")
    assert r.status_code == 200 and r.json()["title"] == "分组" and "TOX-GROUPS" in r.json()["requirement_ids"]
    assert client.get("/v1/clauses/7.7").status_code == 404
    reqs = client.get("/v1/requirements").json()
    assert len(reqs) == 44 and reqs[0]["id"] == "GEN-GLP"
    one = client.get("/v1/requirements/PK-SHEDDING-INFECTIVITY").json()
    assert one["anchors"] == ["2.2.3"] and one["applies"] != "always" and one["not_applicable_reason"]["en"]
    assert client.get("/v1/requirements/NOPE").json()["error"]["code"] == "not_found"
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["clauses"] == 35 and health["requirements"] == 44
