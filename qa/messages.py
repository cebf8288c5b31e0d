"""Every piece of text the web UI shows, in Chinese and in English: one table, looked up by key.

Chinese is the default; a page switches to English by its language switch or by the browser's
preferred languages (``language_from``). A message is a format string: ``text("exported", "en",
count=3, format="csv")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}  # each language by its own name, as language switches show them


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.zh


MESSAGES: dict[str, Message] = {
    # the page
    "page_title": Message("报告问答", "Ask the reports"),
    "heading": Message("## 向报告提问\n先给出答案数字及其时期、地方和出处，再列出原文段落（数字已标出）和可直接粘贴的引用。",
                       "## Ask the reports\nThe answer figure first, with its period, place and source; then the "
                       "source passages with their figures marked and a citation ready to paste."),
    "language": Message("界面语言", "Interface language"),
    "question": Message("问题", "Question"),
    "question_placeholder": Message("2021年地区生产总值是多少？（也可以用英文提问）",
                                    "What was the GDP in 2021? (Chinese questions work too)"),
    "search": Message("搜索", "Search"),
    "examples": Message("示例（点击即搜索）", "Examples (click to search)"),
    "filters": Message("筛选", "Filters"),
    "filter_documents": Message("只看这些报告", "Only these reports"),
    "filter_places": Message("只看这些地方", "Only these places"),
    "filter_years": Message("只看这些年份", "Only these years"),
    "filter_info": Message("不选即全部", "None chosen: all"),
    "filter_years_info": Message("报告的年份，或段落所讲的年份；不选即全部",
                                 "The report's year or the year a passage speaks about; none chosen: all"),
    "advanced": Message("高级选项", "Advanced"),
    "top_k": Message("显示段落数", "Passages to show"),
    "mode": Message("查找方式", "How to match"),
    "mode_info": Message("综合：既看意思也看字词（推荐）", "Both: by meaning and by the words (recommended)"),
    "mode_hybrid": Message("综合", "Both"),
    "mode_dense": Message("按意思", "By meaning"),
    "mode_bm25": Message("按字词", "By the words"),
    "export_heading": Message("导出段落", "Export passages"),
    "export_chosen": Message("要导出的段落（不勾选即全部）", "Passages to export (none ticked: all)"),
    "export_format": Message("格式", "Format"),
    "export_button": Message("导出", "Export"),
    "download": Message("下载", "Download"),
    # the answer card
    "answer": Message("答案", "Answer"),
    "part_missing": Message("未找到", "not found"),
    "answer_in_words": Message("答案在下面第 1 段原文中（其中没有可单独摘出的数字）。",
                               "The answer is in the first passage below (it holds no single figure to pick out)."),
    "not_found": Message("这些报告似乎没有回答这个问题。下面是最接近的段落，仅供参考，其中没有答案数字。",
                         "These reports do not seem to answer this question. The closest passages are shown "
                         "below for reference; none of them gives the answer."),
    "differ": Message("各报告给出的数字不一致，请核对：", "The reports give different figures; check them:"),
    "gloss": Message("即 {gloss}", "= {gloss}"),
    "year": Message("{year}年", "{year}"),
    "period_full": Message("全年", "full year"),
    "stance_result": Message("实际完成", "result"),
    "stance_target": Message("目标", "target"),
    "stance_estimate": Message("预计", "estimate"),
    "confidence": Message("把握 {percent}%", "confidence {percent}%"),
    "likely": Message("可能是", "likely"),
    "to_passage": Message("跳到第 {rank} 段原文并标出这个数字", "Go to passage {rank} and mark this figure there"),
    "copy_citation": Message("复制引用", "Copy citation"),
    "copied": Message("已复制", "Copied"),
    # the passages
    "passages": Message("原文段落", "Source passages"),
    "closest_passages": Message("最接近的段落（未找到答案）", "Closest passages (no answer found)"),
    "score": Message("得分 {score:.4f}", "score {score:.4f}"),
    "found_by_name": Message("未在排序结果中：按指标名称找到", "not ranked: found by the indicator's name"),
    "surrounding": Message("所在章节全文", "Surrounding section"),
    "at_page": Message("第 {n} 页", "p. {n}"),
    "at_paragraph": Message("第 {n} 段", "para. {n}"),
    "at_line": Message("第 {n} 行", "line {n}"),
    "at_table": Message("表 {table} 第 {row} 行", "table {table}, row {row}"),
    "at_picture": Message("图 {picture} 第 {row} 行", "picture {picture}, row {row}"),
    "read_by_ocr": Message("【OCR】识别", "(OCR)"),
    "characters": Message("字符 {start}–{end}", "chars {start}–{end}"),
    # notices (those of qa.answering.NOTICES carry its keys and parameters)
    "missing": Message("找到了相关段落，但其中没有与问题的{condition}相符的数字。最接近的：{closest}",
                       "The passages were found, but no figure in them matches the question's {condition}. "
                       "The closest: {closest}"),
    "uncertain": Message("找到了相关段落，其中有一个与问题相符的数字，但把握不足，未作为答案显示：{closest}",
                         "The passages were found, with a figure that agrees with the question, but it is not likely "
                         "enough to be the answer to show it as one: {closest}"),
    "condition_uncertain": Message("把握", "certainty"),
    "condition_unit": Message("单位", "unit"),
    "condition_measure": Message("口径（总量、增长或比重）", "measure (level, change or share)"),
    "condition_qualifier": Message("限定（人均、规模以上等）", "qualifier (per person, above designated size …)"),
    "condition_place": Message("地区", "place"),
    "condition_period": Message("时期", "period"),
    "condition_stance": Message("实际或目标", "result or target"),
    "condition_indicator": Message("指标", "indicator"),
    "part_not_found": Message("报告中没有找到这一问的答案：{part}", "The reports do not answer this part: {part}"),
    "same_figure": Message("其他报告写作（同一数字，取舍位数不同）：", "Also written as (the same figure, rounded otherwise):"),
    "disagreement": Message("各报告给出的数字不一致：{figures}。", "The reports give different figures: {figures}."),
    "empty_question": Message("请先输入问题，中文或英文均可，例如“2021年地区生产总值是多少？”。",
                              "Type a question first, in Chinese or English — for example "
                              "“2021年地区生产总值是多少？”."),
    "question_not_text": Message("⚠️ 问题必须是文字，而不是 {kind}。", "⚠️ The question must be text, not {kind}."),
    "question_invalid": Message("⚠️ 问题中含有无效字符（不是 UTF-8 文字），无法搜索。",
                                "⚠️ The question holds characters that are not valid text (not UTF-8); it cannot "
                                "be searched."),
    "question_cut": Message("问题超过 {limit} 个字符，已截取前 {limit} 个字符。",
                            "The question was longer than {limit} characters and was cut to that length."),
    "cannot_search": Message("⚠️ 无法搜索这个问题：{reason}", "⚠️ This question cannot be searched: {reason}"),
    "index_missing": Message("⚠️ 无法加载索引：{error}。请检查 seeds 文件夹，然后运行 `qa build`（或重启应用）。",
                             "⚠️ The index could not be loaded: {error}. To fix it: check the seeds folder, then run "
                             "`qa build` (or restart the app)."),
    "busy": Message("⚠️ 服务器正忙于回答其他问题，请几秒钟后再试。",
                    "⚠️ The server is busy answering other questions; try again in a few seconds."),
    "too_slow": Message("⚠️ {seconds:g} 秒内没有得到结果（服务器繁忙），请稍后再试。",
                        "⚠️ No answer within {seconds:g} s (the server is busy); try again in a while."),
    "too_slow_long": Message("⚠️ {seconds:g} 秒内没有得到结果（服务器繁忙，长问题需要更久），请稍后再试。",
                             "⚠️ No answer within {seconds:g} s (the server is busy, and a long question takes "
                             "longer); try again in a while."),
    "index_damaged": Message("⚠️ 索引已损坏，暂时无法搜索：{error}。重启应用时也会自动修复。",
                             "⚠️ The index is damaged and cannot be searched: {error}. Restarting the app also "
                             "repairs it."),
    "search_failed": Message("⚠️ 搜索时出错，详情见服务器日志。",
                             "⚠️ Something went wrong while searching; the details are in the server log."),
    "no_results": Message("没有与这个问题匹配的段落。请换个说法，或放宽筛选条件。",
                          "No passage matches this question. Try other words, or fewer filters."),
    "k_not_whole": Message("⚠️ k 必须是 1 到 {most} 之间的整数，而不是 {value}。",
                           "⚠️ k must be a whole number from 1 to {most}, not {value}."),
    "k_out_of_range": Message("⚠️ k 必须在 1 到 {most} 之间；{value} 超出范围。",
                              "⚠️ k must be from 1 to {most}; {value} is out of range."),
    "mode_unknown": Message("⚠️ mode 必须是 {modes} 之一，而不是 {value}。",
                            "⚠️ mode must be one of {modes}, not {value}."),
    "filter_not_texts": Message("⚠️ {name} 必须是一组文字（最多 {most} 个），而不是 {value}。",
                                "⚠️ {name} must be a list of at most {most} text values, not {value}."),
    "filter_not_years": Message("⚠️ {name} 必须是一组年份（四位整数，最多 {most} 个），而不是 {value}。",
                                "⚠️ {name} must be a list of at most {most} years (whole numbers), not {value}."),
    "filter_unknown": Message("⚠️ {name} 中有索引里没有的值：{value}。",
                              "⚠️ {name} holds values the index does not know: {value}."),
    "language_unknown": Message("⚠️ language 必须是 {languages} 之一，而不是 {value}。",
                                "⚠️ language must be one of {languages}, not {value}."),
    # exports
    "export_search_first": Message("请先搜索，再选择要导出的段落。", "Search first, then choose the passages to export."),
    "export_format_unknown": Message("请选择以下格式之一：{formats}。", "Choose one of the formats {formats}."),
    "export_gone": Message("这些段落已不在索引中；请重新搜索后再导出。",
                           "These passages are no longer in the index; search again, then export."),
    "export_all": Message("没有勾选段落，因此导出了全部段落。", "No passage was ticked, so all of them were exported."),
    "exported": Message("已将 {count} 个段落导出为 {format}。", "Exported {count} passage(s) as {format}."),
    "export_answer": Message("答案数字：", "Answer figure: "),
    "export_card": Message("答案：", "Answer:"),
    "details": Message("详情", "Details"),
    "year_unknown": Message("{date}（年份不详）", "{date} (year not given)"),
    "reviews_year": Message("回顾{year}年", "reviews {year}"),
    "year_not_given": Message("年份不详", "year not given"),
    "place_not_given": Message("地方不详", "place not given"),
    # the columns of a page's CSV export (in English, their keys)
    **{f"column_{key}": Message(zh, key) for key, zh in (
        ("question", "问题"), ("rank", "排名"), ("score", "得分"), ("title", "标题"), ("place", "地方"),
        ("date", "日期"), ("year", "年份"), ("section", "章节"), ("location", "位置"), ("source", "文件"),
        ("start", "起始字符"), ("end", "结束字符"), ("id", "段落编号"), ("answer", "答案数字"), ("quote", "原文"),
        ("citation", "详情"), ("reference", "参考文献"), ("card_figure", "答案"), ("card_period", "答案时期"),
        ("card_stance", "实际或目标"), ("card_place", "答案地方"), ("card_reference", "答案参考文献"))},
}


def normalise(language) -> str:
    """One of ``LANGUAGES``; anything else is the default."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def text(key: str, language: str = DEFAULT_LANGUAGE, **params) -> str:
    """The message ``key`` in ``language``, its ``{placeholders}`` filled from ``params``."""
    message = MESSAGES[key].get(normalise(language))
    return message.format(**params) if params else message


_PREFERENCE = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def language_from(preferences: str | None) -> str:
    """The interface language for a browser's preferred languages (an Accept-Language header, or
    ``navigator.languages`` joined by commas): the first of them the interface speaks, else Chinese."""
    ranked = []
    for order, item in enumerate((preferences or "").split(",")):
        match = _PREFERENCE.fullmatch(item)
        if not match:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if weight <= 0:  # q=0: "not this one"
            continue
        ranked.append((-weight, order, match.group(1).lower()))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE
