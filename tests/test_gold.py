"""The shipped gold set is well formed and every answer is in its document."""

import collections

from conftest import GOLD, SEEDS
from qa.documents import read_document
from qa.evaluation import load_gold


def test_every_answer_occurs_in_a_named_document():
    texts = {path.name: read_document(path).text for path in SEEDS.iterdir()}
    for question in load_gold(GOLD):
        assert question.docs, question.id
        assert all(doc in texts for doc in question.docs), question.id
        assert any(answer in texts[doc] for answer in question.answers for doc in question.docs), question.id


def test_gold_set_covers_every_kind_document_and_both_splits():
    questions = load_gold(GOLD)
    assert len(questions) >= 150
    assert len({q.id for q in questions}) == len(questions)
    kinds = collections.Counter(q.kind for q in questions)
    assert set(kinds) == {"zh", "paraphrase", "en", "year"} and min(kinds.values()) >= 30
    # split by document: a test document's questions are all test questions (a question naming a dev document
    # as well stays in dev), and every seed report is in one split or the other
    test_documents = {doc for q in questions if q.split == "test" for doc in q.docs}
    assert test_documents and test_documents < {p.name for p in SEEDS.iterdir()}
    assert all(q.split == "test" for q in questions if q.docs and set(q.docs) <= test_documents)
    for split in ("dev", "test"):
        assert {q.kind for q in questions if q.split == split} == set(kinds)


def test_every_gold_set_is_split_by_document_as_the_split_rule_says():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(GOLD.parent / "split.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_genres_set_asks_communiques_and_city_reports_in_both_languages():
    questions = load_gold(GOLD.parent / "genres.jsonl")
    kinds = collections.Counter(q.kind for q in questions)
    assert len(questions) >= 150 and kinds["paraphrase"] >= 40 and kinds["en"] >= 40
    assert {doc.split("/")[0] for q in questions for doc in q.docs} == {"bulletins", "cities"}
    splits = {}
    for q in questions:
        for doc in q.docs:
            splits.setdefault(doc, set()).add(q.split)
    assert all(len(found) == 1 for found in splits.values())  # each document in one split
    assert {"dev", "test"} == {split for found in splits.values() for split in found}


def test_unanswerable_set_is_large_mixed_and_split():
    questions = load_gold(GOLD.parent / "unanswerable.jsonl")
    assert len(questions) >= 250 and len({q.id for q in questions}) == len(questions)
    assert all(not q.answerable and not q.answers for q in questions)
    kinds = collections.Counter(q.kind for q in questions)
    assert set(kinds) == {"missing-indicator", "missing-year", "missing-place"}
    for split in ("dev", "test"):
        in_split = [q for q in questions if q.split == split]
        assert {q.kind for q in in_split} == set(kinds) and len(in_split) >= 30
        assert any(q.question.isascii() for q in in_split) and any(not q.question.isascii() for q in in_split)
