"""A valid site of N items spread over years and issues, for benchmarks and search tests.

A developer tool, not part of the installed package. Run from the repository root:

    python tools/corpus.py --items 2000 --out /tmp/corpus

Text is drawn from the plain-text files (*.txt) of tools/corpus-text/ (fictional notices
of the repository's own, in the style of a city government), or from another
folder with `--text-from`. Paragraphs the content checks would refuse (personal
data, spam, links to foreign domains) are left out: the corpus must pass
`gazette check`. The same arguments always give the same files.

`--traditional-share 0.3` writes that share of the items (title, summary and body) in
traditional characters, converted by OpenCC's phrase-level `s2t` (the `opencc` package of
the dev extra), for the search evaluation of a site mixing both scripts; the 发布机构 and
文号 stay as written. Without it the corpus is the same as before the option existed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass

from gazette.safety import rules as safety

TEXT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus-text")

ISSUERS = [
    ("江临市人民政府", "江府发"), ("江临市人民政府办公室", "江府办发"), ("江临市发展和改革委员会", "江发改"),
    ("江临市财政局", "江财"), ("江临市教育局", "江教"), ("江临市卫生健康委员会", "江卫健"),
    ("江临市自然资源和规划局", "江自然资规"), ("江临市市场监督管理局", "江市监"), ("江临市司法局", "江司"),
    ("江临市民政局", "江民"), ("江临市住房和城乡建设局", "江建"), ("江临市生态环境局", "江环"),
    ("江临市交通运输局", "江交"), ("江临市农业农村局", "江农"), ("江临市人力资源和社会保障局", "江人社"),
    ("江临市应急管理局", "江应急"), ("江临市医疗保障局", "江医保"), ("江临市审计局", "江审"),
]
GENRES = ["通知", "意见", "办法", "决定", "通告", "公告", "批复", "方案", "规定", "报告"]
SUBJECTS = ["综合政务", "城乡建设、环境保护", "卫生、体育", "教育", "财政、金融、审计", "市场监管、安全生产监管",
            "国土资源、能源", "劳动、人事、监察", "农业、林业、水利", "民政、扶贫、救灾", "交通", "公安、安全、司法"]
TOPICS = ["政府信息公开", "行政复议", "征地拆迁补偿", "食品药品安全", "养老服务", "义务教育招生", "城市管理",
          "安全生产", "营商环境", "农村人居环境", "医疗保障", "防汛抗旱", "政务公开", "公共资源交易", "生态环境保护",
          "住房保障", "就业创业", "社会救助", "消防安全", "交通运输", "科技创新", "文化旅游", "统计调查", "审计整改"]
COLUMNS = ["市政府文件", "市政府办公室文件", "部门文件", "人事任免"]
DISCLOSURE_COLUMNS = ["statutory/normative", "statutory/plans", "statutory/finance", "rules", "interpretation"]
FALLBACK = (
    "为进一步做好相关工作，根据有关法律法规和上级部署，结合本市实际，现就有关事项通知如下。"
    "各地各部门要提高思想认识，加强组织领导，明确责任分工，确保各项任务落到实处。"
    "要坚持以人民为中心的发展思想，完善工作机制，强化督促检查，及时公开工作进展情况。"
    "对工作中遇到的新情况新问题，要认真研究，及时报告。本通知自印发之日起施行。"
)


@dataclass
class Corpus:
    root: str
    docs: str
    items: int
    issues: int
    years: list[int]


def _paragraphs(text_dir: str | None) -> list[str]:
    paras: list[str] = []
    text_dir = text_dir or TEXT_DIR
    if os.path.isdir(text_dir):
        for name in sorted(os.listdir(text_dir)):
            path = os.path.join(text_dir, name)
            if not name.endswith(".txt") or not os.path.isfile(path):
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
            except OSError:
                continue
            for line in text.splitlines():
                line = re.sub(r"\s+", "", line.replace("|", ""))
                line = re.sub(r"[#*_`<>\[\]{}!\\]", "", line)
                # Chinese prose only: skip page chrome, numbers and URL fragments.
                han = len(re.findall(r"[\u4e00-\u9fff]", line))
                if len(line) >= 30 and han / len(line) > 0.6 and not re.search(r"https?:|www\.|\.com|\d{7,}", line):
                    paras.append(line)
    if not paras:
        paras = [s + "。" for s in FALLBACK.split("。") if s]
    return paras


_CHECKER: safety.Checker | None = None


def paragraph_is_clean(text: str) -> bool:
    """True if a paragraph of plain text passes the package's text checks with the default
    options: no personal numbers or spam terms (`Checker.text_problems`), and no URL written
    in it that points to a domain outside the default allow-list."""
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = safety.Checker("", "")
    if _CHECKER.text_problems(text):
        return False
    return not any(message for _line, _url, _host, message in _CHECKER.written_urls(text))


def _safe(paras: list[str]) -> list[str]:
    """Drop paragraphs the content checks would refuse: a corpus must be valid."""
    return [p for p in paras if paragraph_is_clean(p)] or [s + "。" for s in FALLBACK.split("。") if s]


def generate(out: str, items: int, text_from: str | None = None, seed: int = 1, site_url: str = "https://gk.example.gov.cn/",
             traditional_share: float = 0.0) -> Corpus:
    rng = random.Random(seed)
    # Which items are traditional: a generator of its own, so that the other choices stay as they were.
    script_rng = random.Random(f"traditional-{seed}")
    to_traditional = None
    if traditional_share > 0:
        import opencc

        to_traditional = opencc.OpenCC("s2t").convert
    paras = _safe(_paragraphs(text_from))
    if os.path.exists(out):
        shutil.rmtree(out)
    docs = os.path.join(out, "docs")
    os.makedirs(docs)
    n_disclosure = items // 10
    n_gazette = items - n_disclosure
    n_years = min(25, max(3, n_gazette // 2000 + 3))
    n_issues = max(1, min(n_years * 12, max(1, n_gazette // 5)))
    per_year = min(12, max(1, -(-n_issues // n_years)))  # fill every year, at most monthly
    last_year = 2025
    years = list(range(last_year - (n_issues - 1) // per_year, last_year + 1))
    issue_keys = []
    serial = 100
    for k in range(n_issues):
        year = years[k // per_year]
        number = k % per_year + 1
        serial += 1
        issue_keys.append((year, number))
        folder = os.path.join(docs, "gazette", str(year), f"{number:02d}")
        os.makedirs(folder)
        with open(os.path.join(folder, "index.md"), "w", encoding="utf-8") as fh:
            fh.write(f"---\npublished: {year}-{number:02d}-25\nserial: {serial}\ncolumns: [{', '.join(COLUMNS)}]\n---\n")
    seq: dict[tuple[str, int], int] = {}

    def body(topic: str) -> str:
        start = rng.randrange(len(paras))
        chosen = [paras[(start + i) % len(paras)] for i in range(rng.randint(4, 9))]
        parts = [f"为做好{topic}工作，现将有关事项通知如下。", "", "## 一、总体要求", "", chosen[0], "", "## 二、主要任务", ""]
        parts += [f"{i}. {p}" for i, p in enumerate(chosen[1:-1], 1)]
        parts += ["", "## 三、工作要求", "", chosen[-1], ""]
        return "\n".join(parts)

    def front(year: int, month: int, day: int, with_column: str | None) -> tuple[str, str]:
        issuer, agency = ISSUERS[rng.randrange(len(ISSUERS))]
        genre = GENRES[rng.randrange(len(GENRES))]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        n = seq[(agency, year)] = seq.get((agency, year), 0) + 1
        doc = f"{agency}〔{year}〕{n}号"
        slug = f"{_initials(agency)}{ISSUERS.index((issuer, agency))}-{year}-{n}"
        title = f"{issuer}关于进一步加强{topic}工作的{genre}"
        summary = f"本{genre}就{topic}工作作出部署，明确了目标任务和责任分工。"
        convert = (lambda t: t) if to_traditional is None or script_rng.random() >= traditional_share else to_traditional
        title, summary = convert(title), convert(summary)
        lines = [
            "---", f"title: {title}", f"issuer: {issuer}", f"published: {year}-{month:02d}-{day:02d}",
            f"written: {year}-{month:02d}-{max(1, day - 2):02d}", f"doc_number: {doc}",
            f"index_no: 11330800MB0000000X/{year}-{n:05d}-{_initials(agency)}",
            f"subject: {SUBJECTS[rng.randrange(len(SUBJECTS))]}", f"genre: {genre}",
            f"summary: {summary}",
        ]
        if with_column:
            lines.append(f"column: {with_column}")
        if genre in ("办法", "规定", "意见"):
            lines.append("validity: 有效")
        lines.append("---")
        return slug, "\n".join(lines) + "\n\n" + convert(body(topic))

    for k in range(n_gazette):
        year, number = issue_keys[k % n_issues]
        column = COLUMNS[rng.randrange(3)]
        slug, text = front(year, number, rng.randint(3, 22), column)
        with open(os.path.join(docs, "gazette", str(year), f"{number:02d}", slug + ".md"), "w", encoding="utf-8") as fh:
            fh.write(text)
    for k in range(n_disclosure):
        col = DISCLOSURE_COLUMNS[k % len(DISCLOSURE_COLUMNS)]
        year = years[rng.randrange(len(years))]
        slug, text = front(year, rng.randint(1, 12), rng.randint(3, 28), None)
        folder = os.path.join(docs, "disclosure", col)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, slug + ".md"), "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(os.path.join(docs, "index.md"), "w", encoding="utf-8") as fh:
        fh.write("---\ntitle: 首页\n---\n\n# 江临市政府公报与政务公开（生成的测试站点）\n\n"
                 "- [政府公报](gazette/index.md)\n- [政府信息公开](disclosure/index.md)\n")
    with open(os.path.join(out, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(CORPUS_CONFIG.format(site_url=site_url))
    return Corpus(out, docs, items, n_issues, years)


CORPUS_CONFIG = """site_name: 江临市政府公报（生成的测试站点）
site_url: {site_url}
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
plugins:
  - gazette:
      gazette_name: 江临政报
markdown_extensions:
  - tables
  - toc
"""


def _initials(agency: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(agency, style=Style.FIRST_LETTER)).lower()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/corpus.py", description="生成 N 篇文章的测试站点（开发工具）")
    p.add_argument("--items", type=int, required=True, help="文章数")
    p.add_argument("--out", required=True, help="输出目录（会被清空）")
    p.add_argument("--text-from", help="取正文的纯文本文件（*.txt）目录（默认为仓库内的 tools/corpus-text/）")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--site-url", default="https://gk.example.gov.cn/")
    p.add_argument("--traditional-share", type=float, default=0.0, metavar="比例",
                   help="以繁体字写出的文章所占比例（0 到 1，例如 0.3；用 OpenCC 转换标题、摘要和正文）")
    args = p.parse_args(argv)
    if not 0 <= args.traditional_share <= 1:
        p.error("--traditional-share 应在 0 到 1 之间")
    if args.text_from and not os.path.isdir(args.text_from):
        p.error(f"找不到正文目录 {args.text_from}")
    try:
        c = generate(args.out, args.items, args.text_from, args.seed, args.site_url, args.traditional_share)
    except ImportError:
        print("--traditional-share 需要软件包 opencc：pip install -e '.[dev]'", file=sys.stderr)
        return 2
    print(f"已生成 {c.items} 篇（{c.issues} 期，{c.years[0]}–{c.years[-1]} 年）于 {c.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
