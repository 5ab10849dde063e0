"""Word (.docx) files: mammoth turns the document into HTML, which is walked into located lines.

Word's automatic list numbering is not text: mammoth would give bare <ol>/<li> and lose "一、" or
"（二）". So before mammoth reads the file, the numbers Word would show are computed from
numbering.xml and written into the paragraphs as text, in the official style of their level
(一、 / （一） / 1. / （1）). Numbering the author typed stays exactly as typed.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..source import Attachment, Line, Source, SourceError
from gazette.safety import filetypes

MAX_FILE = 100 * 1024 * 1024  # bytes on disk
MAX_UNPACKED = 400 * 1024 * 1024  # all parts unpacked: above this it is a zip bomb, not a gazette
MAX_PARTS = 5000
MAX_RATIO = 200  # unpacked / packed for one large part; text XML compresses ~10–30×

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W

# What mammoth may give for an image's content type → the file name's extension.
_EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif", "image/bmp": "bmp",
    "image/tiff": "tif", "image/x-emf": "emf", "image/emf": "emf", "image/x-wmf": "wmf", "image/wmf": "wmf",
    "image/svg+xml": "svg", "image/webp": "webp",
}

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "li", "blockquote", "div"}


def read(path: str) -> Source:
    parts = _unpack(path)
    try:
        parts["word/document.xml"] = _number_paragraphs(parts)
    except SourceError:
        raise
    except Exception:  # a part lxml cannot parse: the file is damaged
        raise SourceError(f"{_name(path)} 已损坏：其中的 Word 正文无法解析，请用 Word 或 WPS 打开后另存为 .docx 再导入") from None
    images: list[Attachment] = []
    try:
        import mammoth

        def convert_image(image):
            ext = _EXTENSIONS.get((image.content_type or "").lower(), "bin")
            name = f"image-{len(images) + 1}.{ext}"
            try:
                with image.open() as stream:
                    data = stream.read(MAX_UNPACKED + 1)
            except Exception:  # a linked (not embedded) picture: never fetched from the disk or the web
                return {"src": ""}
            images.append(Attachment(name, data))
            return {"src": name}

        # mammoth's messages (styles it does not know) are about looks, not content: not the editor's problem.
        # The author's embedded style map is ignored: it could turn paragraphs into any HTML.
        result = mammoth.convert_to_html(io.BytesIO(_pack(parts)), convert_image=mammoth.images.img_element(convert_image),
                                         external_file_access=False, include_embedded_style_map=False)
        html = result.value
    except Exception:
        raise SourceError(f"{_name(path)} 无法读取：文件可能已损坏，请用 Word 或 WPS 打开后另存为 .docx 再导入") from None
    source = Source(path)
    try:
        _walk(html, source, {a.name: a for a in images})
    except (RecursionError, ValueError):  # tables nested thousands deep; text lxml refuses
        raise SourceError(f"{_name(path)} 的结构异常（嵌套过深），无法读取：请用 Word 或 WPS 打开后另存为 .docx 再导入") from None
    if not source.lines:
        source.problems.append((0, f"{_name(path)} 中没有文字：是空文档，或正文只在文本框、页眉页脚中"))
    return source


def _name(path: str) -> str:
    return Path(path).name or path


# -- the file: a bounded zip of XML parts --------------------------------------------------------

def _unpack(path: str) -> dict[str, bytes]:
    name = _name(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE:
            raise SourceError(f"{name} 太大（{size // (1024 * 1024)} MB）：Word 文件不应超过 {MAX_FILE // (1024 * 1024)} MB，请先压缩其中的图片")
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as error:
        raise SourceError(f"{name} 无法打开：{error.strerror or error}") from None
    if not head:
        raise SourceError(f"{name} 是空文件")
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: Word 97–2003, or an encrypted .docx
        raise SourceError(f"{name} 是旧版 Word（.doc）文件或设置了打开密码：请用 Word 或 WPS 去掉密码、另存为 .docx 后再导入")
    if not head.startswith(b"PK"):
        raise SourceError(f"{name} 不是 Word（.docx）文件：请确认文件类型，或用 Word 或 WPS 另存为 .docx 后再导入")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_PARTS:
                raise SourceError(f"{name} 内部文件过多（{len(infos)} 个），不像正常的 Word 文件，已拒绝")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED or any(i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
                                           for i in infos):
                raise SourceError(f"{name} 解压后过大（压缩炸弹？），已拒绝导入")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise SourceError(f"{name} 不是 Word（.docx）文件：压缩包中没有 Word 正文（可能是 Excel、PowerPoint 或其他压缩文件）")
            parts = {}
            for info in infos:
                if info.is_dir():
                    continue
                # zipfile stops at the declared size, so a lying header cannot unpack more than `total`
                data = z.read(info)
                if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in data[:4096].upper():
                    raise SourceError(f"{name} 含有 XML 文档类型声明（DOCTYPE），正常的 Word 文件没有，已拒绝导入")
                parts[info.filename] = data
            return parts
    except SourceError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, OSError, EOFError, ValueError,
            RuntimeError):
        # RuntimeError: a zip encrypted with a password; NotImplementedError: an unknown compression
        raise SourceError(f"{name} 已损坏或不是 Word（.docx）文件：请用 Word 或 WPS 打开后另存为 .docx 再导入") from None


def _pack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _xml(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    return etree.fromstring(data, parser)


# -- automatic numbering made text ---------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (the counting of 一、二、… and （一）（二）…)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and not out) else _DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def official_number(level: int, n: int) -> str:
    """The number an official document shows at a list level (0-based): 一、 （一） 1. （1）."""
    if level == 0:
        return f"{chinese_number(n)}、"
    if level == 1:
        return f"（{chinese_number(n)}）"
    if level == 2:
        return f"{n}."
    if level == 3:
        return f"（{n}）"
    return f"{n})"


def _val(element, child: str) -> str | None:
    if element is None:
        return None
    found = element.find(_W + child)
    return None if found is None else found.get(_W + "val")


def _number_paragraphs(parts: dict[str, bytes]) -> bytes:
    """document.xml with each auto-numbered paragraph's number written as its first run."""
    document = _xml(parts["word/document.xml"])
    if "word/numbering.xml" not in parts:
        return parts["word/document.xml"]
    numbering = _xml(parts["word/numbering.xml"])
    styles = _xml(parts["word/styles.xml"]) if "word/styles.xml" in parts else None

    abstracts = {a.get(_W + "abstractNumId"): a for a in numbering.iter(_W + "abstractNum")}
    nums = {n.get(_W + "numId"): n for n in numbering.iter(_W + "num")}
    style_by_id = {} if styles is None else {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}

    def style_numbering(style_id):
        """(numId, ilvl) a paragraph style gives, through its basedOn chain."""
        seen = set()
        while style_id and style_id not in seen and style_id in style_by_id:
            seen.add(style_id)
            style = style_by_id[style_id]
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                return _val(num_pr, "numId"), _val(num_pr, "ilvl")
            based = style.find(_W + "basedOn")
            style_id = None if based is None else based.get(_W + "val")
        return None, None

    def abstract_of(num_id, depth=0):
        num = nums.get(num_id)
        if num is None or depth > 5:
            return None, None
        abstract = abstracts.get(_val(num, "abstractNumId") if num.find(_W + "abstractNumId") is not None else None)
        if abstract is None:
            return None, None
        link = _val(abstract, "numStyleLink")
        if link is not None:  # the numbering lives in a numbering style
            linked_num, _ = style_numbering(link)
            return abstract_of(linked_num, depth + 1) if linked_num else (None, None)
        return abstract.get(_W + "abstractNumId"), abstract

    counters: dict[str, dict[int, int]] = {}
    overridden: set[str] = set()
    for p in document.iter(_W + "p"):
        p_pr = p.find(_W + "pPr")
        num_pr = None if p_pr is None else p_pr.find(_W + "numPr")
        style_id = _val(p_pr, "pStyle")
        num_id, ilvl = (_val(num_pr, "numId"), _val(num_pr, "ilvl")) if num_pr is not None else (None, None)
        if num_id is None:
            style_num, style_lvl = style_numbering(style_id)
            num_id = style_num
            ilvl = ilvl if ilvl is not None else style_lvl
        if not num_id or num_id == "0":
            continue
        key, abstract = abstract_of(num_id)
        if abstract is None:
            continue
        if ilvl is None:  # a level tied to the paragraph style by <w:pStyle> in the numbering
            ilvl = next((lvl.get(_W + "ilvl") for lvl in abstract.iter(_W + "lvl") if _val(lvl, "pStyle") == style_id), "0")
        try:
            level = max(0, min(8, int(ilvl)))
        except ValueError:
            level = 0
        lvl = next((x for x in abstract.iter(_W + "lvl") if x.get(_W + "ilvl") == str(level)), None)
        fmt = _val(lvl, "numFmt")
        if fmt in ("bullet", "none"):
            continue  # bullets carry no number; mammoth keeps them as a list
        levels = counters.setdefault(key, {})
        num = nums[num_id]
        if num_id not in overridden:  # <w:lvlOverride><w:startOverride> restarts this instance's levels
            overridden.add(num_id)
            for override in num.iter(_W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None and start.isdigit():
                    levels[int(override.get(_W + "ilvl") or 0)] = int(start) - 1
        start = _val(lvl, "start")
        first = int(start) if start and start.isdigit() else 1
        levels[level] = levels[level] + 1 if level in levels else first
        for deeper in [k for k in levels if k > level]:
            del levels[deeper]  # a higher level moved on: the lower levels start again
        # Mammoth must not see the numbering any more (it would make a bare <ol>): numId 0 means "none".
        if p_pr is None:
            p_pr = etree.Element(_W + "pPr")
            p.insert(0, p_pr)
        if num_pr is None:
            num_pr = etree.SubElement(p_pr, _W + "numPr")
        for child in list(num_pr):
            num_pr.remove(child)
        etree.SubElement(num_pr, _W + "ilvl").set(_W + "val", "0")
        etree.SubElement(num_pr, _W + "numId").set(_W + "val", "0")
        run = etree.Element(_W + "r")
        text = etree.SubElement(run, _W + "t")
        text.text = official_number(level, levels[level])
        p_pr.addnext(run)
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- the HTML mammoth made, as lines -------------------------------------------------------------

def _clean(text: str) -> str:
    return text.replace("\t", " ").strip()  # the spaces and tabs that pushed a signature to the right


class _Walker:
    def __init__(self, source: Source, images: dict[str, Attachment]):
        self.source = source
        self.images = images
        self.paragraph = 0

    def block(self, element, heading: int = 0) -> None:
        """One paragraph: its text (split at manual line breaks) and its images, as lines."""
        self.paragraph += 1
        pieces: list[str] = [""]
        pictures: list[str] = []
        self._inline(element, pieces, pictures)
        for piece in pieces:
            text = _clean(piece)
            if text:
                self.source.lines.append(Line(text, self.paragraph, heading=heading))
        self.pictures(pictures)

    def pictures(self, names: list[str]) -> None:
        for name in names:
            attachment = self.images.get(name)
            if attachment is None:
                self.source.problems.append((self.paragraph, f"第{self.paragraph}段的图片链接到文档以外的文件，没有导入：请把图片嵌入文档后再导入，或另行上传"))
                continue
            if not filetypes.publishable(name):  # an SVG runs script from the site's address; unknown types too
                self.source.problems.append((self.paragraph, f"第{self.paragraph}段的图片是 {filetypes.extension(name).upper()} "
                                             "格式，网站不发布这类文件，没有导入：请在 Word 中把它另存为 PNG 或 JPG 图片后再导入"))
                continue
            if attachment.at == 0:
                attachment.at = self.paragraph
                self.source.attachments.append(attachment)
            self.source.lines.append(Line(f"![]({name})", self.paragraph))

    def _inline(self, element, pieces: list[str], pictures: list[str]) -> None:
        if element.text:
            pieces[-1] += element.text
        for child in element:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br":
                pieces.append("")
            elif child.tag == "img":
                pictures.append(child.get("src") or "")
            elif child.tag == "a" and (child.get("href") or "").startswith("#footnote-ref") or \
                    child.tag == "a" and (child.get("href") or "").startswith("#endnote-ref"):
                pass  # the "↑" back to the reference
            else:
                self._inline(child, pieces, pictures)
            if child.tail:
                pieces[-1] += child.tail

    def table(self, element) -> None:
        self.paragraph += 1
        rows: list[list[str]] = []
        pictures: list[str] = []
        for tr in element.iter("tr"):
            if _owner_table(tr) is not element:
                continue  # a nested table's rows are read as its cell's text
            cells = []
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                pieces: list[str] = [""]
                self._cell(cell, pieces, pictures)
                cells.append("\n".join(t for t in (_clean(p) for p in pieces) if t))
            rows.append(cells)
        if any(any(c for c in row) for row in rows):
            text = "\n".join(c for row in rows for c in row if c)
            self.source.lines.append(Line(text, self.paragraph, rows=rows))
        self.pictures(pictures)

    def _cell(self, element, pieces: list[str], pictures: list[str]) -> None:
        """A cell's text: its paragraphs on lines of their own."""
        if element.text:
            pieces[-1] += element.text
        for child in element:
            if isinstance(child.tag, str):
                if child.tag in _BLOCKS or child.tag in ("tr", "td", "th") or child.tag == "br":
                    pieces.append("")
                if child.tag == "img":
                    pictures.append(child.get("src") or "")
                elif child.tag != "br":
                    self._cell(child, pieces, pictures)
                if child.tag in _BLOCKS:
                    pieces.append("")
            if child.tail:
                pieces[-1] += child.tail

    def walk(self, container) -> None:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.block(child, heading=int(tag[1]))
            elif tag == "table":
                self.table(child)
            elif tag in ("ul", "ol"):
                self.walk(child)
            elif tag == "li":
                # a bullet (or a footnote) item: its own text, then any list nested in it
                nested = [c for c in child if isinstance(c.tag, str) and c.tag in ("ul", "ol", "table", "p")]
                if nested:
                    own = lxml_html.Element("p")
                    own.text = child.text
                    for c in list(child):
                        if c in nested:
                            break
                        own.append(c)
                    if (own.text or "").strip() or len(own):
                        self.block(own)
                    self.walk(child)
                else:
                    self.block(child)
            elif tag in ("p", "blockquote", "div") and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in child):
                self.walk(child)
            else:
                self.block(child)


def _owner_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _walk(html: str, source: Source, images: dict[str, Attachment]) -> None:
    if not html.strip():
        return
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    _Walker(source, images).walk(root)
