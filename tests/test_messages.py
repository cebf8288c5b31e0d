"""The interface's one message table: both languages for every key, and the browser's language."""

import re
import string

import pytest

from qa.messages import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, language_from, text


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def test_every_message_has_chinese_and_english_with_the_same_placeholders():
    for key, message in MESSAGES.items():
        assert message.zh.strip() and message.en.strip(), key
        assert placeholders(message.zh) == placeholders(message.en), key


def test_chinese_messages_are_chinese_and_english_ones_are_not():
    han = re.compile(r"[\u4e00-\u9fff]")
    example_question = re.compile(r"“[^”]*”|\{[^}]*\}")  # a quoted Chinese example question may appear in English
    for key, message in MESSAGES.items():
        assert han.search(message.zh), key
        assert not han.search(example_question.sub("", message.en)), key


def test_chinese_is_the_default_and_placeholders_are_filled():
    assert DEFAULT_LANGUAGE == "zh" and set(LANGUAGES) == {"zh", "en"}
    assert text("search") == "搜索"
    assert text("exported", "en", count=3, format="csv") == "Exported 3 passage(s) as csv."
    assert text("exported", "zh", count=3, format="csv") == "已将 3 个段落导出为 csv。"
    assert text("search", "fr") == "搜索"  # an unknown language falls back to the default


@pytest.mark.parametrize("header, language", [
    ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("fr-FR,fr;q=0.9,en;q=0.8,zh;q=0.7", "en"),  # the first language the interface speaks
    ("de-DE, zh-TW;q=0.5, en;q=0.3", "zh"),
    ("en;q=0.2, zh;q=0.8", "zh"),  # weights, not order, rank the preferences
    ("en;q=0, zh;q=0.1", "zh"),  # q=0 means "not English"
    ("", "zh"), (None, "zh"), ("ja-JP", "zh"), ("*", "zh"), ("en-GB;q=abc, ;;, en", "en"),
])
def test_browser_language_chooses_the_interface_language(header, language):
    assert language_from(header) == language


def test_every_notice_of_the_answering_has_a_message_with_its_parameters():
    from qa.answering import NOTICES

    for key, description in NOTICES.items():
        assert key in MESSAGES, key
        named = set(re.findall(r"\{(\w+)\}", description))
        assert placeholders(MESSAGES[key].zh) == named, key
