"""A new office's first steps: `gazette new`, new issues and items, tiny sites, CI output formats."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest

from conftest import MINIMAL_CONFIG, make_project, run_gazette, run_mkdocs

ENGLISH = re.compile(r"Traceback|TemplateNotFound|Error:|not found|[A-Za-z]{5,} [a-z]{3,} [a-z]{3,}")


def chinese_only(output: str) -> None:
    """No English sentence from Python, PyYAML or Jinja among the editor-facing lines."""
    for line in output.splitlines():
        if line.startswith(("INFO", "DEBUG", "Aborted with a BuildError")) or not line.strip():
            continue
        assert not ENGLISH.search(line), line


def test_new_site_checks_builds_and_searches(tmp_path):
    target = tmp_path / "county"
    made = run_gazette("new", str(target), "--site-name", "青山县人民政府", "--site-url",
                       "https://gb.qingshan.example.gov.cn", "--ci", "gitlab")
    assert made.returncode == 0, made.stderr
    mkdocs_yml = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "青山县人民政府"' in mkdocs_yml and 'gazette_name: "青山县人民政府公报"' in mkdocs_yml
    for rel in (".gitignore", ".gitlab-ci.yml", "publish-release.sh", "docs/accessibility.md",
                "docs/disclosure/guide/index.md", "docs/disclosure/on-request/index.md"):
        assert (target / rel).is_file(), rel
    # what the build and the CI job write beside the sources is never committed
    ignored = (target / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", "/external-links.csv", "/gl-code-quality-report.json"} <= set(ignored)
    example = next((target / "docs" / "gazette").glob("*/01/example-notice.md")).read_text(encoding="utf-8")
    assert "示例" in example and "&" not in example  # no YAML anchors for a repeated date
    assert "column: 县政府文件" in example  # a county's TOC groups, not a city's

    checked = run_gazette("check", cwd=target)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 期、1 篇没有错误" in checked.stderr
    built = run_mkdocs(target, "--strict")
    assert built.ok, built.output
    assert "gazette-timing" not in built.output  # timings are for `mkdocs build -v`
    site = built.site
    assert (site / "search" / "index.html").is_file() and (site / "search-index").is_dir()
    assert "关于启用政府公报网站的通知（示例）" in next(site.glob("gazette/*/01/example-notice/index.html")).read_text()
    assert (site / "disclosure" / "guide" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "主办：青山县人民政府" in home and "Made with" not in home  # no off-site link in an office's footer
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert "江府" not in search_page and "例如" not in search_page  # nothing of the sample city's 文号

    refused = run_gazette("new", str(target))
    assert refused.returncode == 2 and "不是空文件夹" in refused.stderr


def test_the_search_hint_shows_a_document_number_of_the_site_itself(sample_site):
    label = re.search(r'<label for="gz-search-q"[^>]*>([^<]*)<', (sample_site / "search" / "index.html").read_text())
    assert label and re.search(r"例如 江\w+〔\d{4}〕\d+号[；）]", label.group(1)), label


def test_a_name_with_yaml_syntax_stays_a_name(tmp_path):
    name = '青山县: "人民政府"\nplugins: []'
    made = run_gazette("new", str(tmp_path / "s"), "--site-name", name, "--site-url", "https://gb.example.gov.cn/")
    assert made.returncode == 0, made.stderr
    import yaml

    config = yaml.safe_load((tmp_path / "s" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == name and config["plugins"][0]["gazette"]["gazette_name"] == name + "公报"


def test_new_issue_and_item_are_named_and_filled_and_validate(tmp_path):
    project = make_project(tmp_path, {})
    made = run_gazette("new", "issue", "2025", "3", "--published", "2025-03-31", "--serial", "12", cwd=project)
    assert made.returncode == 0, made.stderr
    issue = project / "docs" / "gazette" / "2025" / "03" / "index.md"
    assert "published: 2025-03-31" in issue.read_text(encoding="utf-8")
    issue.write_text(issue.read_text(encoding="utf-8").replace("政府文件", "区政府文件", 1), encoding="utf-8")
    refused = run_gazette("new", "issue", "2025", "4", cwd=project)
    assert refused.returncode == 2 and "--published 2025-06-30" in refused.stderr  # not dated today
    assert run_gazette("new", "issue", "2025", "4", "--published", "2025-04-30", cwd=project).returncode == 0
    assert "- 区政府文件" in (issue.parent.parent / "04" / "index.md").read_text(encoding="utf-8")  # as the last issue

    bad = run_gazette("new", "item", "2025", "3", "--title", "关于某事的通知", "--doc-number", "青府发[2025]7号", cwd=project)
    assert bad.returncode == 2 and "应为「青府发〔2025〕7号」" in bad.stderr
    item = run_gazette("new", "item", "2025", "3", "--title", "关于某事的通知", "--doc-number", "青府发〔2025〕7号",
                       "--issuer", "青山县人民政府", "--genre", "通知", cwd=project)
    assert item.returncode == 0, item.stderr
    written = project / "docs" / "gazette" / "2025" / "03" / "qff-2025-7.md"  # named from the 文号
    assert "docs/gazette/2025/03/qff-2025-7.md" in item.stdout
    text = written.read_text(encoding="utf-8")
    assert "doc_number: 青府发〔2025〕7号" in text and "title: 关于某事的通知" in text
    assert "published: 2025-03-31" in text  # the issue's date, not today's
    no_issue = run_gazette("new", "item", "2024", "1", "x", "--title", "标题", cwd=project)
    assert no_issue.returncode == 2 and "gazette new issue 2024 1" in no_issue.stderr

    # Nothing made up is left for the build to publish: no placeholder 发布机构 or body, no guessed 成文日期.
    bare = run_gazette("new", "item", "2025", "3", "qff-2025-8", "--title", "关于另一事的通知", cwd=project)
    assert bare.returncode == 0, bare.stderr
    bare_file = written.parent / "qff-2025-8.md"
    assert "\nwritten:\n" in bare_file.read_text(encoding="utf-8") and "\nwritten:\n" in text
    unfilled = run_gazette("check", cwd=project)
    assert unfilled.returncode == 1
    assert "docs/gazette/2025/03/qff-2025-8.md:3: 必填字段「发布机构」不能为空" in unfilled.stdout, unfilled.stdout
    assert "docs/gazette/2025/03/qff-2025-8.md:9: 正文还是" in unfilled.stdout, unfilled.stdout
    assert "docs/gazette/2025/03/qff-2025-7.md:11: 正文还是" in unfilled.stdout, unfilled.stdout
    bare_file.unlink()
    written.write_text(text.replace("（请在这里写正文。）", "各乡镇人民政府：现将有关事项通知如下。"), encoding="utf-8")

    checked = run_gazette("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 期、1 篇没有错误" in checked.stderr


@pytest.mark.parametrize("theme", ["", "theme: readthedocs\n"])
def test_a_site_without_material_is_told_what_to_write(tmp_path, theme):
    config = MINIMAL_CONFIG.replace("theme:\n  name: material\n  language: zh\n", theme)
    built = run_mkdocs(make_project(tmp_path, {}, config=config), timeout=60)
    assert not built.ok
    assert "name: material" in built.output and "gazette 插件需要 Material for MkDocs 主题" in built.output
    chinese_only(built.output)


BROKEN = """\
---
title: 关于某事的通知
issuer: 青山县人民政府
published: 2025-03-20
doc_number: 青府发[2025]7号
column: 市政府文件
---
正文
"""


def test_check_formats_for_github_and_gitlab(tmp_path):
    project = make_project(tmp_path, {"gazette/2025/03/index.md": "---\npublished: 2025-03-31\n---\n",
                                      "gazette/2025/03/qfbf-2025-7.md": BROKEN})
    github = run_gazette("check", "--format", "github", cwd=project)
    assert github.returncode == 1
    line = next(l for l in github.stdout.splitlines() if l.startswith("::error "))
    assert re.match(r"::error file=docs/gazette/2025/03/qfbf-2025-7\.md,line=5,title=[\w-]+::文号「", line), line

    gitlab = run_gazette("check", "--format", "gitlab", cwd=project)
    assert gitlab.returncode == 1
    issues = json.loads(gitlab.stdout)
    found = next(i for i in issues if "文号" in i["description"])
    assert found["location"] == {"path": "docs/gazette/2025/03/qfbf-2025-7.md", "lines": {"begin": 5}}
    assert found["severity"] == "major" and len(found["fingerprint"]) == 40


def test_a_long_render_reports_its_progress(tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from gazette.build import workers

    items = {f"gazette/2025/01/t-{n}.md": BROKEN.replace("青府发[2025]7号", f"青府发〔2025〕{n}号") for n in range(1, 81)}
    items["gazette/2025/01/index.md"] = "---\npublished: 2025-03-31\n---\n"
    project = make_project(tmp_path, items, config=MINIMAL_CONFIG + "      workers: 2\n")
    monkeypatch.setattr(workers, "PROGRESS_SECONDS", 0.02)
    monkeypatch.setattr(workers, "BATCH", 4)
    caplog.set_level(logging.INFO, logger="mkdocs")
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    shown = [r.getMessage() for r in caplog.records if r.getMessage().startswith("条目页面已生成")]
    assert shown, [r.getMessage() for r in caplog.records]
    assert all(re.fullmatch(r"条目页面已生成 \d+/80（\d+%）", m) for m in shown)


def test_option_mistakes_are_named_in_chinese_in_build_and_check(tmp_path):
    config = MINIMAL_CONFIG + "      page_size: 二十\n      pagesize: 3\n      timezone: Beijing\n"
    project = make_project(tmp_path, {}, config=config)
    built = run_mkdocs(project, timeout=60)
    assert not built.ok and "page_size" in built.output and "应为整数，实际是「二十」" in built.output
    checked = run_gazette("check", cwd=project)
    assert checked.returncode == 2 and "应为整数" in checked.stderr
    assert "没有这个选项「pagesize」，是不是「page_size」？" in checked.stderr
    (project / "mkdocs.yml").write_text(config.replace("      page_size: 二十\n", ""), encoding="utf-8")
    checked = run_gazette("check", cwd=project)
    assert checked.returncode == 2 and "timezone「Beijing」" in checked.stderr


def test_serve_speaks_of_the_preview_and_keeps_the_links_report_beside_the_project(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys

    project = make_project(tmp_path, {"gazette/2025/03/index.md": "---\npublished: 2025-03-31\n---\n",
                                      "gazette/2025/03/qfbf-2025-7.md": BROKEN})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True)
    output = []
    try:
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            output.append(line)
            if "本次" in line or "预览" in line or time.monotonic() > deadline:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    text = "".join(output)
    assert "预览没有更新" in text and "mkdocs_" not in text and "/tmp" not in text, text
    assert (project / "external-links.csv").is_file()


def test_the_command_speaks_chinese_in_its_help_and_its_errors(capsys):
    from gazette.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("new", "item", "--help")
    assert code == 0 and out.startswith("用法：gazette new item")
    assert "--title 标题" in out and "显示本说明后退出" in out
    for args, said in ((["chek"], "没有「chek」这个命令"), (["new", "item", "2025"], "缺少参数：期号"),
                       (["new", "issue", "x", "3"], "年份 应为整数，实际是「x」"),
                       (["check", "--format", "xml"], "--format 不能是「xml」")):
        code, _, err = run(*args)
        assert code == 2 and said in err, err
        chinese_only(err.splitlines()[-1].split("：", 1)[1])  # the message after the command's name


def test_the_first_issue_after_the_example_is_deleted_keeps_the_offices_level(tmp_path):
    """The manual's first steps: `gazette new`, delete the example issue, `gazette new issue`, `gazette new item`.
    The TOC groups come from the site's name (a county's 县政府文件), not a level-less 政府文件."""
    target = tmp_path / "county"
    assert run_gazette("new", str(target), "--site-name", "青山县人民政府", "--site-url",
                       "https://gb.qingshan.example.gov.cn/").returncode == 0
    import shutil

    for issue in (target / "docs" / "gazette").glob("*/01"):
        shutil.rmtree(issue)
    made = run_gazette("new", "issue", "2025", "7", "--published", "2025-07-15", cwd=target)
    assert made.returncode == 0, made.stderr
    issue = (target / "docs" / "gazette" / "2025" / "07" / "index.md").read_text(encoding="utf-8")
    assert "- 县政府文件\n- 县政府办公室文件\n" in issue
    item = run_gazette("new", "item", "2025", "7", "qff-2025-12", "--title", "关于做好防汛工作的通知", cwd=target)
    assert item.returncode == 0, item.stderr
    assert "column: 县政府文件" in (target / "docs" / "gazette" / "2025" / "07" / "qff-2025-12.md").read_text("utf-8")


def test_new_issue_says_an_existing_issue_exists_and_refuses_a_date_of_another_year(tmp_path):
    """Found by a newcomer: `gazette new issue 2024 2` for an issue already there was answered with advice
    about --published, and `--published 2023-04-01` for a 2024 issue wrote a file that `gazette check` refused."""
    project = make_project(tmp_path, {})
    assert run_gazette("new", "issue", "2024", "2", "--published", "2024-03-20", cwd=project).returncode == 0
    again = run_gazette("new", "issue", "2024", "2", cwd=project)
    assert again.returncode == 2 and "已经存在" in again.stderr and "--published" not in again.stderr, again.stderr
    other_year = run_gazette("new", "issue", "2024", "3", "--published", "2023-04-01", cwd=project)
    assert other_year.returncode == 2 and "不在 2024 年" in other_year.stderr, other_year.stderr
    assert not (project / "docs" / "gazette" / "2024" / "03").exists()
    chinese_only(again.stderr + other_year.stderr)


def test_commands_run_from_the_docs_folder_say_where_to_go_and_write_nothing(tmp_path):
    """Found by a newcomer: `gazette new issue` run inside docs/ wrote docs/docs/gazette/…/index.md, a file no
    build ever reads, and `gazette check` there said only 找不到内容目录 …/docs/docs."""
    project = make_project(tmp_path, {})
    docs = project / "docs"
    made = run_gazette("new", "issue", "2024", "4", "--published", "2024-05-01", cwd=docs)
    assert made.returncode == 2 and "没有 mkdocs.yml" in made.stderr and "cd" in made.stderr, made.stderr
    assert not (docs / "docs").exists()
    checked = run_gazette("check", cwd=docs)
    assert checked.returncode == 2 and "没有 mkdocs.yml" in checked.stderr and "-f" in checked.stderr, checked.stderr
    imported = run_gazette("import", str(tmp_path), "--into", "disclosure/rules", cwd=docs)
    assert imported.returncode == 2 and "没有 mkdocs.yml" in imported.stderr, imported.stderr
    chinese_only(made.stderr + checked.stderr + imported.stderr)
    # With -f the same commands work from there.
    assert run_gazette("new", "issue", "2024", "4", "--published", "2024-05-01", "-f", "../mkdocs.yml",
                       cwd=docs).returncode == 0
    assert (docs / "gazette" / "2024" / "04" / "index.md").is_file()
    assert run_gazette("check", "-f", "../mkdocs.yml", cwd=docs).returncode == 0
