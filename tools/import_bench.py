"""How fast and how right `gazette import` is on many old documents: a developer tool.

    python tools/import_bench.py --docs 1000

Writes N source documents (half copied text with a page's chrome around it, half saved web pages
of an old site with navigation, a 信息表 and a footer) from the texts of tools/corpus-text/, makes
a new site with `gazette new`, runs `gazette import` on the folder as an editor would (its own
process, start-up included) and prints the time, then checks every written file against what each
source states: title, 文号, issuer and 成文日期 right, and no line of page chrome left.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpus import ISSUERS, TOPICS, _paragraphs, _safe  # noqa: E402

GENRES = ["通知", "意见", "办法", "通告", "公告", "方案", "决定"]
CN = "〇一二三四五六七八九"
CHROME_TXT = ["【字体：大 中 小】 | 浏览量：{n} | 我要纠错 | 打印本页 | 关闭窗口", "扫一扫在手机打开当前页",
              "主办单位：江临市人民政府办公室", "网站标识码：3399000001", "江ICP备12345678号-1"]
CHROME_WORDS = ("字体", "浏览量", "我要纠错", "打印本页", "关闭窗口", "扫一扫", "主办单位", "网站标识码", "ICP备", "当前位置",
                "首页", "网站地图", "上一篇", "下一篇")


def cn_date(y: int, m: int, d: int) -> str:
    digits = "".join(CN[int(c)] for c in str(y))

    def num(n: int) -> str:
        return (("" if n < 20 else CN[n // 10]) + "十" + ("" if n % 10 == 0 else CN[n % 10])) if n >= 10 else CN[n]
    return f"{digits}年{num(m)}月{num(d)}日"


def make_sources(out: str, n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    paras = _safe(_paragraphs(None))
    truth = []
    for i in range(n):
        issuer, code = ISSUERS[i % len(ISSUERS)]
        topic, genre = TOPICS[i % len(TOPICS)], GENRES[i % len(GENRES)]
        year, month, day = 2010 + i % 15, 1 + i % 12, 1 + i % 28
        title = f"{issuer}关于{topic}第{i + 1}项工作的{genre}"
        number = f"{code}〔{year}〕{i + 1}号"
        start = rng.randrange(len(paras))
        body = [paras[(start + k) % len(paras)] for k in range(rng.randint(3, 8))]
        written = cn_date(year, month, day) if i % 3 == 0 else f"{year}年{month}月{day}日"
        doc = {"title": title, "doc_number": number, "issuer": issuer, "written": f"{year}-{month:02d}-{day:02d}"}
        if i % 2 == 0:
            lines = [title, f"发布日期：{year}-{month:02d}-{day:02d} 09:30 浏览次数：{rng.randint(1, 9999)}",
                     CHROME_TXT[0].format(n=rng.randint(1, 999)), number, "各县（市、区）人民政府，市政府各部门：",
                     *body, issuer, written, *CHROME_TXT[1:]]
            path = os.path.join(out, f"doc-{i:05d}.txt")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n\n".join(lines) + "\n")
        else:
            e = html.escape
            paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in ["各县（市、区）人民政府，市政府各部门：", *body])
            page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(title)}_江临市人民政府</title></head>
<body><div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<table class="xxgk"><tr><td>索引号：</td><td>11339900MB0146729P/{year}-{i:05d}</td><td>主题分类：</td><td>综合政务</td></tr>
<tr><td>发文机关：</td><td>{e(issuer)}</td><td>成文日期：</td><td>{year}-{month:02d}-{day:02d}</td></tr>
<tr><td>文号：</td><td>{e(number)}</td><td>发布日期：</td><td>{year}-{month:02d}-{day:02d}</td></tr></table>
<div class="article"><h1>{e(title)}</h1><div class="tools">【字体：大 中 小】 打印本页 关闭窗口</div>
<div class="content">{paragraphs}
<p style="text-align:right">{e(issuer)}</p><p style="text-align:right">{e(written)}</p></div></div>
<div class="pager">上一篇：关于其他事项的通知</div>
<div class="footer"><p>主办单位：江临市人民政府办公室 网站标识码：3399000001</p><p><a href="/map/">网站地图</a></p>
<p>扫一扫在手机打开当前页</p></div></body></html>"""
            path = os.path.join(out, f"doc-{i:05d}.html")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(page)
        truth.append({"path": path, **doc})
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", default="/tmp/import-bench")
    args = ap.parse_args(argv)
    shutil.rmtree(args.out, ignore_errors=True)
    sources = os.path.join(args.out, "sources")
    os.makedirs(sources)
    truth = make_sources(sources, args.docs)
    site = os.path.join(args.out, "site")
    gazette = [sys.executable, "-m", "gazette.cli"]
    subprocess.run([*gazette, "new", site, "--site-name", "江临市人民政府"], check=True, capture_output=True)
    into = os.path.join(site, "docs", "disclosure", "statutory", "normative")
    start = time.perf_counter()
    proc = subprocess.run([*gazette, "import", sources, "--into", into, "--format", "json"], cwd=site,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if not proc.stdout.strip():
        print(proc.stderr, file=sys.stderr)
        return 1
    outcomes = {os.path.abspath(os.path.join(site, o["source"])): o for o in json.loads(proc.stdout)}
    right = wrong = chrome = 0
    for doc in truth:
        o = outcomes.get(doc["path"])
        found = {k: v["value"] for k, v in (o or {}).get("found", {}).items()}
        if o and all(found.get(k) == doc[k] for k in ("title", "doc_number", "issuer", "written")):
            right += 1
        else:
            wrong += 1
            if wrong <= 3:
                print("字段不符：", doc["path"], {k: (doc[k], found.get(k)) for k in ("title", "doc_number", "issuer", "written")})
        if o and o.get("output"):
            with open(os.path.join(site, o["output"]), encoding="utf-8") as fh:
                body = fh.read().split("---\n", 2)[2]
            chrome += sum(1 for line in body.splitlines() if any(w in line for w in CHROME_WORDS))
    kinds = {ext: sum(d["path"].endswith(ext) for d in truth) for ext in (".txt", ".html")}
    print(f"{args.docs} 篇（{kinds['.txt']} 篇 .txt，{kinds['.html']} 篇 .html）导入用时 {elapsed:.1f} 秒"
          f"（每篇 {elapsed / max(args.docs, 1) * 1000:.0f} 毫秒，含启动）；标题、文号、发文机关、成文日期全对 {right} 篇，"
          f"不符 {wrong} 篇；正文中残留的页面杂项 {chrome} 行")
    return 0 if wrong == 0 and chrome == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
