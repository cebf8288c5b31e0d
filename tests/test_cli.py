"""The real `qa` command: end to end on the seeds, and its answers to bad input."""

import json

import pytest

from conftest import GOLD, SEEDS, run_qa


def _one_line_error(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.slow
def test_chinese_gdp_question_ranks_the_784_2_passage_first(seed_index):
    result = run_qa("search", "2021年地区生产总值是多少", "--index", seed_index, "--json")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["found"] and reply["answer"]["text"] == "784.2亿元" and reply["answer"]["year"] == 2021
    results = reply["results"]
    assert "784.2" in results[0]["text"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]


@pytest.mark.slow
def test_english_gdp_question_finds_the_784_2_passage_in_the_top_five(seed_index):
    result = run_qa("search", "What was the GDP in 2021?", "--index", seed_index, "--json")
    assert result.returncode == 0, result.stderr
    assert any("784.2" in r["text"] for r in json.loads(result.stdout)["results"][:5])


@pytest.mark.slow
def test_search_json_carries_citation_fields_and_figures(seed_index):
    result = run_qa("search", "2021年地区生产总值是多少", "-k", "2", "--index", seed_index, "--json")
    reply = json.loads(result.stdout)
    assert set(reply) >= {"question", "found", "answer", "results", "notices"}
    assert reply["answer"]["citation_zh"].endswith("．") and reply["answer"]["passage_id"] == reply["results"][0]["id"]
    top = reply["results"][0]
    assert set(top) >= {"rank", "score", "id", "source", "title", "section", "start", "end", "text", "figures"}
    original = (SEEDS / top["source"]).read_text(encoding="utf-8")
    assert original[top["start"]:top["end"]].replace("**", "") == top["text"]
    figure = next(f for f in top["figures"] if f["text"] == "784.2亿元")
    assert top["text"][figure["start"]:figure["end"]] == "784.2亿元" and figure["kind"] == "money"


@pytest.mark.slow
def test_results_json_keeps_the_plain_list_of_passages(seed_index):
    result = run_qa("search", "2021年地区生产总值是多少", "-k", "2", "--index", seed_index, "--format", "results-json")
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)
    assert isinstance(results, list) and [r["rank"] for r in results] == [1, 2]
    assert results[0]["answer"]["text"] == "784.2亿元"


@pytest.mark.slow
def test_search_text_prints_the_answer_line_first(seed_index):
    result = run_qa("search", "2021年地区生产总值是多少", "-k", "2", "--index", seed_index)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Answer: 784.2亿元 · 2021 result · 二七区 · 《拉高标杆 狠抓落实 奋力突破》")
    assert "Also written as 784.23亿元" in result.stdout and "The reports differ" not in result.stdout


@pytest.mark.slow
def test_search_text_says_when_the_reports_do_not_answer(seed_index):
    result = run_qa("search", "二七区有多少只熊猫", "-k", "1", "--index", seed_index)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Not found: these reports do not seem to answer this question")
    assert "answer " not in result.stdout.split("\n1. ", 1)[1]  # the closest passage claims no answer figure


@pytest.mark.slow
def test_search_filters_keep_only_the_chosen_report(seed_index):
    chosen = SEEDS.joinpath("003_5812a0cf500341c3.txt").name
    result = run_qa("search", "地区生产总值", "--index", seed_index, "--document", chosen, "--format", "results-json")
    assert result.returncode == 0, result.stderr
    assert {r["source"] for r in json.loads(result.stdout)} == {chosen}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_search_text_output_shows_rank_document_and_section(seed_index, mode):
    result = run_qa("search", "2021年地区生产总值是多少", "-k", "1", "--mode", mode, "--index", seed_index)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(("Answer: ", "Not found: ")) and "\n1. [" in result.stdout
    assert ".txt:" in result.stdout  # the id names the source file
    assert "\n   二七区" in result.stdout or "\n   20" in result.stdout  # the document's place or date line
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


@pytest.mark.slow
def test_eval_prints_every_metric_overall_and_per_kind(seed_index):
    result = run_qa("eval", "--gold", GOLD, "--index", seed_index, "--mode", "bm25", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    metrics = {"hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10"}
    assert set(report["metrics"]) == metrics | {"answer_figure"}
    assert set(report["by_kind"]) == {"zh", "paraphrase", "en", "year"}
    assert all(set(values) >= metrics for values in report["by_kind"].values())
    first = report["questions"][0]
    assert set(first) >= {"id", "question", "kind", "rank", "results"} and len(first["results"]) == 10


@pytest.mark.slow
def test_eval_reports_abstention_over_answerable_and_unanswerable_questions(seed_index):
    unanswerable = GOLD.parent / "unanswerable.jsonl"
    result = run_qa("eval", "--gold", GOLD, "--gold", unanswerable, "--split", "test", "--index", seed_index)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split()[:2] == ["n", "hit@1"] and lines[2].split()[:2] == ["all", "111"]  # the usual table
    line = next(line for line in lines if line.startswith("abstention: "))
    assert "unanswerable questions flagged as not found (recall " in line and "precision" in line
    assert any(line.startswith("missing-place") for line in lines)


@pytest.mark.slow
def test_build_again_says_up_to_date(seed_index):
    result = run_qa("build", "--seeds", SEEDS, "--index", seed_index)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


@pytest.mark.parametrize("question", ["", "   ", "\t\n"])
def test_empty_question_is_a_one_line_error(tmp_path, question):
    assert "the question is empty" in _one_line_error(run_qa("search", question, "--index", tmp_path))


def test_missing_index_says_to_run_build(tmp_path):
    line = _one_line_error(run_qa("search", "地区生产总值", "--index", tmp_path / "none"))
    assert "run `qa build`" in line


def test_missing_seeds_folder_is_named(tmp_path):
    line = _one_line_error(run_qa("build", "--seeds", tmp_path / "nowhere", "--index", tmp_path / "index",
                                  "--model", "unused"))
    assert "seeds folder not found" in line and not (tmp_path / "index").exists()


def test_empty_seeds_folder_is_named(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "notes.json").write_text("{}", encoding="utf-8")
    line = _one_line_error(run_qa("build", "--seeds", tmp_path / "seeds", "--index", tmp_path / "index",
                                  "--model", "unused"))
    assert "no readable reports" in line


def test_unreadable_gold_file_is_named(tmp_path):
    line = _one_line_error(run_qa("eval", "--gold", tmp_path / "missing.jsonl", "--index", tmp_path))
    assert "cannot read gold file" in line


def test_malformed_gold_line_is_named_by_number(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"question": "a", "answers": ["1"]}\n\n{"question": "b", answers: 1}\n', encoding="utf-8")
    assert "line 3: not valid JSON" in _one_line_error(run_qa("eval", "--gold", gold, "--index", tmp_path))


def test_unknown_mode_is_refused_with_the_choices(tmp_path):
    result = run_qa("search", "地区生产总值", "--mode", "fuzzy", "--index", tmp_path)
    assert result.returncode == 2 and "hybrid" in result.stderr and "Traceback" not in result.stderr
