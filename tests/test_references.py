"""References ready to paste: GB/T 7714-2015 style in Chinese with full-width punctuation, an English form,
and the file and offsets on a details line of their own."""

from qa.chunking import Passage
from qa.citations import cite, full_width, issuing_body
from qa.metadata import GOVERNMENT_WORK_REPORT, DocumentInfo
from qa.places import english_name

PLAN = "二七区2021年国民经济和社会发展计划执行情况与2022年计划（草案）"


def plan_on_page_two():
    passage = Passage(id="plan.pdf:250-700", source="plan.pdf", title=PLAN, section=["一、2021年国民经济和社会发展计划执行情况"],
                      start=250, end=700, text="2021年，地区生产总值达到784.23亿元。", unit="page", location=2)
    return cite(passage, {"plan.pdf": DocumentInfo(title=PLAN, place="二七区", province="河南省", year=2022)})


def shandong_report_in_a_section():
    title = "2025年山东省政府工作报告"
    passage = Passage(id="sd.docx:10-90", source="provinces/sd.docx", title=title,
                      section=["一、2024年工作回顾", "(一)经济运行"], start=10, end=90,
                      text="地区生产总值9.86万亿元。", unit="paragraph", location=8)
    info = DocumentInfo(title=title, place="山东省", province="山东省", date="2025-01-20", year=2025,
                        kind=GOVERNMENT_WORK_REPORT)
    return cite(passage, {"provinces/sd.docx": info})


def test_chinese_reference_names_issuer_title_type_year_and_page():
    assert plan_on_page_two().reference_zh == f"二七区人民政府．{PLAN}［R］．2022：2．"


def test_english_reference_names_the_issuer_in_english():
    assert plan_on_page_two().reference_en == f"People's Government of Erqi District. {PLAN} [R]. 2022: 2."


def test_without_a_page_the_reference_gives_the_date_and_section_with_full_width_punctuation():
    citation = shandong_report_in_a_section()
    assert citation.reference_zh == "山东省人民政府．2025年山东省政府工作报告［R］．2025-01-20：一、2024年工作回顾／（一）经济运行．"
    assert citation.reference_en == ("People's Government of Shandong Province. 2025年山东省政府工作报告 [R]. 2025-01-20: "
                                     "一、2024年工作回顾 › (一)经济运行.")


def test_file_name_and_offsets_go_to_the_details_line_only():
    citation = shandong_report_in_a_section()
    assert "sd.docx" not in citation.reference_zh and "sd.docx" not in citation.reference_en
    assert citation.details == "provinces/sd.docx · para. 8 · chars 10–90"


def test_a_delivery_day_without_a_year_takes_the_report_year():
    passage = Passage(id="a.txt:0-9", source="a.txt", title="拉高标杆 狠抓落实 奋力突破", section=[], start=0, end=9,
                      text="全年地区生产总值达到784.2亿元")
    citation = cite(passage, {"a.txt": DocumentInfo(title=passage.title, year=2022, date_text="2月21日")})
    assert citation.reference_zh == "拉高标杆 狠抓落实 奋力突破［Z］．2022-02-21．"  # no known issuer, not a report


def test_the_nation_issues_through_the_state_council():
    assert issuing_body("全国") == "国务院"
    assert issuing_body("全国", english=True) == "State Council of the People's Republic of China"
    assert issuing_body("") == ""


def test_half_width_punctuation_becomes_full_width_but_numbers_keep_theirs():
    assert full_width("二七区十六届政府第二次全体(扩大)会议召开: 1,200个项目; 7.5%") == \
        "二七区十六届政府第二次全体（扩大）会议召开： 1,200个项目； 7.5%"


def test_places_have_english_names():
    assert english_name("广西壮族自治区") == "Guangxi Zhuang Autonomous Region"
    assert english_name("北京市") == "Beijing Municipality"
    assert english_name("金水区") == "Jinshui District"


def test_the_existing_reference_line_is_unchanged():
    assert plan_on_page_two().reference == f"《{PLAN}》 (二七区, 2022), 一、2021年国民经济和社会发展计划执行情况, p. 2, " \
                                           "plan.pdf, chars 250–700"
