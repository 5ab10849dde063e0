"""What the parts of an official document look like in its text (GB/T 9704): an organ's name and
the 主送 line. Shared by the build's typography and by `gazette import`, which recognise them."""

from __future__ import annotations

import re

from gazette.safety.textnorm import fold

ORGAN_END = ("人民政府", "政府", "办公厅", "办公室", "委员会", "管委会", "管理委员会", "办事处", "局", "厅", "部", "署",
             "院", "会", "中心", "委", "办", "所", "站", "处", "室", "集团", "公司")
_SENTENCE = re.compile(r"[。；！？!?;]")
ADDRESSEE_END = ORGAN_END + ("单位", "部门", "机构", "机关", "学校", "企业", "园区", "新区", "景区", "医院", "社区", "街道")


def is_addressee(text: str) -> bool:
    """A 主送 line: names of organs separated by 、 and ，, ending with a colon, and no sentence.
    「经市人民政府常务会议研究决定：」 and 「…现将有关事项通告如下：」 end with a colon but name no organ.
    The build's typography sets it flush left; `gazette import` keeps it as the body's first line."""
    t = text.strip()
    if not t.endswith(("：", ":")) or len(t) > 300 or _SENTENCE.search(t) or re.search(r'[《》“”"]', t):
        return False
    # The last name, without its parenthesised parts (各县（市、区）财政局).
    last = re.split(r"[，,、]", re.sub(r"[（(][^（）()]*[）)]", "", t[:-1]))[-1].strip()
    return 2 <= len(last) <= 40 and fold(last).endswith(ADDRESSEE_END)


def is_organ(text: str) -> bool:
    t = text.strip()
    return 2 <= len(t) <= 40 and not re.search(r"[。，,：:；;！？!?《》“”\d]", t) and fold(t).endswith(ORGAN_END)
