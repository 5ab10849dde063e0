"""The `gazette` command: what editors run (`gazette check`). Developer tools are in tools/."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

from gazette import clock, scaffold
from gazette.safety import rules as safety
from gazette.safety import filetypes
from gazette.build.config import GazetteConfig, ascii_site_url, check_site_options, check_timezone
from gazette.content.columns import read_columns
from gazette.disclosure import annual
from gazette.disclosure import rules as disclosure
from gazette.model.addresses import declared as reserved_addresses
from gazette.content.records import Layout, discover, unsafe_files
from gazette.validation import Site, check_site, markdown_settings


def load_options(config_file: str | None, docs_dir: str | None,
                 need_config: bool = False) -> tuple[GazetteConfig, str, str | None, dict]:
    """The plugin's options, docs_dir, the mkdocs.yml used and its contents, without building anything.

    `need_config`: the command writes into docs_dir, so a folder without mkdocs.yml is refused."""
    from mkdocs.utils.yaml import yaml_load

    candidates = [config_file] if config_file else []
    if not config_file:
        if docs_dir:
            candidates.append(os.path.join(os.path.dirname(os.path.abspath(docs_dir)), "mkdocs.yml"))
        candidates.append("mkdocs.yml")
    raw: dict = {}
    used = None
    for path in candidates:
        if path and os.path.isfile(path):
            with open(path, "rb") as fh:
                raw = yaml_load(fh) or {}
            raw = raw if isinstance(raw, dict) else {}
            used = path
            break
    if config_file and used is None:
        _stop(f"找不到配置文件 {config_file}")
    if used is None and docs_dir is None and (need_config or not os.path.isdir("docs")):
        # Run from docs/ or elsewhere: say where to go, rather than check or write into ./docs of the wrong folder.
        _stop(f"当前文件夹 {os.getcwd()} 中没有 mkdocs.yml：请先 cd 到网站的根目录（mkdocs.yml 所在的文件夹）"
              "再运行，或用 -f 指定 mkdocs.yml，例如 -f ../mkdocs.yml")
    options: dict = {}
    for entry in raw.get("plugins", []) or []:
        if isinstance(entry, dict) and "gazette" in entry:
            options = entry["gazette"] or {}
    cfg = GazetteConfig()
    cfg.load_dict(options)
    errors, warnings = cfg.validate()
    for key, message in warnings:
        print(f"mkdocs.yml 中 gazette 插件的选项 {key}：{message}", file=sys.stderr)
    if errors:
        _stop("mkdocs.yml 中 gazette 插件的配置有误：" + "；".join(f"{k}: {e}" for k, e in errors))
    if docs_dir is None:
        base = os.path.dirname(os.path.abspath(used)) if used else os.getcwd()
        docs_dir = os.path.join(base, raw.get("docs_dir", "docs"))
    return cfg, docs_dir, used, raw


def _stop(message: str) -> None:
    """A configuration the command cannot work with: exit status 2, as for every such problem."""
    print(message, file=sys.stderr)
    raise SystemExit(2)


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _misconfigured(what: str, problems: list[str]) -> int:
    print(f"mkdocs.yml 中 gazette 插件的{what}有误：\n  " + "\n  ".join(problems), file=sys.stderr)
    return 2


def cmd_check(args) -> int:
    cfg, docs_dir, config_file, raw = load_options(args.config_file, args.docs_dir)
    if not os.path.isdir(docs_dir):
        print(f"找不到内容目录 {docs_dir}", file=sys.stderr)
        return 2
    problems: list[str] = []  # every mistake of the configuration in one run
    columns = read_columns(cfg.columns, problems)
    check_timezone(cfg.timezone, problems)
    site_url = raw.get("site_url") if isinstance(raw.get("site_url"), str) else None
    check_site_options(cfg, str(raw.get("site_name") or ""), site_url, problems)
    if not problems:
        site_url = ascii_site_url(site_url)
        clock.TIMEZONE = cfg.timezone  # the build day (latest allowed date) as the build would see it
    project_dir = os.path.dirname(os.path.abspath(config_file)) if config_file else os.getcwd()
    setup = disclosure.Setup.from_config(cfg, project_dir, problems)
    if problems:
        return _misconfigured("配置", problems)
    directory_urls = bool(raw.get("use_directory_urls", True))
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(columns), reserved_addresses(cfg, directory_urls))
    start = time.perf_counter()
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else None
    named = filetypes.named_in_config(_list(raw.get("extra_css")), _list(raw.get("extra_javascript")), theme,
                                       cfg.publish_files)
    links = unsafe_files(docs_dir, named)  # reported, never read
    srcs = discover(docs_dir, links)
    prefix = os.path.relpath(docs_dir).replace(os.sep, "/")
    markdown = markdown_settings(raw, config_file)
    toc = markdown[1].get("toc") or markdown[1].get("markdown.extensions.toc") or {}
    site = Site(cfg, docs_dir, "" if prefix == "." else prefix, layout, site_url, toc, markdown, directory_urls)
    records, report, _checker = check_site(site, srcs=srcs, set_checks=setup.set_checks(docs_dir), links=links)
    elapsed = time.perf_counter() - start
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    # Loaded is not the same as without errors: a later check (a report's data file, the body) may name the file.
    wrong = {d.path for d in report.errors}
    clean_issues = [r for r in records.issues if r.path not in wrong]
    clean_items = [r for r in records.items if r.path not in wrong and annual.data_path(r) not in wrong]
    if args.format == "json":
        print(report.to_json())
    elif args.format in CI_FORMATS:
        print(CI_FORMATS[args.format](report.sorted()), end="")
    else:
        links = safety.external_links(report)
        for d in report.sorted():
            if d.code != "external-link":
                print(d.format())
        if links:
            print(f"外部链接清单（{len(links)} 个，供核对）：", file=sys.stderr)  # stdout stays `path:line: message` only
            for d in links:
                print(d.format())
        print(
            f"检查了 {len(srcs)} 个文件（其中 {len(clean_issues)} 期、{len(clean_items)} 篇没有错误），"
            f"{len(report.errors)} 处错误，{len(report.warnings)} 处警告，用时 {elapsed:.1f} 秒。"
            + ("请按上面的提示修改后再发布。" if failed else ""),
            file=sys.stderr,
        )
    return 1 if failed else 0


def _github(diagnostics) -> str:
    """GitHub Actions workflow commands: each problem is shown on its line of the changed file."""
    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    command = {"error": "error", "warning": "warning"}
    return "".join(
        f"::{command.get(d.level, 'notice')} file={escape(d.path, True)},line={d.line},"
        f"title={escape(d.code or 'gazette', True)}::{escape(d.message)}\n" for d in diagnostics
    )


def _gitlab(diagnostics) -> str:
    """A GitLab Code Quality report (artifacts: reports: codequality) shown on the merge request."""
    severity = {"error": "major", "warning": "minor"}
    issues = [{
        "description": d.message,
        "check_name": d.code or "gazette",
        "fingerprint": hashlib.sha1(f"{d.path}:{d.line}:{d.code}:{d.message}".encode()).hexdigest(),
        "severity": severity.get(d.level, "info"),
        "location": {"path": d.path, "lines": {"begin": d.line}},
    } for d in diagnostics]
    return json.dumps(issues, ensure_ascii=False, indent=1) + "\n"


CI_FORMATS = {"github": _github, "gitlab": _gitlab}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是日期，应写成 2025-06-30 这样的形式") from None


def cmd_new(args) -> int:
    target = Path(args.folder)
    name = args.site_name or "某某市人民政府"
    try:
        written = scaffold.new_site(target, site_name=name, site_url=args.site_url,
                                    gazette_name=args.gazette_name or f"{name}公报", ci=args.ci)
    except scaffold.ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已在 {target} 中新建站点（{len(written)} 个文件）。下一步：")
    print(("" if args.folder == "." else f"  cd {target}\n") + "  gazette check\n  mkdocs build        # 生成 site/")
    print("标有“示例”的内容请改写或删除；mkdocs.yml 中的网站名称和地址请核对。")
    return 0


def cmd_new_file(args) -> int:
    cfg, docs_dir, _config_file, raw = load_options(args.config_file, None, need_config=True)
    clock.TIMEZONE = cfg.timezone
    site_name = str(raw.get("site_name") or "")
    try:
        if args.command == "new-issue":
            path = scaffold.new_issue(Path(docs_dir), cfg.gazette_dir, args.year, args.number,
                                      published=args.published, serial=args.serial, site_name=site_name)
        else:
            path = scaffold.new_item(Path(docs_dir), cfg.gazette_dir, args.year, args.number, args.name,
                                     title=args.title, doc_number=args.doc_number, issuer=args.issuer,
                                     genre=args.genre, column=args.column, published=args.published,
                                     site_name=site_name)
    except scaffold.ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已新建 {os.path.relpath(path)}，请打开补全后运行 gazette check")
    return 0


def _import_target(args, cfg, docs_dir: str):
    from gazette.importer.run import Target

    folder = Path(args.into).resolve()
    docs = Path(docs_dir).resolve()
    if folder != docs and docs not in folder.parents:
        _stop(f"--into {args.into} 不在内容目录 {os.path.relpath(docs)} 之内：导入的文件只能写进网站的内容目录")
    parts = folder.relative_to(docs).parts
    gazette = len(parts) == 3 and parts[0] == cfg.gazette_dir and parts[1].isdigit() and parts[2].isdigit()
    if gazette and not (folder / "index.md").is_file():
        _stop(f"{args.into} 中还没有这一期的 index.md，请先运行 gazette new issue {int(parts[1])} {int(parts[2])}")
    if not gazette:
        columns = {c.path: c.name for top in read_columns(cfg.columns, []) for c in top.walk()}
        column = "/".join(parts[1:])
        if len(parts) < 2 or parts[0] != cfg.disclosure_dir or column not in columns:
            known = "、".join(f"{path}（{name}）" for path, name in columns.items())
            _stop(f"--into 应为公报某一期的文件夹（如 {os.path.relpath(docs)}/{cfg.gazette_dir}/2024/03）"
                  f"或已在 mkdocs.yml 中配置的公开栏目的文件夹（{cfg.disclosure_dir}/ 下的 {known}），而不是 {args.into}")
    defaults = {"column": args.column, "issuer": args.issuer, "published": args.published}
    return Target(folder, docs, gazette, {k: v for k, v in defaults.items() if v is not None})


def _import_sources(paths: list[str]) -> list[str]:
    """The files named, and the importable files inside the folders named, in a stable order."""
    from gazette.importer.run import READERS

    out = []
    for path in paths:
        if os.path.isdir(path):
            for base, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out += [os.path.join(base, f) for f in sorted(files)
                        if os.path.splitext(f)[1].lower() in READERS and not f.startswith(".")]
        else:
            out.append(path)
    return out


def _shown(path: str) -> str:
    """A path as the report prints it: relative below the current folder, else absolute as given
    (a source in /data/旧网站 is not shown as ../../../data/旧网站)."""
    rel = os.path.relpath(os.path.abspath(path))
    return (os.path.abspath(path) if rel == ".." or rel.startswith(".." + os.sep) else rel).replace(os.sep, "/")


def cmd_import(args) -> int:
    from gazette.disclosure import annual
    from gazette.diagnostics import Report
    from gazette.importer import report as import_report
    from gazette.importer.run import Importer

    cfg, docs_dir, config_file, raw = load_options(args.config_file, None, need_config=True)
    clock.TIMEZONE = cfg.timezone
    target = _import_target(args, cfg, docs_dir)
    project_dir = os.path.dirname(os.path.abspath(config_file)) if config_file else os.getcwd()
    site_url = raw.get("site_url") if isinstance(raw.get("site_url"), str) else None
    checker = safety.Checker(docs_dir, spam_terms=cfg.spam_terms, allowed_domains=cfg.allowed_domains,
                             site_url=site_url)
    dirs = [os.path.join(os.path.dirname(annual.__file__), "..", "data")]
    dirs += [os.path.join(project_dir, d) for d in cfg.report_formats if isinstance(d, str)]
    formats = annual.load_formats(dirs, project_dir, Report())
    sources = _import_sources(args.sources)
    importer = Importer(target, checker, formats=formats, to_simplified=args.to_simplified, force=args.force,
                        shown=_shown)
    outcomes = importer.run(sources)
    print(import_report.as_json(outcomes) if args.format == "json" else import_report.as_text(outcomes))
    trouble = any(o.status in ("未导入", "保留编辑改动") or o.flagged for o in outcomes)
    return 1 if trouble else 0


class _ChineseHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese: editors read `gazette … --help` and its errors."""

    def __init__(self, **kwargs):
        super().__init__(formatter_class=_ChineseHelp, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本说明后退出")

    def error(self, message):
        for english, chinese in _ARGPARSE_ERRORS:
            message = re.sub(english, chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}\n")


_ARGPARSE_ERRORS = (
    (r"argument \{[^}]*\}: invalid choice: '([^']*)'.*", r"没有「\1」这个命令，可用的命令：check、new、import"),
    (r"argument ([^:]+): invalid choice: '([^']*)' \(choose from (.*)\)", r"\1 不能是「\2」，可选：\3"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
    (r"argument ([^:]+): expected one argument", r"\1 后面要写一个值"),
    (r"argument ([^:]+): invalid int value: '([^']*)'", r"\1 应为整数，实际是「\2」"),
    (r"argument ([^:]+): ", r"\1："),
)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="gazette", description="政府公报与政务公开发布系统")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{check,new,import}")

    p = sub.add_parser("check", help="检查内容文件（不生成网站）")
    p.add_argument("docs_dir", nargs="?", metavar="内容目录", help="内容目录，默认取 mkdocs.yml 的 docs_dir")
    p.add_argument("-f", "--config-file", metavar="mkdocs.yml", help="mkdocs.yml 的路径")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.add_argument("--format", choices=["text", "json", *CI_FORMATS], default="text",
                   help="输出格式：text（默认）、json、github（GitHub Actions 的标注）或 gitlab（GitLab 代码质量报告）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="在空文件夹中新建站点；gazette new issue / gazette new item 新建一期、一篇")
    p.add_argument("folder", nargs="?", default=".", metavar="目录", help="新站点的文件夹（默认当前文件夹，须为空）")
    p.add_argument("--site-name", metavar="名称", help="网站名称，例如「某某市人民政府」")
    p.add_argument("--site-url", default="https://www.example.gov.cn/", metavar="网址", help="网站正式地址")
    p.add_argument("--gazette-name", metavar="公报名称", help="公报名称，默认为「网站名称 + 公报」")
    p.add_argument("--ci", choices=sorted(scaffold.CI_FILES), help="同时写出这个平台的 CI 配置和发布脚本")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="把 Word、PDF、旧网站网页和文本导入为条目文件")
    p.add_argument("sources", nargs="+", metavar="来源", help=".docx、.pdf、.html、.txt 文件，或存放它们的文件夹")
    p.add_argument("--into", required=True, metavar="目录",
                   help="写到哪里：公报某一期的文件夹（docs/gazette/2024/03）或公开栏目的文件夹")
    p.add_argument("--to-simplified", action="store_true", help="把繁体字转换为简体字（默认保持原文）")
    p.add_argument("--force", action="store_true", help="覆盖编辑改过的文件（默认保留编辑的改动）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="报告格式：text（默认）或 json")
    p.add_argument("--column", metavar="栏目", help="原文没有写明时，本次导入的条目所属栏目（公报各期）")
    p.add_argument("--issuer", metavar="机构", help="原文没有写明时，本次导入的条目的发文机关")
    p.add_argument("--published", type=_date, metavar="日期", help="原文没有写明时，本次导入的条目的发布日期")
    p.add_argument("-f", "--config-file", metavar="mkdocs.yml", help="mkdocs.yml 的路径")
    p.set_defaults(func=cmd_import)

    for command, what in (("new-issue", "期"), ("new-item", "篇")):
        # Reached as `gazette new issue|item` (argv is rewritten below), so not listed on their own.
        p = sub.add_parser(command, prog=f"gazette new {command[4:]}", description=f"新建一{what}")
        p.add_argument("year", type=int, metavar="年份", help="例如 2025")
        p.add_argument("number", type=int, metavar="期号", help="例如 7")
        if command == "new-item":
            p.add_argument("name", nargs="?", metavar="文件名", help="文件名（小写英文字母、数字和“-”），不写则由文号生成")
            p.add_argument("--title", required=True, metavar="标题", help="文件标题")
            p.add_argument("--doc-number", metavar="文号", help="文号，例如 某府发〔2025〕3号")
            p.add_argument("--issuer", metavar="机构", help="发布机构")
            p.add_argument("--genre", metavar="文种", help="文种，例如 通知")
            p.add_argument("--column", metavar="栏目", help="本篇在这一期目录中的栏目，例如 市政府文件")
        else:
            p.add_argument("--serial", type=int, metavar="总期号", help="总期号")
        p.add_argument("--published", type=_date, metavar="日期", help="发布（出版）日期，默认今天")
        p.add_argument("-f", "--config-file", metavar="mkdocs.yml", help="mkdocs.yml 的路径")
        p.set_defaults(func=cmd_new_file)

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["new"] and argv[1:2] in (["issue"], ["item"]):
        argv[:2] = [f"new-{argv[1]}"]
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `gazette check | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
