"""A fast QR encoder for the short addresses: byte mode, versions 1-6, mask 0.

segno takes about 1.5 ms per code even with a fixed mask (it places and masks
module by module in Python); at 50,000 codes that is over a minute. For one
version, error level and mask, everything but the data modules is the same in
every symbol, and the data modules always sit in the same order. So each
(version, level) gets a template once, and a code is then: build the codeword
bit string, Reed-Solomon with integer arithmetic, XOR with the mask, and one
C-level gather into the template. About a tenth of segno's time.

The result is the symbol segno makes for the same text, error level ("m",
boosted) and mask (tests compare the two on thousands of strings); anything
outside the fast path (non-ASCII text, text segno would put in numeric or
alphanumeric mode, versions above 6) is left to segno.
"""

from __future__ import annotations

import functools
import operator

from segno import consts

LEVELS = {"L": consts.ERROR_LEVEL_L, "M": consts.ERROR_LEVEL_M, "Q": consts.ERROR_LEVEL_Q, "H": consts.ERROR_LEVEL_H}
_BOOST_ORDER = ("L", "M", "Q", "H")
MAX_FAST_VERSION = 6  # from version 7 on, symbols carry version information blocks
MASK = 0
_ALNUM = frozenset(consts.ALPHANUMERIC_CHARS.decode("ascii"))
_EXP = consts.GALIOS_EXP
_LOG = consts.GALIOS_LOG


def _capacity(version: int, level: str) -> int:
    return consts.SYMBOL_CAPACITY[version][LEVELS[level]]  # in bits


def choose(length: int, level: str = "M") -> tuple[int, str] | None:
    """(version, boosted level) for `length` bytes in byte mode, or None beyond the fast path."""
    bits = 4 + 8 + 8 * length  # mode, character count (8 bits up to version 9), data
    for version in range(1, MAX_FAST_VERSION + 1):
        if _capacity(version, level) >= bits:
            # Like segno's boost_error: the highest level that still fits this version.
            for better in _BOOST_ORDER[_BOOST_ORDER.index(level) + 1:]:
                if _capacity(version, better) >= bits:
                    level = better
                else:
                    break
            return version, level
    return None


@functools.lru_cache(maxsize=None)
def _generator_table(n: int) -> tuple[int, ...]:
    """For each leading factor f, the generator polynomial times f as one integer of n bytes."""
    gen = consts.GEN_POLY[n]  # exponents of the coefficients after the leading 1
    table = [0]
    for f in range(1, 256):
        lf = _LOG[f]
        value = 0
        for g in gen:
            value = (value << 8) | _EXP[lf + g]
        table.append(value)
    return tuple(table)


def _ecc(block: bytes, n: int) -> bytes:
    """Reed-Solomon remainder of a block: polynomial division with the remainder held in one int."""
    table = _generator_table(n)
    shift = 8 * (n - 1)
    full = (1 << (8 * n)) - 1
    rem = 0
    for byte in block:
        factor = (rem >> shift) ^ byte
        rem = ((rem << 8) & full) ^ table[factor]
    return rem.to_bytes(n, "big")


class _Template:
    """Function patterns, format information and the order of the data modules of one symbol kind."""

    def __init__(self, version: int, level: str):
        size = 17 + 4 * version
        self.size = size
        grid: list[list[int | None]] = [[None] * size for _ in range(size)]

        def finder(r0: int, c0: int) -> None:
            for r in range(-1, 8):
                for c in range(-1, 8):
                    rr, cc = r0 + r, c0 + c
                    if 0 <= rr < size and 0 <= cc < size:
                        ring = max(abs(r - 3), abs(c - 3))
                        grid[rr][cc] = 1 if ring in (0, 1, 3) else 0

        finder(0, 0)
        finder(0, size - 7)
        finder(size - 7, 0)
        for i in range(8, size - 8):  # timing patterns
            grid[6][i] = grid[i][6] = 1 - (i & 1)
        if version >= 2:
            positions = consts.ALIGNMENT_POS[version - 2]
            for r in positions:
                for c in positions:
                    if grid[r][c] is not None:
                        continue  # overlaps a finder pattern
                    for dr in range(-2, 3):
                        for dc in range(-2, 3):
                            grid[r + dr][c + dc] = 1 if max(abs(dr), abs(dc)) != 1 else 0
        # Format information, both copies, and the dark module.
        bits = consts.FORMAT_INFO[LEVELS[level] * 8 + MASK]
        bit = [(bits >> i) & 1 for i in range(15)]
        for i in range(6):
            grid[i][8] = bit[i]
        grid[7][8] = bit[6]
        grid[8][8] = bit[7]
        grid[8][7] = bit[8]
        for i in range(9, 15):
            grid[8][14 - i] = bit[i]
        for i in range(8):
            grid[8][size - 1 - i] = bit[i]
        for i in range(8, 15):
            grid[size - 15 + i][8] = bit[i]
        grid[size - 8][8] = 1

        # The data modules in placement order: two-module columns, right to left, up and down.
        order: list[tuple[int, int]] = []
        right = size - 1
        while right >= 1:
            if right == 6:
                right = 5
            upward = ((right + 1) & 2) == 0
            for vert in range(size):
                r = size - 1 - vert if upward else vert
                for j in range(2):
                    c = right - j
                    if grid[r][c] is None:
                        order.append((r, c))
            right -= 2
        self.capacity = len(order)  # bits, including the remainder bits
        # Mask 0 inverts the modules where row + column is even.
        self.mask = int("".join("1" if (r + c) % 2 == 0 else "0" for r, c in order), 2)
        fixed = "".join(str(v) for row in grid for v in row if v is not None)
        place = {pos: k for k, pos in enumerate(order)}
        gather, f = [], 0
        for r in range(size):
            for c in range(size):
                if grid[r][c] is None:
                    gather.append(len(fixed) + place[(r, c)])
                else:
                    gather.append(f)
                    f += 1
        self.fixed = fixed
        self.gather = operator.itemgetter(*gather)
        ec = consts.ECC[version][LEVELS[level]]
        self.blocks = [(g.num_data, g.num_total - g.num_data) for g in ec for _ in range(g.num_blocks)]
        self.data_bytes = sum(d for d, _ in self.blocks)


@functools.lru_cache(maxsize=None)
def _template(version: int, level: str) -> _Template:
    return _Template(version, level)


def fast_path(text: str) -> bool:
    """Whether segno would encode `text` as one byte-mode segment that this module can draw."""
    if not text.isascii() or text.isdigit() or all(ch in _ALNUM for ch in text):
        return False
    return choose(len(text)) is not None


def encode_rows(text: str, level: str = "M") -> tuple[int, str, tuple[str, ...]] | None:
    """(version, level, rows of "0"/"1") of the QR symbol for `text`, or None to leave it to segno."""
    if not fast_path(text):
        return None
    data = text.encode("ascii")
    version, level = choose(len(data), level)
    t = _template(version, level)
    # Mode 0100, an 8-bit count, the bytes, up to 4 terminator bits, then whole bytes of padding.
    total = t.data_bytes * 8
    head = (0b0100 << 8 | len(data)) << (8 * len(data)) | int.from_bytes(data, "big")
    nbits = 12 + 8 * len(data)
    term = min(4, total - nbits)
    nbits += term
    head <<= term
    pad = (-nbits) % 8
    head <<= pad
    nbits += pad
    stream = head.to_bytes(nbits // 8, "big") + (b"\xec\x11" * t.data_bytes)[: t.data_bytes - nbits // 8]
    # Split into blocks, add error correction, interleave column by column.
    blocks, eccs, pos = [], [], 0
    for n_data, n_ecc in t.blocks:
        block = stream[pos:pos + n_data]
        pos += n_data
        blocks.append(block)
        eccs.append(_ecc(block, n_ecc))
    out = bytearray()
    for i in range(max(len(b) for b in blocks)):
        out.extend(b[i] for b in blocks if i < len(b))
    for i in range(max(len(e) for e in eccs)):
        out.extend(e[i] for e in eccs if i < len(e))
    value = int.from_bytes(out, "big") << (t.capacity - 8 * len(out))  # remainder bits are 0
    bits = format(value ^ t.mask, f"0{t.capacity}b")
    flat = "".join(t.gather(t.fixed + bits))
    size = t.size
    return version, level, tuple(flat[i:i + size] for i in range(0, size * size, size))
