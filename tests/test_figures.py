"""Tests for qa.figures. Sentences come from seeds/*.txt (with the ** bold markers removed).

Units the seeds never use (个百分点, 吨, 立方米, 公顷, 千米, 小时, 第X名, 首位, full-width
digits) are tested on seed sentences with only the figure swapped; those are marked "adapted".
"""

from pathlib import Path

import pytest

from qa.figures import KINDS, Figure, extract_figures, figure_spans

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def triples(sentence: str) -> list[tuple[str, str, str]]:
    figures = extract_figures(sentence)
    for f in figures:
        assert f.text == sentence[f.start : f.end]
    return [(f.text, f.kind, f.unit) for f in figures]


def test_money_with_magnitude_is_one_figure():
    sentence = "全年地区生产总值达到784.2亿元,社会消费品零售总额498.7亿元。"
    assert triples(sentence) == [
        ("784.2亿元", "money", "亿元"),
        ("498.7亿元", "money", "亿元"),
    ]


def test_money_in_foreign_currency_and_ten_thousands():
    assert triples("引进域外境内资金141.9亿元,实际利用外资1.2亿美元,外贸进出口完成6.6亿元,同比增长15.8%。") == [
        ("141.9亿元", "money", "亿元"),
        ("1.2亿美元", "money", "亿美元"),
        ("6.6亿元", "money", "亿元"),
        ("15.8%", "percent", "%"),
    ]
    assert triples("为15009位80岁以上老人发放高龄津贴1023.62万元。") == [
        ("15009位", "count", "位"),
        ("80岁", "duration", "岁"),
        ("1023.62万元", "money", "万元"),
    ]


def test_decimal_point_never_splits_a_figure():
    assert triples("上半年,全区地区生产总值完成340.64亿元;") == [("340.64亿元", "money", "亿元")]
    assert triples("二七区累计转运集中隔离1.04万人") == [("1.04万人", "count", "万人")]
    assert triples("合同成交额共计139505.67万元。") == [("139505.67万元", "money", "万元")]
    assert triples("特殊环节时限压缩875.5天。") == [("875.5天", "duration", "天")]


def test_enumerated_percentages_are_separate_figures():
    sentence = "固定资产投资、规模以上工业增加值同比增长7.4%、2.3%;一般公共预算收入完成29.9亿元,同比增长0.82%;"
    assert triples(sentence) == [
        ("7.4%", "percent", "%"),
        ("2.3%", "percent", "%"),
        ("29.9亿元", "money", "亿元"),
        ("0.82%", "percent", "%"),
    ]


def test_percentage_points_and_full_width_percent_are_percent():
    # adapted from "同比增长0.82%"
    assert triples("同比增长0.82个百分点") == [("0.82个百分点", "percent", "个百分点")]
    assert triples("覆盖92％的城市社区") == [("92％", "percent", "％")]


def test_words_after_a_figure_are_not_part_of_it():
    assert triples("民生类支出占财政支出的70%以上。") == [("70%", "percent", "%")]
    assert triples("地区生产总值增长7.5%左右，规模以上工业增加值增长9%，") == [
        ("7.5%", "percent", "%"),
        ("9%", "percent", "%"),
    ]
    assert triples("完成窨井盖治理提升5000座以上。") == [("5000座", "count", "座")]


def test_leading_approximation_words_are_not_part_of_figure():
    assert triples("高品质运作近400万平方米的金水河生态修复工程") == [("400万平方米", "area", "万平方米")]
    assert triples("新增绿化覆盖面积约2569万平方米;") == [("2569万平方米", "area", "万平方米")]
    assert triples("总出让金近100亿元。") == [("100亿元", "money", "亿元")]
    assert triples("力争每年签约入驻投资超1亿元的项目不低于2个。") == [
        ("1亿元", "money", "亿元"),
        ("2个", "count", "个"),
    ]


def test_trailing_yu_stays_inside_the_figure_and_in_the_unit():
    assert triples("二七区累计转运集中隔离1.04万人、居家隔离6.8万余人,向居民发出5封“温暖家书”") == [
        ("1.04万人", "count", "万人"),
        ("6.8万余人", "count", "万余人"),
        ("5封", "count", "封"),
    ]
    assert triples("公开选任140余名高素质、专业化、年轻化社区专职工作者") == [("140余名", "count", "余名")]
    assert triples("服务群众90万余人次。") == [("90万余人次", "count", "万余人次")]
    assert triples("全面启动400多万平方安置房建设") == [("400多万平方", "area", "多万平方")]


@pytest.mark.parametrize(
    "sentence, text, unit",
    [
        ("311个修复重建项目", "311个", "个"),
        ("建成街道养老服务中心、社区日间照料中心115处", "115处", "处"),
        ("新建、改扩建14所中小学", "14所", "所"),
        ("芦庄路、向荣路等22条道路建成通车", "22条", "条"),
        ("省市重点项目涉及的96项联审联批任务全部完成", "96项", "项"),
        ("累计发放各类救助资金2.98亿元,惠及1.3万人次。", "1.3万人次", "万人次"),
        ("共计接种新冠疫苗2143366剂次。", "2143366剂次", "剂次"),
        ("依托华润大厦、嵩山大厦等84栋商务楼宇", "84栋", "栋"),
        ("全年出让土地31宗", "31宗", "宗"),
        ("新增市场主体3.75万户", "3.75万户", "万户"),
        ("公布9部咨询热线", "9部", "部"),
        ("加大名扬遮阳节能产业基地建设、花都年产15万套高端智能箱柜建设", "15万套", "万套"),
        ("累计召开企业座谈会268次", "268次", "次"),
        ("共开展公益演出、公益培训153场（次）", "153场", "场"),
        ("累计开展微服务4530次、解决“急难愁盼”问题3827件", "4530次", "次"),
        ("全区近1.2万党员、社会志愿者及3283名机关干部", "3283名", "名"),
        ("帮扶企业3078家", "3078家", "家"),
    ],
)
def test_number_with_measure_word_is_a_count(sentence, text, unit):
    counts = [(t, u) for t, k, u in triples(sentence) if k == "count"]
    assert (text, unit) in counts


def test_area_units():
    assert triples("建成安置房211万平方米,新改造及续建老旧小区87个") == [
        ("211万平方米", "area", "万平方米"),
        ("87个", "count", "个"),
    ]
    assert triples("50平方公里的凤湖生态休闲区") == [("50平方公里", "area", "平方公里")]
    assert triples("全年出让土地31宗、1778亩") == [("31宗", "count", "宗"), ("1778亩", "area", "亩")]
    # adapted from "1778亩"
    assert triples("全年出让土地31宗、118.6公顷") == [("31宗", "count", "宗"), ("118.6公顷", "area", "公顷")]


def test_length_units():
    assert triples("总长度6.7公里的南水北调生态文化公园") == [("6.7公里", "length", "公里")]
    assert triples("新增道路通车里程55.65公里") == [("55.65公里", "length", "公里")]
    # adapted: same sentence in 千米 (千 is not taken as a magnitude of 米 in the kind)
    assert triples("新增道路通车里程55.65千米") == [("55.65千米", "length", "千米")]


def test_weight_and_volume_units():
    # adapted from "完成道路中小修3万平方米"
    assert triples("完成道路中小修3万吨") == [("3万吨", "weight", "万吨")]
    assert triples("新增蓄水能力3万立方米") == [("3万立方米", "volume", "万立方米")]


def test_concentration_unit_and_pm_identifiers():
    sentence = "截至12月底，PM2.5年均浓度42微克/立方米，PM10年均浓度74微克/立方米，NO2年均浓度35微克/立方米，优良天数241天"
    assert triples(sentence) == [
        ("12月", "date", "月"),
        ("42微克/立方米", "concentration", "微克/立方米"),
        ("74微克/立方米", "concentration", "微克/立方米"),
        ("35微克/立方米", "concentration", "微克/立方米"),
        ("241天", "duration", "天"),
    ]


def test_multiple_and_base_year():
    assert triples("2020年,全区预计实现地区生产总值773亿元,是2015年的1.67倍。") == [
        ("2020年", "year", "年"),
        ("773亿元", "money", "亿元"),
        ("2015年", "year", "年"),
        ("1.67倍", "multiple", "倍"),
    ]


def test_year_count_is_a_duration_not_a_year():
    assert triples("连续12年被评为郑州市未成年人思想道德建设先进区") == [("12年", "duration", "年")]
    assert triples("连续5年荣获全市大气污染防治优秀单位") == [("5年", "duration", "年")]
    assert triples("被认定为2021年度河南省“专精特新”中小企业") == [("2021年", "year", "年")]


def test_minutes_and_days_are_durations():
    assert triples("打造城市社区15分钟健身圈。") == [("15分钟", "duration", "分钟")]
    assert triples("实现“10分钟政务服务圈”全覆盖。") == [("10分钟", "duration", "分钟")]
    assert triples("截至目前优良天数达243天") == [("243天", "duration", "天")]
    # adapted from "15分钟健身圈"
    assert triples("承诺办结时限压缩至2小时") == [("2小时", "duration", "小时")]


def test_month_day_dates():
    assert triples("2月21日,中共二七区委十二届二次全体会议暨区委经济工作会议召开") == [("2月21日", "date", "日")]
    assert triples("8月6日,二七区十六届政府第二次全体(扩大)会议召开。") == [
        ("8月6日", "date", "日"),
        ("第二", "rank", ""),
    ]


def test_middle_dot_date_and_bare_month():
    sentence = "从上半年经济强势复苏，到7·20特大暴雨灾害、8月德尔塔病毒疫情大封控"
    assert triples(sentence) == [("7·20", "date", ""), ("8月", "date", "月")]


def test_month_ranges_are_one_date():
    assert triples("1~11月完成投资253.4亿元;") == [
        ("1~11月", "date", "月"),
        ("253.4亿元", "money", "亿元"),
    ]
    assert triples("今年1-5月尖岗水库国控断面水质持续达标Ⅰ类，6-12月份为II类") == [
        ("1-5月", "date", "月"),
        ("6-12月份", "date", "月份"),
    ]


def test_full_date_wins_over_its_year():
    assert triples("截止到2021年12月31日，共计接种新冠疫苗2143366剂次。") == [
        ("2021年12月31日", "date", "日"),
        ("2143366剂次", "count", "剂次"),
    ]


def test_ranks_with_chinese_and_arabic_numerals():
    assert triples("9项工作,排名市内五区第一;") == [("9项", "count", "项"), ("第一", "rank", "")]
    assert triples("国庆假期上榜“全国热门商圈热度”第7位,") == [("第7位", "rank", "位")]
    assert triples("德化步行街入选第二批全国步行街改造提升试点") == [("第二", "rank", "")]
    # adapted from "第7位"
    assert triples("国庆假期上榜“全国热门商圈热度”第3名、全省首位") == [
        ("第3名", "rank", "名"),
        ("首位", "rank", "位"),
    ]


def test_rank_idioms_are_not_figures():
    assert triples("第一时间成立领导小组、制订防控方案") == []
    assert triples("880个疫情防控卡点第一线") == [("880个", "count", "个")]
    assert triples("坚持把环境作为第一品牌") == []


def test_slogans_with_chinese_numerals_are_not_figures():
    assert triples("奋力推动“三个二七”建设成高原、起高峰") == []
    assert triples("迅速出台实施惠企暖企“十大政策”、助民助企“双八条”") == []
    assert triples("全面开展工作有标杆、落实有标准、突破有标志“三标”活动") == []
    assert triples("获得全省“十三五”污染防治攻坚突出集体") == []


def test_bare_number_without_unit_is_a_number():
    assert triples("上半年空气质量综合指数5.36,市内六区排名第一。") == [
        ("5.36", "number", ""),
        ("第一", "rank", ""),
    ]
    assert triples("建设安置房1279万平方米,回迁858万平方米,惠及近12万群众。") == [
        ("1279万平方米", "area", "万平方米"),
        ("858万平方米", "area", "万平方米"),
        ("12万", "number", "万"),
    ]
    assert triples("完成投资212.1亿;") == [("212.1亿", "number", "亿")]
    assert triples("覆盖10多万群众。") == [("10多万", "number", "多万")]


def test_digits_inside_identifiers_are_skipped():
    assert triples("PM10、PM2.5等污染指标持续下降") == []
    assert triples("樱桃沟景区获评国家4A级旅游景区") == []
    assert triples("X014王红线、X012尖樱线等农村道路建成通车") == []
    assert triples("创新“1+N”干部激励机制") == []
    assert triples("谋划产业发展“1+1+12”推进体系") == []


def test_quoted_labels_list_markers_and_house_numbers_are_skipped():
    assert triples("通过“153”工作举措,大抓项目") == []
    assert triples("1 千方百计 把“保”的底线筑牢") == []
    assert triples("加快推进桃园路47号、祥云里小院") == []


def test_full_width_digits_keep_original_offsets():
    # adapted: seed sentences retyped in full-width digits
    sentence = "同比增长７．４％、２．３％;完成投资５．１４亿元"
    figures = extract_figures(sentence)
    assert [(f.text, f.kind, f.unit) for f in figures] == [
        ("７．４％", "percent", "％"),
        ("２．３％", "percent", "％"),
        ("５．１４亿元", "money", "亿元"),
    ]
    assert [f.start for f in figures] == [4, 9, sentence.index("５．１４")]
    assert all(f.text == sentence[f.start : f.end] for f in figures)
    assert triples("到７·２０特大暴雨灾害") == [("７·２０", "date", "")]


def test_thousands_separator_and_numeric_range():
    # adapted from "139505.67万元" and "连续5年"
    assert triples("合同成交额共计139,505.67万元。") == [("139,505.67万元", "money", "万元")]
    assert triples("连续3-5年荣获全市大气污染防治优秀单位") == [("3-5年", "duration", "年")]


def test_longest_match_wins():
    figures = extract_figures("第7位")
    assert figures == [Figure(0, 3, "第7位", "rank", "位")]


def test_figure_spans_matches_extract_figures():
    sentence = "新增城镇就业2.04万人，新增高技能人才1.69万人，提供就业岗位3.6万个。"
    assert figure_spans(sentence) == [(f.start, f.end) for f in extract_figures(sentence)]
    assert [sentence[s:e] for s, e in figure_spans(sentence)] == ["2.04万人", "1.69万人", "3.6万个"]


def test_every_seed_file_keeps_the_invariants_and_known_figures():
    assert SEEDS, "no seed files found"
    found: set[str] = set()
    for path in SEEDS:
        text = path.read_text(encoding="utf-8").replace("**", "")
        figures = extract_figures(text)
        assert figures, path.name
        starts = [f.start for f in figures]
        assert starts == sorted(starts), path.name
        for previous, current in zip(figures, figures[1:]):
            assert previous.end <= current.start, (path.name, previous, current)
        for f in figures:
            assert f.start < f.end
            assert f.text == text[f.start : f.end]
            assert f.kind in KINDS
            assert isinstance(f.unit, str)
        assert figure_spans(text) == [(f.start, f.end) for f in figures]
        found.update(f.text for f in figures)
    for expected in ("784.2亿元", "1.04万人", "340.64亿元", "7.4%", "2.3%", "1.67倍", "7·20", "6.8万余人"):
        assert expected in found
    for not_a_figure in ("十三五", "三个", "153", "2.5", "47", "014", "第一线"):
        assert not_a_figure not in found


def test_incidents_and_transactions_are_counted():
    sentence = "完成并购重组397起、1767.8亿元，发放创业担保贷款1.2万笔。"  # adapted
    assert triples(sentence) == [("397起", "count", "起"), ("1767.8亿元", "money", "亿元"), ("1.2万笔", "count", "万笔")]
    assert triples("自2021年1月1日起施行。") == [("2021年1月1日", "date", "日")]


def test_power_and_electricity_are_figures_with_their_units():
    assert [(f.text, f.kind) for f in extract_figures("新能源装机1.35亿千瓦，外送电量3150亿度，装机5000千瓦")] == \
        [("1.35亿千瓦", "energy"), ("3150亿度", "energy"), ("5000千瓦", "energy")]
    assert [(f.text, f.kind) for f in extract_figures("人均增收5千元")] == [("5千元", "money")]


def test_containers_trains_medals_and_satellites_are_counted():
    sentence = "集装箱吞吐量2329万标准箱，开行中欧班列909列，获得金牌26枚，组网卫星144颗，新增供热面积25万平米。"
    assert triples(sentence) == [("2329万标准箱", "count", "万标准箱"), ("909列", "count", "列"),
                                 ("26枚", "count", "枚"), ("144颗", "count", "颗"), ("25万平米", "area", "万平米")]
    from qa.gloss import english_gloss

    assert english_gloss("2329万标准箱") == "23.29 million TEU"


def test_a_minus_sign_after_a_word_makes_a_rate_negative_and_a_dash_between_numbers_stays_a_range():
    assert triples("全年自然增长率-0.57‰，利润增长-3.5%。") == [("-0.57‰", "percent", "‰"), ("-3.5%", "percent", "%")]
    assert triples("增长5-6%") == [("5-6%", "percent", "%")]
    from qa.facts import normalised_value

    assert normalised_value("-0.57‰")[0] < 0 and normalised_value("5-6%")[0] > 0


def test_fang_after_a_number_is_cubic_metres_unless_it_opens_a_word():
    from qa.figures import extract_figures

    assert [(f.text, f.kind) for f in extract_figures("共补水6600万方。")] == [("6600万方", "volume")]
    assert [(f.text, f.kind) for f in extract_figures("天然气产量22亿方")] == [("22亿方", "volume")]
    assert all(f.kind != "volume" for f in extract_figures("从3个方面、推进2方案"))
