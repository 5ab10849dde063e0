"""The `gazette` command: what editors run (`gazette check`). Developer tools are in tools/."""

from __future__ import annotations

import argparse
import os
import sys
import time

from gazette import clock
from gazette.safety import rules as safety
from gazette.build.config import GazetteConfig, check_timezone
from gazette.content.columns import read_columns
from gazette.disclosure import rules as disclosure
from gazette.model.addresses import declared as reserved_addresses
from gazette.content.records import Layout, discover, unsafe_links
from gazette.validation import Site, check_site, markdown_settings


def load_options(config_file: str | None, docs_dir: str | None) -> tuple[GazetteConfig, str, str | None, dict]:
    """The plugin's options, docs_dir, the mkdocs.yml used and its contents, without building anything."""
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
        raise SystemExit(f"找不到配置文件 {config_file}")
    options: dict = {}
    for entry in raw.get("plugins", []) or []:
        if isinstance(entry, dict) and "gazette" in entry:
            options = entry["gazette"] or {}
    cfg = GazetteConfig()
    cfg.load_dict(options)
    errors, _ = cfg.validate()
    if errors:
        raise SystemExit("mkdocs.yml 中 gazette 插件的配置有误：" + "；".join(f"{k}: {e}" for k, e in errors))
    if docs_dir is None:
        base = os.path.dirname(os.path.abspath(used)) if used else os.getcwd()
        docs_dir = os.path.join(base, raw.get("docs_dir", "docs"))
    return cfg, docs_dir, used, raw


def _misconfigured(what: str, problems: list[str]) -> int:
    print(f"mkdocs.yml 中 gazette 插件的{what}有误：\n  " + "\n  ".join(problems), file=sys.stderr)
    return 2


def cmd_check(args) -> int:
    cfg, docs_dir, config_file, raw = load_options(args.config_file, args.docs_dir)
    if not os.path.isdir(docs_dir):
        print(f"找不到内容目录 {docs_dir}", file=sys.stderr)
        return 2
    problems: list[str] = []
    columns = read_columns(cfg.columns, problems)
    if problems:
        return _misconfigured("栏目配置", problems)
    directory_urls = bool(raw.get("use_directory_urls", True))
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(columns), reserved_addresses(cfg, directory_urls))
    check_timezone(cfg.timezone, problems)
    clock.TIMEZONE = cfg.timezone  # the build day (latest allowed date) as the build would see it

    project_dir = os.path.dirname(os.path.abspath(config_file)) if config_file else os.getcwd()
    setup = disclosure.Setup.from_config(cfg, project_dir, problems)
    if problems:
        return _misconfigured("配置", problems)
    start = time.perf_counter()
    links = unsafe_links(docs_dir)  # reported, never read
    srcs = discover(docs_dir)
    prefix = os.path.relpath(docs_dir).replace(os.sep, "/")
    site_url = raw.get("site_url") if isinstance(raw.get("site_url"), str) else None
    markdown = markdown_settings(raw, config_file)
    toc = markdown[1].get("toc") or markdown[1].get("markdown.extensions.toc") or {}
    site = Site(cfg, docs_dir, "" if prefix == "." else prefix, layout, site_url, toc, markdown, directory_urls)
    records, report, _checker = check_site(site, srcs=srcs, set_checks=setup.set_checks(docs_dir), links=links)
    elapsed = time.perf_counter() - start
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    if args.format == "json":
        print(report.to_json())
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
            f"检查了 {len(srcs)} 个文件（{len(records.issues)} 期、{len(records.items)} 篇有效），"
            f"{len(report.errors)} 处错误，{len(report.warnings)} 处警告，用时 {elapsed:.1f} 秒。"
            + ("请按上面的提示修改后再发布。" if failed else ""),
            file=sys.stderr,
        )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gazette", description="政府公报与政务公开发布系统")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查内容文件（不生成网站）")
    p.add_argument("docs_dir", nargs="?", help="内容目录，默认取 mkdocs.yml 的 docs_dir")
    p.add_argument("-f", "--config-file", help="mkdocs.yml 的路径")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式：text（默认）或 json")
    p.set_defaults(func=cmd_check)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
