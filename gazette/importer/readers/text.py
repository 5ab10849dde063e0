"""Copied text (.txt): one located line per line of the file."""

from __future__ import annotations

import os

from gazette.importer.source import Line, Source, SourceError

MAX_BYTES = 20 * 1024 * 1024  # a text file of this size is not one document's text


def decode(data: bytes, path: str) -> str:
    """Text as an editor's editor would open it: UTF-8 (with or without BOM), UTF-16 with BOM, else
    GB18030 (what Chinese Windows saves as 'ANSI')."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise SourceError(f"{path}：不是文本文件，或编码无法识别（请另存为 UTF-8 编码的 .txt）")


def read(path: str) -> Source:
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise SourceError(f"{path}：文件超过 {MAX_BYTES // 1024 // 1024} MB，不像一篇文件的文字")
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise SourceError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    text = decode(data, path)
    lines = [Line(t, n) for n, t in enumerate(text.splitlines(), 1) if t.strip()]
    return Source(path, lines)
