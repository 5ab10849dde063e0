"""The developer tools in tools/ (corpus generator, benchmark, search evaluation): run from the
repository as the README says, never installed with the package; a generated corpus is a valid
site whose text comes from the repository, and the benchmark reports its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_gazette, run_tool
from gazette.safety import rules as safety
from tools import corpus

TOOLS = ("bench", "corpus", "search_eval")


# -- what offices install ---------------------------------------------------------------------


def test_installed_package_holds_no_developer_tools_and_gazette_offers_only_editors_commands():
    # What setuptools puts in the wheel an office installs, by the project's own configuration.
    tomllib = pytest.importorskip("tomllib")
    from setuptools import find_packages

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = find_packages(str(ROOT), include=setup["packages"]["find"]["include"])
    assert "gazette" in packages and all(p == "gazette" or p.startswith("gazette.") for p in packages), packages
    modules = {f"{p}.{f.stem}" for p in packages for f in (ROOT / p.replace(".", "/")).glob("*.py")}
    assert "gazette.cli" in modules and not modules & {f"gazette.{t}" for t in TOOLS}
    data = [f.name for pattern in setup["package-data"]["gazette"] for f in (ROOT / "gazette").glob(pattern)]
    assert "spam-terms.txt" in data and not [n for n in data if "search-queries" in n]
    package_dir = Path(safety.__file__).parent  # the gazette package the tests import
    assert not [t for t in TOOLS if (package_dir / f"{t}.py").exists()]
    assert not hasattr(safety, "paragraph_is_clean")
    # `gazette --help` lists the editors' commands (check, new, import) and nothing else.
    helped = run_gazette("--help", process=True)
    assert helped.returncode == 0
    assert re.search(r"^用法：gazette \[-h\] \{check,new,import\}", helped.stdout, re.M), helped.stdout
    assert "new-issue" not in helped.stdout and "gazette new issue" in helped.stdout
    for name in ("corpus", "bench", "search-eval"):
        assert run_gazette(name, "--help", process=True).returncode == 2


def test_nothing_the_package_or_readme_names_lies_outside_the_repository():
    files = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml", *(ROOT / "gazette").rglob("*.py"),
             *(ROOT / "tools").rglob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text and "/work/" not in text, path


# -- the corpus -------------------------------------------------------------------------------


def test_default_corpus_text_is_the_repository_s_own_and_the_corpus_is_valid(tmp_path):
    assert Path(corpus.TEXT_DIR) == ROOT / "tools" / "corpus-text"
    texts = sorted(Path(corpus.TEXT_DIR).glob("*.txt"))
    assert len(texts) >= 6 and sum(len(p.read_text(encoding="utf-8")) for p in texts) > 4000
    out = tmp_path / "corpus"
    made = run_tool("corpus", "--items", "120", "--out", str(out), cwd=tmp_path)  # no --text-from, not from the repository
    assert made.returncode == 0, made.stderr
    assert "已生成 120 篇" in made.stdout
    items = [p for p in (out / "docs").rglob("*.md") if p.name != "index.md"]
    assert len(items) == 120
    rel = [p.relative_to(out / "docs").parts for p in items]
    assert len({r[1] for r in rel if r[0] == "gazette"}) >= 3  # years
    assert any(r[0] == "disclosure" for r in rel)
    # The bodies are paragraphs of the repository's texts (not the built-in fallback).
    paragraphs = {line.strip() for p in texts for line in p.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 30}
    bodies = "".join(p.read_text(encoding="utf-8") for p in items)
    assert sum(1 for para in paragraphs if para in bodies) >= 20
    assert corpus.FALLBACK.split("。")[1] not in bodies
    checked = run_gazette("check", str(out / "docs"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 处错误" in checked.stderr and "0 处警告" in checked.stderr


def test_text_from_another_folder_leaves_out_what_the_checks_refuse(tmp_path):
    assert corpus.paragraph_is_clean("各地各部门要提高思想认识，联系电话：028-86604984。")  # a landline is not personal data
    assert not corpus.paragraph_is_clean("依托龙8电子游戏平台站集约化平台，整合政府信息公开目录管理系统。")
    assert not corpus.paragraph_is_clean("值班人员手机：138 1234-5678，请保持通讯畅通。")
    assert not corpus.paragraph_is_clean("详见 www.example.com 的说明。")
    assert corpus.paragraph_is_clean("详见江临市人民政府门户网站 www.jianglin.gov.cn 的说明。")
    clean = "为进一步做好政务公开工作，各部门要按照规定时限主动公开政策文件和解读材料，接受社会监督。"
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("\n".join([
        clean,
        "各地要加强组织领导，依托龙8娱乐平台开展宣传推广活动，确保各项工作落到实处并取得实效。",
        "如有疑问请联系值班人员，手机号码为138 1234-5678，工作日上午九时至下午五时均可接听。",
    ]) + "\n", encoding="utf-8")
    (texts / "notes.md").write_text("这一行不是纯文本正文文件中的内容，生成器不应当读取它，因为它不是文本文件。\n", encoding="utf-8")
    out = tmp_path / "corpus"
    made = run_tool("corpus", "--items", "20", "--out", str(out), "--text-from", str(texts))
    assert made.returncode == 0, made.stderr
    bodies = "".join(p.read_text(encoding="utf-8") for p in (out / "docs").rglob("*.md"))
    assert clean in bodies and "龙8" not in bodies and "1234-5678" not in bodies and "生成器不应当读取" not in bodies
    checked = run_gazette("check", cwd=out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    missing = run_tool("corpus", "--items", "5", "--out", str(tmp_path / "x"), "--text-from", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "找不到正文目录" in missing.stderr


# -- the benchmark ----------------------------------------------------------------------------


def test_bench_report_names_every_build_and_its_ratios():
    """The report, fed hand-made runs: every build's row, the ratios, the stages per item."""
    from tools import bench

    timings = [{"feature": "qr", "seconds": 2.0, "codes": 1000}, {"feature": "search", "seconds": 3.0, "pages": 1000}]
    runs = [bench.Run("ours", 12.0, 300, 1000, 20480, 50 << 20, True, timings),
            bench.Run("nosearch", 9.0, 250, 1000, 20480, 40 << 20, True, timings[:1]),
            bench.Run("noopen", 11.0, 290, 1000, 20480, 45 << 20, True, timings),
            bench.Run("floor", 10.0, 200, 1000, 10240, 30 << 20, True),
            bench.Run("bare", 8.0, 150, 1000, 10240, 20 << 20, True),
            bench.Run("blog", 60.0, 400, 999, 10240, 30 << 20, False, output_tail="Traceback: boom")]
    out = bench.report(1000, runs)
    for run_ in runs:
        row = next(line for line in out.splitlines() if line.startswith(bench.NAMES[run_.name]))
        seconds, peak, pages, html_kb, total_mb = re.findall(r"[\d.]+", row[len(bench.NAMES[run_.name]):])[:5]
        assert (float(seconds), int(peak), int(pages), float(html_kb)) == (run_.seconds, run_.peak_mb, run_.item_pages, 20.0 if run_.name in ("ours", *bench.VARIANTS) else 10.0)
    assert f"耗时比 本系统/{bench.NAMES['floor']}：1.20" in out and f"耗时比 本系统/{bench.NAMES['blog']}：0.20" in out
    assert f"耗时比 {bench.NAMES['nosearch']}/{bench.NAMES['bare']}：1.12" in out
    assert "搜索索引增加的耗时：3.0 s，为页面构建本身的 0.33 倍" in out
    assert "开放数据和订阅源增加的耗时：1.0 s，为其余构建的 9.1%" in out
    assert "qr: 2.00 s （每项 2.00 ms）" in out and "search: 3.00 s （每项 3.00 ms）" in out
    nosearch = out.split(f"{bench.NAMES['nosearch']}各环节：", 1)[1].split("各环节：", 1)[0]
    assert "qr:" in nosearch and "search:" not in nosearch
    assert "blog 构建失败" in out and "Traceback: boom" in out


def test_bench_measures_a_real_build_of_the_generated_corpus(tmp_path):
    """One real build, measured: its time, memory, item pages and the stages our plugin logs."""
    result = run_tool("bench", "--items", "40", "--only", "ours", "--keep", "--workdir", str(tmp_path),
                      cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    name = "本系统（gazette 插件）"
    row = next(line for line in result.stdout.splitlines() if line.startswith(name))
    seconds, peak, pages, html_kb = re.findall(r"[\d.]+", row[len(name):])[:4]
    assert float(seconds) > 0 and float(peak) > 10 and int(pages) == 40 and float(html_kb) > 1
    assert re.search(r"qr: [\d.]+ s （每项 [\d.]+ ms）", result.stdout)
    assert re.search(r"search: [\d.]+ s", result.stdout) and re.search(r"safety-bodies: [\d.]+ s", result.stdout)
    # The corpus it built drew its text from the repository.
    first = next((tmp_path / "bench-40" / "ours" / "docs" / "gazette").rglob("*-*.md")).read_text(encoding="utf-8")
    assert "## 一、总体要求" in first and corpus.FALLBACK.split("。")[1] not in first


def test_floor_is_plain_material_with_its_search_and_bare_has_no_plugin():
    """What the ratios are taken against: Material's default configuration (its search plugin
    included, items out of the nav), and the same with no plugin at all."""
    import yaml
    from tools import bench

    floor, bare = yaml.safe_load(bench.FLOOR_CONFIG), yaml.safe_load(bench.BARE_CONFIG)
    assert floor["theme"]["name"] == "material" and "plugins" not in floor and floor["nav"] == ["index.md"]
    assert bare["plugins"] == [] and {k: v for k, v in bare.items() if k != "plugins"} == floor


@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_runs_as_a_module_too(tool):
    proc = subprocess.run([sys.executable, "-m", f"tools.{tool}", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "usage:" in proc.stdout, proc.stderr
