"""Tests for qa.tokens: jieba search mode (jieba-rs) with figures kept whole."""

import pytest
import rjieba

from qa.tokens import STOPWORDS, normalise, tokenize


@pytest.mark.parametrize(
    "text, figure",
    [
        ("全年地区生产总值达到784.2亿元", "784.2"),
        ("地区生产总值增长7.5%左右", "7.5%"),
        ("全区地区生产总值完成340.64亿元", "340.64"),
        ("累计转运集中隔离1.04万人", "1.04"),
        ("同比增长0.82%", "0.82%"),
        ("千分比为3.5‰", "3.5‰"),
    ],
    ids=["784.2", "7.5%", "340.64", "1.04", "0.82%", "3.5permille"],
)
def test_figures_stay_whole_tokens(text, figure):
    tokens = tokenize(text)
    assert figure in tokens
    # jieba's dictionary alone (no HMM) splits such a figure at the decimal point
    assert figure not in rjieba.cut(text, False)


def test_figure_tokens_in_a_seed_sentence():
    assert tokenize("全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。") == [
        "全年", "地区", "生产", "总值", "生产总值", "784.2", "亿元",
        "社会", "消费", "消费品", "零售", "总额", "零售总额", "498.7", "亿元",
    ]


def test_a_compound_word_also_yields_the_words_inside_it():
    tokens = tokenize("规模以上工业增加值同比增长2.3%")
    assert {"规模", "工业", "增加值", "2.3%"} <= set(tokens)
    assert set(tokenize("工业增加值")) <= set(tokens)


def test_thousands_separators_are_dropped_from_figures():
    assert tokenize("1,200") == ["1200"]
    assert tokenize("投资1,200万元") == ["投资", "1200", "万元"]
    assert tokenize("12,345,678元") == ["12345678", "元"]


def test_a_comma_between_two_numbers_is_not_a_thousands_separator():
    assert tokenize("2020,2021年") == ["2020", "2021", "年"]
    assert tokenize("1,2000") == ["1", "2000"]


def test_search_mode_gives_each_word_and_the_dictionary_words_inside_it():
    assert tokenize("地区生产总值") == ["地区", "生产", "总值", "生产总值"]
    assert rjieba.cut("地区生产总值", True) == ["地区", "生产总值"]  # precise mode alone would not match 生产


def test_every_token_is_a_piece_of_the_text_and_the_precise_words_are_all_there():
    text = "社会消费品零售总额498.7亿元"
    tokens = tokenize(text, drop_stopwords=False)
    assert all(token in text for token in tokens)
    assert {"社会", "消费品", "零售总额", "498.7", "亿元"} <= set(tokens)


def test_full_width_digits_and_letters_are_normalised():
    assert tokenize("ＧＤＰ１２３") == ["gdp", "123"]
    assert tokenize("增长７．５％") == ["增长", "7.5%"]
    assert normalise("ＰＭ２．５") == "pm2.5"


def test_hyphenated_words_give_their_parts_as_the_python_jieba_package_does():
    # jieba-rs alone would also keep "long-term" whole; cutting runs of letters first gives the same parts
    assert tokenize("long-term plan") == ["long", "term", "plan"]
    assert tokenize("2003-2007年") == ["2003", "2007", "年"]


def test_latin_letters_are_lower_cased():
    assert tokenize("GDP") == ["gdp"]
    assert tokenize("GDP") == tokenize("gdp") == tokenize("ｇｄｐ")


@pytest.mark.parametrize("word", ["是", "多少", "the", "what", "的", "哪些", "how", "many"])
def test_stopwords_are_dropped_by_default_and_kept_on_request(word):
    assert word in STOPWORDS
    kept = tokenize(word, drop_stopwords=False)
    assert word in kept
    assert word not in tokenize(word)


def test_stopwords_dropped_from_a_question():
    question = "2021年二七区地区生产总值是多少？"
    assert tokenize(question) == ["2021", "年", "二七", "七区", "二七区", "地区", "生产", "总值", "生产总值"]
    all_tokens = tokenize(question, drop_stopwords=False)
    assert "是" in all_tokens and "多少" in all_tokens
    assert tokenize("What is the GDP of Erqi?") == ["gdp", "erqi"]
    assert tokenize("What is the GDP of Erqi?", drop_stopwords=False) == [
        "what", "is", "the", "gdp", "of", "erqi",
    ]


def test_punctuation_never_becomes_a_token():
    text = "，。！？；：、“”‘’（）《》【】…—·,.!?;:()[]{}<>\"'/\\-+=*&^$#@~`|％%"
    assert tokenize(text) == []
    assert tokenize(text, drop_stopwords=False) == []
    tokens = tokenize("（一）全力开展防汛救灾，“双组长”、《政策措施》……完成！", drop_stopwords=False)
    assert tokens
    for token in tokens:
        assert any(ch.isalnum() for ch in token), token


def test_underscores_never_become_tokens():
    assert tokenize("填写____") == ["填写"]
    assert "_" not in tokenize("_GoBack")


def test_empty_and_whitespace_text_give_no_tokens():
    assert tokenize("") == []
    assert tokenize(" \n\t\u3000") == []
