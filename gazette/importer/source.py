"""What every reader produces: a source's text as located lines, whatever the file was."""

from __future__ import annotations

from dataclasses import dataclass, field


# The labels of an old site's 信息表 (in a page's table, or copied as 「文号：…」 lines) → the
# content format's keys; simplified and traditional forms, as sites print them.
INFO_LABELS: dict[str, str] = {
    **dict.fromkeys(["索引号", "信息索引号", "索引", "索取号", "信息索取号", "索引號", "索取號", "信息索引號"], "index_no"),
    **dict.fromkeys(["主题分类", "主题", "分类", "信息分类", "主题类别", "主题分类号", "主題分類", "主題", "分類",
                     "信息分類"], "subject"),
    **dict.fromkeys(["发文机关", "发布机构", "发文单位", "发布机关", "发布单位", "发文机构", "制发机关", "成文机关",
                     "发布部门", "发文部门", "所属机构", "信息发布机构", "发文机关名称", "發文機關", "發布機構",
                     "發佈機構", "發文單位", "發布機關", "發布單位", "制發機關", "成文機關"], "issuer"),
    **dict.fromkeys(["成文日期", "成文时间", "发文日期", "印发日期", "制发日期", "生成日期", "成文時間", "發文日期",
                     "印發日期", "制發日期"], "written"),
    **dict.fromkeys(["文号", "发文字号", "发文文号", "文件编号", "文件字号", "文件文号", "文號", "發文字號",
                     "發文文號", "文件編號"], "doc_number"),
    **dict.fromkeys(["发布日期", "发布时间", "公开日期", "公开时间", "发布日", "發布日期", "發佈日期", "發布時間",
                     "發佈時間", "公開日期", "公開時間"], "published"),
    **dict.fromkeys(["标题", "名称", "文件名称", "信息名称", "文件标题", "公文标题", "文件名", "標題", "名稱",
                     "文件名稱", "信息名稱", "文件標題"], "title"),
}


@dataclass
class Line:
    """One line or paragraph of a source, as written, and where it was."""

    text: str
    at: int  # the line of a text or HTML file; the paragraph of a Word file; the line of a PDF page
    page: int = 0  # a PDF's page (1-based), else 0
    heading: int = 0  # the heading level a Word file or a web page gave it (1–6), else 0
    rows: list[list[str]] | None = None  # a table, as rows of cell texts (`text` then holds its cells, one per line)

    @property
    def where(self) -> str:
        """The place an editor looks for it: 「12」 or 「第3页第12行」."""
        return f"第{self.page}页第{self.at}行" if self.page else str(self.at)


@dataclass
class Attachment:
    """A file a source carries or names (an image of a Word file, a linked PDF)."""

    name: str
    data: bytes | None = None  # the file's bytes when the source holds them
    at: int = 0


@dataclass
class Source:
    path: str
    lines: list[Line] = field(default_factory=list)
    # Fields the page states in its own structure (an old site's 信息表), as the content format's
    # keys: title, index_no, subject, issuer, written, doc_number, published → (text, line).
    stated: dict[str, tuple[str, int]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, Chinese message): e.g. a scanned PDF


class SourceError(Exception):
    """A source that cannot be read at all; the message is Chinese."""
