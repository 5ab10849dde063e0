"""The editor's safety net: every mistake of the content format is reported, in Chinese,
as `path:line: message`, all at once, and a failed build leaves the published site alone."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import make_project, run_gazette, run_mkdocs

ISSUE = """\
---
published: 2023-05-25
serial: 245
columns: [市政府文件, 部门文件]
---
"""

ITEM = """\
---
title: 江临市人民政府关于加强城市管理工作的通知
issuer: 江临市人民政府
published: 2023-05-12
written: 2023-05-10
doc_number: 江府发〔2023〕5号
column: 市政府文件
---

正文。
"""


def item(**changes: str | None) -> str:
    """ITEM with some lines replaced (key: new value) or removed (key: None)."""
    lines = ITEM.splitlines()
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                out.append(f"{key}: {changes[key]}")
            continue
        out.append(line)
    extra = [f"{k}: {v}" for k, v in changes.items() if v is not None and not any(l.startswith(k + ":") for l in lines)]
    return "\n".join(out[:1] + extra + out[1:]) + "\n"


def build(tmp_path, files):
    project = make_project(tmp_path, files)
    return run_mkdocs(project)


def check(tmp_path, files, *args):
    project = make_project(tmp_path, files)
    return run_gazette("check", str(project / "docs"), *args, cwd=project)


def error_lines(output: str) -> list[str]:
    return [l for l in output.splitlines() if re.search(r"docs/\S+\.md:\d+: ", l)]


def test_valid_site_builds_with_every_page(tmp_path):
    result = build(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/jfbf-2023-5.md": ITEM})
    assert result.ok, result.output
    for page in ("gazette/index.html", "gazette/2023/index.html", "gazette/2023/05/index.html",
                 "gazette/2023/05/jfbf-2023-5/index.html", "browse/issuer/index.html", "disclosure/index.html"):
        assert (result.site / page).is_file(), page


@pytest.mark.parametrize("key, value, expected", [
    ("publised", "2023-05-12", "未知字段「publised」，是不是「published」？"),
    ("发布日起", "2023-05-12", "未知字段「发布日起」，是不是「发布日期」？"),
])
def test_unknown_key_suggests_the_right_one(tmp_path, key, value, expected):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/a.md": item(**{key: value})})
    assert result.returncode == 1
    assert f"docs/gazette/2023/05/a.md:2: {expected}" in result.stdout


def test_chinese_alias_and_chinese_date_are_accepted(tmp_path):
    text = """\
    ---
    标题: 关于做好防汛工作的通知
    发文机关: 江临市应急管理局
    发布日期: 2023年5月12日
    文号: 江应急〔2023〕3号
    栏目: 部门文件
    ---
    正文
    """
    result = build(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/jyj-2023-3.md": text})
    assert result.ok, result.output
    html = (result.site / "gazette/2023/05/jyj-2023-3/index.html").read_text()
    assert "关于做好防汛工作的通知" in html and "2023年5月12日" in html and "江应急〔2023〕3号" in html


def test_alias_and_key_together_are_refused(tmp_path):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE,
                              "gazette/2023/05/a.md": item(标题="另一个标题")})
    assert "「标题」与「title」是同一个字段" in result.stdout or "「title」与「标题」是同一个字段" in result.stdout


@pytest.mark.parametrize("value, message", [
    ("2023/05/12", "日期格式无法识别：「2023/05/12」，应写成 2023-05-12"),
    ("二〇二三年五月十二日", "应写成 2023-05-12"),  # as a 落款 writes it
    ("2023.2.30", "这一天不存在"),
    ("2023-02-30", "不存在"),
    ("2023年13月1日", "这一天不存在"),
    ("2023-05-12 10:30:00", "只写日期，不写时间"),
    ("2107-01-01", "晚于"),  # a typo for 2017: refused here, not a crash in a later stage
    ("1900-01-01", "早于 1949-01-01"),
])
def test_bad_dates_name_the_line(tmp_path, value, message):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/a.md": item(published=value)})
    assert result.returncode == 1
    line = next(l for l in error_lines(result.stdout) if "a.md:4:" in l)
    assert message in line


@pytest.mark.parametrize("raw", ["江府发[2023]5号", "江府发（2023）5号", "江府发(2023)5号", "江府发【2023】5号", "江府发〔2023]5号"])
def test_doc_number_brackets_show_the_corrected_number(tmp_path, raw):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/a.md": item(doc_number=raw)})
    assert f"docs/gazette/2023/05/a.md:6: 文号「{raw}」括号有误，应为「江府发〔2023〕5号」" in result.stdout


def test_doc_number_year_mismatch_warns_and_fails_under_strict(tmp_path):
    files = {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/a.md": item(doc_number="江府发〔2022〕5号")}
    relaxed = check(tmp_path, files)
    assert relaxed.returncode == 0 and "年份 2022 与成文日期 2023-05-10 的年份不一致" in relaxed.stdout
    strict = check(tmp_path, files, "--strict")
    assert strict.returncode == 1
    built = run_mkdocs(tmp_path / "project", "--strict")
    assert not built.ok and "年份不一致" in built.output


def test_duplicates_and_dangling_references_name_both_files(tmp_path):
    files = {
        "gazette/2023/05/index.md": ISSUE,
        "gazette/2023/05/a.md": item(id="same-id"),
        "gazette/2023/05/b.md": item(id="same-id", title="另一篇", interprets="no-such-item"),
        "gazette/2023/05/c.md": item(doc_number="江府发〔2023〕6号", supersedes="nothing-here", title="第三篇"),
    }
    result = check(tmp_path, files)
    out = result.stdout
    assert "docs/gazette/2023/05/b.md:2: 编号「same-id」与 docs/gazette/2023/05/a.md 重复" in out
    assert "文号「江府发〔2023〕5号」与 docs/gazette/2023/05/a.md 重复" in out
    assert "「解读对象」指向的编号「no-such-item」不存在" in out
    assert "「替代」指向的编号「nothing-here」不存在" in out


def test_missing_attachment_and_pdf(tmp_path):
    issue = ISSUE.replace("serial: 245", "serial: 245\npdf: print.pdf")
    text = item().replace("column: 市政府文件", "column: 市政府文件\nattachments:\n  - {title: 申请表, file: form.pdf}")
    result = check(tmp_path, {"gazette/2023/05/index.md": issue, "gazette/2023/05/a.md": text})
    assert "docs/gazette/2023/05/index.md:4: PDF的文件「print.pdf」不存在" in result.stdout
    assert "附件「申请表」的文件「form.pdf」不存在" in result.stdout


def test_non_ascii_slug_gets_a_suggestion(tmp_path):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/关于加强城市管理.md": item()})
    assert "文件名「关于加强城市管理.md」只能用小写英文字母、数字和“-”，建议改为「jff-2023-5.md」" in result.stdout
    no_number = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/人事 任免.md": item(doc_number=None)})
    assert "建议改为「ren-shi-ren-mian.md」" in no_number.stdout


def test_issue_rules(tmp_path):
    files = {
        "gazette/2023/05/index.md": ISSUE.replace("2023-05-25", "2022-05-25"),
        "gazette/2023/06/index.md": "---\npublished: 2023-06-25\nserial: 240\nnumber: 7\n---\n",
        "gazette/2023/6/a.md": item(),
        "gazette/2023/07/b.md": item(doc_number=None),
    }
    out = check(tmp_path, files).stdout
    assert "docs/gazette/2023/05/index.md:2: 出版日期 2022-05-25 不在 2023 年" in out
    assert "docs/gazette/2023/06/index.md:4: 期号 7 与所在文件夹（6）不一致" in out
    assert "期号文件夹「6」应为两位数字（01、02……），应为「06」" in out
    assert "docs/gazette/2023/07/index.md:1: 2023 年第 7 期缺少期刊文件 index.md" in out


def test_all_problems_reported_together_and_previous_site_kept(tmp_path):
    good = {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/jfbf-2023-5.md": ITEM}
    project = make_project(tmp_path, good)
    first = run_mkdocs(project)
    assert first.ok, first.output
    before = _tree_hash(first.site)

    (project / "docs/gazette/2023/05/jfbf-2023-5.md").write_text(item(published="昨天"), encoding="utf-8")
    (project / "docs/gazette/2023/05/b.md").write_text(item(doc_number="江府发[2023]9号", title="二"), encoding="utf-8")
    (project / "docs/gazette/2023/05/c.md").write_text("---\n- a list\n---\n", encoding="utf-8")
    second = run_mkdocs(project)
    assert second.returncode == 1
    assert "Traceback" not in second.output
    lines = error_lines(second.output)
    assert any("jfbf-2023-5.md:4:" in l for l in lines)
    assert any("b.md:6:" in l and "括号有误" in l for l in lines)
    assert any("c.md:2:" in l and "实际是列表" in l for l in lines)
    assert "3 处错误" in second.output and "没有发布" in second.output
    assert _tree_hash(first.site) == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")], "staging folder left behind"


MALFORMED = [  # (content, message): one site holds them all, each file reported on its own
    (b"---\ntitle: [unclosed\n---\n", "头部 YAML 格式错误"),
    (b"---\n- 1\n- 2\n---\n", "实际是列表"),
    (b"---\njust text\n---\n", "实际是一段文字"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "二进制内容"),
    ("---\ntitle: 江临市人民政府关于做好防汛工作的通知\n---\n".encode("gbk"), "不是 UTF-8 编码（看起来是 GBK/GB18030 编码）"),
    (b"no front matter at all\n", "文件缺少头部信息"),
    (b"---\ntitle: x\n", "头部信息没有结束"),
    (b"---\ntitle: &a x\nissuer: *a\n---\n", "不支持 YAML 锚点和别名"),
    (b"---\ntitle: x\ntitle: y\n---\n", "字段「title」重复出现"),
    (b"---\ntitle:\n  - 1\n---\n", "「标题」应为一段文字，实际是列表"),
    (b"---\n" + b"a:\n " * 0 + b"title: " + b"[" * 40 + b"]" * 40 + b"\n---\n", "嵌套层级过深"),
]


def test_malformed_files_get_messages_not_tracebacks(tmp_path):
    files = {f"gazette/2023/05/bad-{n}.md": content for n, (content, _m) in enumerate(MALFORMED)}
    result = build(tmp_path, {"gazette/2023/05/index.md": ISSUE, **files})
    assert result.returncode == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    for n, (_content, message) in enumerate(MALFORMED):
        assert any(f"docs/gazette/2023/05/bad-{n}.md:" in l and message in l for l in lines), (message, result.output)


def test_check_json_output(tmp_path):
    result = check(tmp_path, {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/a.md": item(doc_number="江府发[2023]5号")}, "--format", "json")
    import json

    findings = json.loads(result.stdout)
    assert findings == [{"path": "docs/gazette/2023/05/a.md", "line": 6, "level": "error", "code": "doc-number",
                         "message": "文号「江府发[2023]5号」括号有误，应为「江府发〔2023〕5号」"}]


def test_disclosure_column_folder_must_be_configured(tmp_path):
    text = item(column=None)
    result = check(tmp_path, {"disclosure/statutory/normativ/a.md": text})
    assert "栏目文件夹「statutory/normativ」没有在 mkdocs.yml 的 columns 中配置，是不是「statutory/normative」？" in result.stdout


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_parallel_validation_matches_sequential(tmp_path):
    """Large sites are validated by one process per core; the result must not depend on it."""
    from tools import corpus
    from gazette.content.columns import DEFAULT_COLUMNS, read_columns
    from gazette.content.records import Layout, load_site

    c = corpus.generate(str(tmp_path / "c"), 300)
    bad = Path(c.docs) / "gazette" / str(c.years[0]) / "01" / "坏文件.md"
    bad.write_text(item(doc_number="江府发[2023]7号"), encoding="utf-8")
    layout = Layout("gazette", "disclosure", tuple(read_columns(DEFAULT_COLUMNS, [])))
    seq_records, seq_report = load_site(c.docs, "docs", layout, workers=1)
    par_records, par_report = load_site(c.docs, "docs", layout, workers=2)
    assert [r.id for r in seq_records.items] == [r.id for r in par_records.items]
    assert len(seq_records.items) == 300
    assert seq_report.format_lines() == par_report.format_lines()
    assert any("括号有误" in l for l in par_report.format_lines())


def test_other_pages_with_bad_bytes_or_yaml_are_reported_not_crashed(tmp_path):
    result = build(tmp_path, {"about.md": b"\xff\xfe\x00\x00junk", "guide.md": "---\ntitle: [x\n---\n# 指南\n"})
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "docs/about.md:1: 文件含有二进制内容" in result.output
    assert re.search(r"docs/guide\.md:[23]: 头部 YAML 格式错误：方括号 \[ \] 没有闭合", result.output), result.output
