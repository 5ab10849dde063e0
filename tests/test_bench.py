"""The measuring tools: a generated corpus is a valid site, and the benchmark reports its figures."""

from __future__ import annotations

import re

from conftest import SEEDS, run_gazette


def test_corpus_from_the_seeds_is_valid_and_spread_over_years(tmp_path):
    out = tmp_path / "corpus"
    made = run_gazette("corpus", "--items", "120", "--out", str(out), "--text-from", str(SEEDS))
    assert made.returncode == 0, made.stderr
    items = [p for p in (out / "docs").rglob("*.md") if p.name != "index.md"]
    assert len(items) == 120
    rel = [p.relative_to(out / "docs").parts for p in items]
    assert len({r[1] for r in rel if r[0] == "gazette"}) >= 3  # years
    assert any(r[0] == "disclosure" for r in rel)
    checked = run_gazette("check", str(out / "docs"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 处错误" in checked.stderr


def test_bench_prints_time_memory_sizes_and_ratios(tmp_path):
    result = run_gazette("bench", "--items", "40", "--only", "ours,nosearch,floor,bare", "--rebuild", "--keep",
                         "--workdir", str(tmp_path),
                         timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    floor, bare = "基线：Material 默认配置（含其搜索），条目不进导航", "参考：同上但无任何插件（无搜索）"
    for name in ("本系统（gazette 插件）", floor, bare, "本系统，再次构建（缓存已有）", "本系统，不建搜索索引"):
        row = next(l for l in out.splitlines() if l.startswith(name))
        seconds, peak, pages, html_kb, total_mb = re.findall(r"[\d.]+", row[len(name):])[:5]
        assert float(seconds) > 0 and float(peak) > 10 and int(pages) == 40 and float(html_kb) > 1
    for other in (floor, bare):
        assert re.search(rf"耗时比 本系统/{re.escape(other)}：\d+\.\d\d", out)
    # The floor is plain Material, its own search index included; the bare build has none.
    floor_site, bare_site = tmp_path / "bench-40" / "floor" / "site", tmp_path / "bench-40" / "bare" / "site"
    assert (floor_site / "search" / "search_index.json").is_file() and not (bare_site / "search").exists()
    assert re.search(r"qr: [\d.]+ s （每项 [\d.]+ ms）", out) and re.search(r"search: [\d.]+ s", out)
    assert re.search(r"qr-files: [\d.]+ s （每项 [\d.]+ ms）", out)
    # What the search index adds is measured against the same site built without it.
    assert re.search(r"搜索索引增加的耗时：-?[\d.]+ s，为页面构建本身的 -?[\d.]+ 倍", out)
    nosearch = out.split("本系统，不建搜索索引各环节：", 1)[1]
    assert "search:" not in nosearch.split("\n\n", 1)[0] and "qr:" in nosearch
