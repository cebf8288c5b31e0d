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
    for split in ("dev", "test"):
        in_split = [q for q in questions if q.split == split]
        assert {doc for q in in_split for doc in q.docs} == {p.name for p in SEEDS.iterdir()}
        assert {q.kind for q in in_split} == set(kinds)


def test_unanswerable_set_is_large_mixed_and_split():
    questions = load_gold(GOLD.parent / "unanswerable.jsonl")
    assert len(questions) >= 60 and len({q.id for q in questions}) == len(questions)
    assert all(not q.answerable and not q.answers for q in questions)
    kinds = collections.Counter(q.kind for q in questions)
    assert set(kinds) == {"missing-indicator", "missing-year", "missing-place"}
    for split in ("dev", "test"):
        in_split = [q for q in questions if q.split == split]
        assert {q.kind for q in in_split} == set(kinds) and len(in_split) >= 30
        assert any(q.question.isascii() for q in in_split) and any(not q.question.isascii() for q in in_split)
