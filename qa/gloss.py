"""English glosses of Chinese magnitudes: 784.2亿元 → "78.42 billion yuan".

Chinese counts in 万 (ten thousand), 亿 (hundred million) and 万亿 (trillion); an English
reader counts in thousands, millions and billions. A gloss restates the figure's value in
those, with its unit in English where the unit has a usual English name (元 → yuan, 人 →
people, 平方米 → square metres) and as written otherwise. Figures without a magnitude
(7.5%, 311个, 2021年) need no gloss.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .figures import Figure

MAGNITUDES = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "亿": 10**8, "千万": 10**7, "百万": 10**6,
              "万": 10**4, "千": 10**3, "百": 10**2}
# units one figure may be written in and another figure of the same thing in: the factor to the first's base
# (亿斤 and 万吨 of grain; 公斤 and 吨)
UNIT_CONVERSIONS = {("斤", "吨"): 0.0005, ("公斤", "吨"): 0.001, ("千克", "吨"): 0.001,
                    ("吨", "斤"): 2000.0, ("吨", "公斤"): 1000.0, ("吨", "千克"): 1000.0,
                    ("公斤", "斤"): 2.0, ("千克", "斤"): 2.0, ("斤", "公斤"): 0.5, ("斤", "千克"): 0.5,
                    ("公顷", "亩"): 15.0, ("亩", "公顷"): 1 / 15, ("平方千米", "平方公里"): 1.0,
                    ("平方公里", "平方千米"): 1.0, ("千米", "公里"): 1.0, ("公里", "千米"): 1.0,
                    ("度", "千瓦时"): 1.0, ("千瓦时", "度"): 1.0, ("兆瓦", "千瓦"): 1000.0, ("千瓦", "兆瓦"): 0.001,
                    ("平米", "平方米"): 1.0, ("平方米", "平米"): 1.0, ("标箱", "标准箱"): 1.0, ("标准箱", "标箱"): 1.0,
                    # a thing counted by 家 or 户 (市场主体), people by 人 or 名
                    ("家", "户"): 1.0, ("户", "家"): 1.0, ("名", "人"): 1.0, ("人", "名"): 1.0}
ENGLISH_UNITS = {
    "元": "yuan", "人民币": "yuan", "美元": "US dollars", "欧元": "euros", "港元": "Hong Kong dollars",
    "日元": "yen", "英镑": "pounds sterling",
    "人": "people", "人次": "person-times", "户": "households", "名": "people", "位": "people",
    "家": "enterprises", "所": "institutions", "辆": "vehicles", "套": "units", "吨": "tonnes", "公斤": "kg",
    "千克": "kg", "斤": "jin", "平方米": "square metres", "平方": "square metres", "平方公里": "square kilometres",
    "平方千米": "square kilometres", "公顷": "hectares", "亩": "mu", "公里": "km", "千米": "km", "米": "metres",
    "立方米": "cubic metres", "立方": "cubic metres", "千瓦": "kW", "千瓦时": "kWh", "度": "kWh", "兆瓦": "MW", "吉瓦": "GW", "标准箱": "TEU", "标箱": "TEU", "平米": "square metres",
    "个": "", "项": "", "件": "", "次": "times",
}
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_FIGURE = re.compile(rf"(?P<low>{_NUMBER})(?:[-~～－—–](?P<high>{_NUMBER}))?(?P<more>[余多])?"
                     rf"(?P<magnitude>{'|'.join(MAGNITUDES)})(?P<more_after>[余多])?(?P<unit>.*)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _amount(value: Decimal) -> str:
    for scale, word in _SCALES:
        if value >= scale:
            return f"{_plain(value / scale)} {word}"
    return f"{_plain(value, grouped=True)}"


def _plain(value: Decimal, grouped: bool = False) -> str:
    text = f"{value.normalize():f}"
    whole, _, fraction = text.partition(".")
    if grouped:
        whole = f"{int(whole):,}"
    return whole + (f".{fraction}" if fraction else "")


def english_gloss(figure: Figure | str) -> str | None:
    """The figure restated in English magnitudes, or None when it has no Chinese magnitude to restate."""
    text = (figure.text if isinstance(figure, Figure) else figure).translate(_FULL_WIDTH).replace(",", "")
    match = _FIGURE.fullmatch(text.strip())
    if match is None:
        return None
    factor = MAGNITUDES[match["magnitude"]]
    values = [Decimal(match["low"]) * factor] + ([Decimal(match["high"]) * factor] if match["high"] else [])
    amount = "–".join(_amount(value) for value in values)
    unit = match["unit"]
    english = ENGLISH_UNITS.get(unit, unit)
    more = "more than " if (match["more"] or match["more_after"]) else ""
    return f"{more}{amount}" + (f" {english}" if english else "")
