"""The 简/繁 switch converts as it did with opencc-js: gazette/theme/assets/gazette/hant/s2t.js (which
looks phrases up in s2t-data.js as the page needs them) gives exactly what opencc-js's converter
(tests/vendor/opencc-js-core.js, the one the switch used before) gives with the whole s2t table, on
real texts, on the sample site's own text, and on every phrase and character of the data.

The whole table is s2t-data.js with the phrases it leaves out put back (as tools/make_s2t_data.py
left them out). With GAZETTE_OPENCC_JS naming an unpacked opencc-js 1.4.2 npm package (see
tools/make_s2t_data.py), opencc-js's own dictionaries are the reference instead.

Run in Chromium, the engine the readers' pages run in (one page for the whole file)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, serve

HANT = ROOT / "gazette" / "theme" / "assets" / "gazette" / "hant"
OPENCC_JS = ROOT / "tests" / "vendor" / "opencc-js-core.js"
DICTS = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases", "STCharacters")  # opencc-js's s2t, in its order

# Written for this test: where a converter can go wrong.
TRICKY = [
    "规范集体经济组织的管理，范集镇人民政府。",  # 规范 (規範) is cut before 范集 (a name) can take its 范
    "头发发展得很快，他理发后发了一条消息。",  # 发: 髮 or 發 by phrase
    "干部们干了一杯，把衣服晒干，干涉别人。",  # 干: 幹, 乾, 干
    "于是在余下的时间里，余额不足，于洪涛同志。",
    "后面的皇后，面条里的面积，一出戏，一分钟。",
    "⿰氵说的话，⿱艹⿰讠兑，⿰",  # ideographic description sequences are left as written, whole
    "𠮷野家里，𡞵与媰，㛟字。",  # characters outside the BMP
    "\ud842说明与\udfb7里程碑",  # lone surrogates
    "GB/T 7714—2015《信息与文献 参考文献著录规则》第3.1条",
    "江府发〔2025〕11号 https://gk.jianglin.example.gov.cn/发布/ 电话：0790-1234567",
    "",
    "简",
]

COMPARE = """async ({ full }) => {
  const { s2tConverter } = await import("./s2t.js");
  const data = await import("./s2t-data.js");
  const { ConverterFactory } = await import("./opencc-js-core.js");
  let table;
  if (full) {
    table = [];
    for (const name of full) table.push((await import(`./${name}.js`)).default);
  } else {
    const chars = new Map(data.characters.split("|").map(e => e.split(" ")));
    const same = data.same.split("|").map(s => [s, Array.from(s, c => chars.get(c) || c).join("")]);
    table = [data.phrases, same, data.characters];
  }
  const reference = ConverterFactory(table);
  const convert = s2tConverter(data);
  window.gzKeys = table.flatMap(d => typeof d === "string" ? d.split("|").map(e => e.split(" ")[0]) : d.map(p => p[0]));
  window.gzCompare = lines => {
    const differ = [];
    let changed = 0;
    for (const s of lines) {
      const mine = convert(s), theirs = reference(s);
      if (theirs !== s) changed += 1;
      if (mine !== theirs) differ.push([s.slice(0, 80), mine.slice(0, 80), theirs.slice(0, 80)]);
    }
    return { lines: lines.length, changed, differ: differ.length, first: differ.slice(0, 5) };
  };
}"""


@pytest.fixture(scope="module")
def converters(browser, tmp_path_factory):
    """A page with both converters: gzCompare(lines) tells how many lines they convert differently."""
    root = tmp_path_factory.mktemp("hant-compare")
    for f in ("s2t.js", "s2t-data.js"):
        shutil.copy(HANT / f, root / f)
    shutil.copy(OPENCC_JS, root / "opencc-js-core.js")
    (root / "index.html").write_text("<!doctype html><title>s2t</title>", encoding="utf-8")
    full = None
    package = os.environ.get("GAZETTE_OPENCC_JS")
    if package:
        for name in DICTS:
            shutil.copy(Path(package) / "dist" / "esm-lib" / "dict" / f"{name}.js", root / f"{name}.js")
        full = list(DICTS)
    server, stop = serve(root)
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url)
    page.evaluate(COMPARE, {"full": full})
    yield page
    context.close()
    stop()


def seed_lines() -> list[str]:
    seeds = SEEDS if SEEDS.is_dir() else Path("/work/shared/seeds")
    files = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_same_as_opencc_js_on_real_government_texts(converters):
    lines = seed_lines()
    if not lines:
        pytest.skip("真实公文样本（shared/seeds）不在本机")
    result = converters.evaluate("lines => gzCompare(lines)", lines)
    print(f"\nseeds: {result}")
    assert result["differ"] == 0, result["first"]
    assert result["changed"] >= len(lines) // 3, result  # real text: most lines have something to convert


def test_same_as_opencc_js_on_the_sample_site_and_tricky_text(converters):
    lines = [line for md in sorted((ROOT / "docs").rglob("*.md")) for line in md.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 1000
    result = converters.evaluate("lines => gzCompare(lines)", lines + TRICKY)
    print(f"\ndocs/ and tricky lines: {result}")
    assert result["differ"] == 0, result["first"]
    assert result["changed"] >= len(lines) // 3, result


def test_same_as_opencc_js_for_every_phrase_and_character(converters):
    """Each phrase and character alone; all of them run together (each cut decides the next); and
    20,000 runs of two to five random ones, joined and cut at random, where phrases overlap."""
    result = converters.evaluate("""() => {
        const keys = gzKeys;
        let seed = 20250101;
        const next = n => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
        const runs = [];
        for (let k = 0; k < 20000; k += 1) {
            let s = "";
            for (let m = 2 + next(4); m > 0; m -= 1) {
                const key = Array.from(keys[next(keys.length)]);
                s += key.slice(next(2) ? 0 : next(key.length)).join("");  // a whole phrase or its end
            }
            runs.push(s);
        }
        return gzCompare(keys.concat([keys.join("")], runs));
    }""")
    print(f"\nevery phrase and character: {result}")
    assert result["lines"] > 50000 and result["differ"] == 0, result["first"]
    assert result["changed"] > 40000, result
