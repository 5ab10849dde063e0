"""The abbreviation table (data/abbreviations.txt) the search page applies to queries.

Readers type 卫健委, documents print 卫生健康委员会: the browser looks for a query as typed and with its
abbreviations written out (search.js `variants`), so either finds the document. The table is data, shipped
in the search manifest; this reads and checks it.
"""

from __future__ import annotations

import os

from gazette import DATA_DIR

PATH = os.path.join(DATA_DIR, "abbreviations.txt")


def load(path: str = PATH) -> list[list[str]]:
    """[abbreviation, full form] pairs, longest abbreviation first (so 医保局 wins over 医保)."""
    pairs: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) != 2 or fields[0] in fields[1] or fields[0] in pairs:
                raise ValueError(f"{path}:{n}: 每行应为「简称 全称」，全称不含简称，简称不重复")
            pairs[fields[0]] = fields[1]
    return sorted(([s, f] for s, f in pairs.items()), key=lambda p: (-len(p[0]), p[0]))
