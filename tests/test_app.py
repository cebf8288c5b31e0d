"""The web UI's named API, through gradio_client against a real server."""

import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow

GDP = "2021年地区生产总值是多少？"


@pytest.fixture(scope="module")
def client(server):
    return Client(server.url, verbose=False)


def search(client, question=GDP, **options):
    return client.predict(question=question, **{"k": 5, "mode": "hybrid", **options}, api_name="/search")


def test_chinese_question_returns_the_answer_figure_and_ranked_passages(client):
    reply = search(client)
    assert reply["question"] == GDP and reply["found"] is True and 0.0 <= reply["confidence"] <= 1.0
    answer = reply["answer"]
    assert answer["text"] == "784.2亿元" and answer["year"] == 2021
    assert answer["citation_zh"].endswith("．") and answer["passage_id"] == reply["results"][0]["id"]
    results = reply["results"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]
    top = results[0]
    assert "784.2" in top["text"] and top["answer"]["text"] == "784.2亿元"
    assert any(f["text"] == "784.2亿元" and f["answers"] for f in top["figures"])
    assert "［" in top["citation"] and top["source"] not in top["citation"]  # the file name is on the details line
    assert top["source"] in top["details"]


def test_english_question_gets_an_english_gloss_and_english_citations(client):
    reply = search(client, "What was the GDP in 2021?", language="en")
    assert any("784.2" in r["text"] for r in reply["results"])
    assert all(r["figures"] for r in reply["results"])
    assert reply["answer"]["gloss_en"] == "78.42 billion yuan"
    assert "[" in reply["results"][0]["citation"] and "［" not in reply["results"][0]["citation"]


def test_unanswerable_question_is_not_found_and_claims_no_answer(client):
    reply = search(client, "二七区有多少只熊猫")
    assert reply["found"] is False and reply["answer"] is None
    assert reply["results"]  # the closest passages are still given
    assert [n["key"] for n in reply["notices"]] == ["not_found"] and "没有回答" in reply["notices"][0]["text"]


def test_documents_filter_restricts_the_passages(client):
    chosen = "003_5812a0cf500341c3.txt"
    everything = search(client)
    assert {r["source"] for r in everything["results"]} != {chosen}
    reply = search(client, documents=[chosen])
    assert reply["results"] and {r["source"] for r in reply["results"]} == {chosen}


def test_empty_question_gets_a_friendly_notice_in_the_asked_language(client):
    assert search(client, "   ")["notice"].startswith("请先输入问题")
    reply = search(client, "   ", language="en")
    assert reply["results"] == [] and "Type a question first" in reply["notice"]


def test_very_long_question_is_cut_with_a_notice(client):
    reply = search(client, "地区生产总值" * 500, k=3, mode="bm25", language="en")
    assert "cut" in reply["notice"] and len(reply["question"]) == 2000 and reply["results"]


@pytest.mark.parametrize("options, words", [
    ({"k": -1}, "k must be from 1 to 20; -1 is out of range"), ({"k": 0, "mode": "bm25"}, "out of range"),
    ({"k": "abc"}, "k must be a whole number from 1 to 20, not 'abc'"),
    ({"mode": "fast"}, "mode must be one of hybrid, dense, bm25, not 'fast'"),
    ({"documents": ["nothing.txt"]}, "documents holds values the index does not know: ['nothing.txt']"),
    ({"places": [3]}, "places must be a list of at most 200 text values"),
    ({"years": ["last year"]}, "years must be a list of at most 200 years"),
])
def test_wrong_option_gets_a_notice_saying_what_is_wrong(client, options, words):
    reply = search(client, language="en", **options)
    assert reply["results"] == [] and words in reply["notice"] and "went wrong" not in reply["notice"]


def test_wrong_option_notice_is_chinese_by_default(client):
    reply = search(client, k=-1)
    assert reply["results"] == [] and reply["notice"] == "⚠️ k 必须在 1 到 20 之间；-1 超出范围。"


def test_unknown_language_gets_a_notice(client):
    reply = search(client, language="fr")
    assert reply["results"] == [] and "language" in reply["notice"] and "'fr'" in reply["notice"]


# -- the page's pieces, on the real index without a server ---------------------------------------------------
@pytest.fixture(scope="module")
def app(searcher, tmp_path_factory):
    import datetime

    import app as web

    built = web.App(searcher, exports=web.Exports(tmp_path_factory.mktemp("exports")),
                    today=lambda: datetime.date(2025, 3, 9))
    yield built
    built.lanes.close()


def test_filters_offer_the_index_reports_places_and_years(app):
    choices = app.choices
    assert len(choices.documents) == 5
    assert ("二七区 · 2022 · 二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）", "003_5812a0cf500341c3.txt") \
        in choices.documents
    assert choices.places == ("二七区",) and {2021, 2022} <= set(choices.years)


def test_export_is_named_after_the_question_and_the_given_date(app):
    from pathlib import Path

    import app as web

    reply = app.ask(GDP)
    path, note = app.export(web.Kept.of(reply), [], "csv")
    assert Path(path).name == "2021年地区生产总值是多少_2025-03-09.csv"
    assert note == "没有勾选段落，因此导出了全部段落。 已将 5 个段落导出为 CSV。"


def test_not_found_exports_no_answer_figure(app):
    import json
    from pathlib import Path

    import app as web

    reply = app.ask("二七区有多少只熊猫")
    assert not reply.found and reply.results
    path, _ = app.export(web.Kept.of(reply), [], "json", "en")
    assert {p["answer"] for p in json.loads(Path(path).read_text(encoding="utf-8"))["passages"]} == {""}


def test_the_same_question_in_either_language_finds_the_same_passages(app):
    chinese, english = app.ask(GDP, language="zh"), app.ask(GDP, language="en")
    assert [r.passage.id for r in chinese.results] == [r.passage.id for r in english.results]
    assert "复制引用" in chinese.html and "Copy citation" in english.html and "复制引用" not in english.html
