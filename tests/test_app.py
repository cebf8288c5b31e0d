"""The web UI's named API, through gradio_client against a real server."""

import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(server):
    return Client(server.url, verbose=False)


def test_chinese_question_returns_ranked_passages_with_figures_and_answer(client):
    reply = client.predict(question="2021年地区生产总值是多少？", k=5, mode="hybrid", api_name="/search")
    results = reply["results"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]
    top = results[0]
    assert "784.2" in top["text"] and top["answer"]["text"] == "784.2亿元"
    assert any(f["text"] == "784.2亿元" and f["answers"] for f in top["figures"])
    assert top["citation"].startswith("《") and "chars" in top["citation"]


def test_english_question_returns_passages_with_highlighted_figures(client):
    reply = client.predict(question="What was the GDP in 2021?", k=5, mode="hybrid", api_name="/search")
    assert any("784.2" in r["text"] for r in reply["results"])
    assert all(r["figures"] for r in reply["results"])


def test_empty_question_gets_a_friendly_notice_not_an_error(client):
    reply = client.predict(question="   ", k=5, mode="hybrid", api_name="/search")
    assert reply["results"] == [] and "Type a question first" in reply["notice"]


def test_very_long_question_is_cut_with_a_notice(client):
    reply = client.predict(question="地区生产总值" * 500, k=3, mode="bm25", api_name="/search")
    assert "cut" in reply["notice"] and len(reply["question"]) == 2000 and reply["results"]


@pytest.mark.parametrize("k, mode, words", [
    (-1, "hybrid", "k must be from 1 to 20; -1 is out of range"), (0, "bm25", "out of range"),
    ("abc", "hybrid", "k must be a whole number from 1 to 20, not 'abc'"),
    (5, "fast", "mode must be one of hybrid, dense, bm25, not 'fast'"),
])
def test_wrong_k_or_mode_gets_a_notice_saying_what_is_wrong(client, k, mode, words):
    reply = client.predict(question="2021年地区生产总值是多少？", k=k, mode=mode, api_name="/search")
    assert reply["results"] == [] and words in reply["notice"] and "went wrong" not in reply["notice"]
