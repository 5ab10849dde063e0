"""What a failed build tells the editor, in Chinese, instead of a traceback."""

from __future__ import annotations

import errno
import os

from mkdocs.structure.pages import Page

_OS_REASONS = {errno.ENOSPC: "磁盘空间已满", errno.EROFS: "文件系统只读", errno.EACCES: "没有写入权限",
               errno.EPERM: "没有写入权限", errno.EDQUOT: "超出磁盘配额", errno.ENOTDIR: "路径中有同名文件挡住了目录"}


def os_problem(exc: OSError) -> str:
    text = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
    return f"{text}：{exc.filename}" if exc.filename else text


def shown(path: str) -> str:
    """A path as the editor sees it: relative to the working folder when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def not_published(errors: int, site_dir: str | None, what: str = "错误", why: str = "") -> str:
    """`site_dir` None: a `mkdocs serve` preview, whose folder is a temporary one of no interest."""
    found = f"内容检查发现 {errors} 处{what}（见上方各行：文件:行号: 说明），{why}"
    if site_dir is None:
        return found + "预览没有更新，请修改后保存。"
    return found + f"本次没有发布；原有的 {os.path.basename(os.path.normpath(site_dir))}/ 保持不变。"


def explain_error(error: BaseException) -> str:
    """A Chinese message for an unexpected exception, naming the page being built if there was one."""
    page = None
    tb = error.__traceback__
    while tb is not None:  # the innermost frame that was working on a page
        candidate = tb.tb_frame.f_locals.get("page")
        if isinstance(candidate, Page):
            page = candidate
        tb = tb.tb_next
    where = ""
    if page is not None and page.file is not None:
        where = f"{shown(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri}:1: "
    if isinstance(error, OSError):
        return f"{where}写入或读取文件时出错（{os_problem(error)}），本次没有发布；原有站点保持不变。"
    if isinstance(error, RecursionError):
        return f"{where}页面内容嵌套过深，无法生成，本次没有发布；原有站点保持不变。"
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return (f"{where}生成{'此页面' if where else '网站'}时出现意外错误（{type(error).__name__}: {detail}），"
            "本次没有发布；原有站点保持不变。请把这条信息告诉网站技术人员。")
