"""The report of one import run, for the editor (text) or for scripts (`--format json`)."""

from __future__ import annotations

import json

from gazette.importer.run import LABELS, Outcome

_STATUS_NOTE = {"保留编辑改动": "文件已被编辑过，没有覆盖；确要用导入结果替换，请加 --force"}


def as_json(outcomes: list[Outcome]) -> str:
    return json.dumps([o.as_dict() for o in outcomes], ensure_ascii=False, indent=1)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def as_text(outcomes: list[Outcome]) -> str:
    out = []
    for o in outcomes:
        out.append(f"{o.source} → {o.output or '（无）'}：{o.status}")
        if o.status in _STATUS_NOTE:
            out.append(f"  {_STATUS_NOTE[o.status]}")
        if o.found:
            out.append("  识别：" + "；".join(f"{LABELS.get(k, k)}「{_short(str(v))}」（{w}）" for k, (v, w) in o.found.items()))
        if o.addressees:
            out.append(f"  主送：{_short(o.addressees)}（保留在正文开头）")
        if o.given:
            out.append("  按命令行填写：" + "；".join(f"{LABELS.get(k, k)}「{v}」" for k, v in o.given.items()))
        if o.missing and o.output:
            out.append(f"  缺少：{'、'.join(o.missing)}——原文没有写明，未填写；请在文件中补上，否则 gazette check 会报错")
        if o.data_file:
            out.append(f"  年报统计表已写入 {o.data_file}")
        for where, message in o.problems:
            out.append(f"  问题：{where}：{message}" if where else f"  问题：{message}")
        for where, code, message, text in o.flagged:
            out.append(f"  拦下（未导入）：{where}：{message}。原文：{_short(text, 60)}")
        if o.removed:
            out.append(f"  去除页面杂项 {len(o.removed)} 行：" + "；".join(f"{w.rsplit(':', 1)[-1]}行 {why}「{_short(t, 16)}」"
                                                             for w, why, t in o.removed))
    written = sum(1 for o in outcomes if o.status in ("已写入", "已更新"))
    flagged = sum(len(o.flagged) for o in outcomes)
    out.append(f"共 {len(outcomes)} 篇：写入或更新 {written} 篇，未变 {sum(o.status == '未变' for o in outcomes)} 篇，"
               f"保留编辑改动 {sum(o.status == '保留编辑改动' for o in outcomes)} 篇，未导入 "
               f"{sum(o.status == '未导入' for o in outcomes)} 篇；拦下 {flagged} 处。下一步：核对后运行 gazette check")
    return "\n".join(out)
