"""Make Pagefind's bundle byte-identical for the same input.

Pagefind writes its filter chunks (and so the metadata file naming them) in hash-map
order, which changes from run to run (Pagefind issue #638); the index chunks and
fragments are already stable. Here the filter chunks are re-written with their values
sorted, renamed after their content, and the metadata and entry file follow. Every file
is decoded and re-encoded with a minimal CBOR codec; if re-encoding would not give
Pagefind's own bytes back, nothing is touched.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os

SIGNATURE = b"pagefind_dcd"


class _Raw:
    """A CBOR item kept as its bytes (floats, simple values)."""

    def __init__(self, data: bytes):
        self.data = data


def _decode(buf: bytes, pos: int = 0):
    head = buf[pos]
    major, info = head >> 5, head & 31
    pos += 1
    if major == 7:
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
        return _Raw(buf[pos - 1:pos + size]), pos + size
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(buf[pos:pos + size], "big")
        pos += size
    else:
        raise ValueError("indefinite length")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return bytes(buf[pos:pos + arg]), pos + arg
    if major == 3:
        return buf[pos:pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        out = []
        for _ in range(arg):
            item, pos = _decode(buf, pos)
            out.append(item)
        return out, pos
    if major == 5:
        pairs = []
        for _ in range(arg):
            k, pos = _decode(buf, pos)
            v, pos = _decode(buf, pos)
            pairs.append((k, v))
        return ("map", pairs), pos
    raise ValueError(f"CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("too large")


def _encode(item) -> bytes:
    if isinstance(item, _Raw):
        return item.data
    if isinstance(item, bool):
        raise ValueError("bool")
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        data = item.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(_encode(x) for x in item)
    if isinstance(item, tuple) and item[0] == "map":
        return _head(5, len(item[1])) + b"".join(_encode(k) + _encode(v) for k, v in item[1])
    raise ValueError(type(item))


def _read(path: str):
    data = gzip.decompress(open(path, "rb").read())
    if not data.startswith(SIGNATURE):
        raise ValueError("signature")
    body = data[len(SIGNATURE):]
    item, end = _decode(body)
    if end != len(body) or _encode(item) != body:
        raise ValueError("not reproducible by this codec")
    return item


def _write(path: str, item) -> None:
    with open(path, "wb") as fh:
        # mtime 0 and no file name: the same bytes on every run
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
            gz.write(SIGNATURE + _encode(item))


def _replace(item, names: dict[str, str]):
    if isinstance(item, str):
        return names.get(item, item)
    if isinstance(item, list):
        out = [_replace(x, names) for x in item]
        if out and all(isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) and x[1] in names.values()
                       for x in out):
            out.sort(key=lambda x: x[0])  # the filters named in the metadata
        return out
    if isinstance(item, tuple) and item and item[0] == "map":
        return ("map", [(_replace(k, names), _replace(v, names)) for k, v in item[1]])
    return item


def stabilise(bundle: str) -> bool:
    """Rewrite the filter chunks and metadata of a Pagefind bundle in a stable order. False if left as is."""
    entry_path = os.path.join(bundle, "pagefind-entry.json")
    try:
        with open(entry_path, encoding="utf-8") as fh:
            entry = json.load(fh)
        plans = []
        for lang, info in entry["languages"].items():
            meta_path = os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta")
            meta = _read(meta_path)
            filters = {}
            for path in glob.glob(os.path.join(bundle, "filter", f"{lang}_*.pf_filter")):
                item = _read(path)
                name, values = item
                values = sorted(values, key=lambda v: v[0])
                filters[path] = [name, values]
            plans.append((lang, info, meta_path, meta, filters))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return False
    for lang, info, meta_path, meta, filters in plans:
        names = {}
        for path, item in filters.items():
            digest = hashlib.sha1(_encode(item)).hexdigest()[:7]
            old = os.path.basename(path)[: -len(".pf_filter")]
            new = f"{lang}_{digest}"
            names[old] = new
            os.remove(path)
            _write(os.path.join(bundle, "filter", new + ".pf_filter"), item)
        meta = _replace(meta, names)
        new_hash = f"{lang}_{hashlib.sha1(_encode(meta)).hexdigest()[:10]}"
        os.remove(meta_path)
        _write(os.path.join(bundle, f"pagefind.{new_hash}.pf_meta"), meta)
        info["hash"] = new_hash
    with open(entry_path, "w", encoding="utf-8") as fh:
        json.dump(entry, fh, ensure_ascii=False, separators=(",", ":"))
    return True
