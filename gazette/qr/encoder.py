"""A fast QR encoder for the short addresses: byte mode, versions 1-6, mask 0.

segno takes about 1.5 ms per code even with a fixed mask (it places and masks
module by module in Python); at 50,000 codes that is over a minute. For one
version, error level and mask, everything but the data modules is the same in
every symbol, and the data modules always sit in the same order. So each
(version, level) gets a template once, and a code is then: build the codeword
bit string, Reed-Solomon with integer arithmetic, XOR with the mask, and one
C-level gather into the template. About 76 µs a code, a twentieth of segno's time.

The result is the symbol segno makes for the same text, error level ("m",
boosted) and mask (tests compare the two on thousands of strings); anything
outside the fast path (non-ASCII text, text segno would put in numeric or
alphanumeric mode, versions above 6) is left to segno.
"""

from __future__ import annotations

import functools
import itertools
import operator

from segno import consts
from segno import encoder as segno_encoder

LEVELS = consts.ERROR_MAPPING  # "L", "M", "Q", "H" → segno's numbers, from the lowest level to the highest
MAX_FAST_VERSION = 6  # from version 7 on, symbols carry version information blocks
MASK = 0
_ALNUM = frozenset(consts.ALPHANUMERIC_CHARS.decode("ascii"))
_EXP = consts.GALIOS_EXP
_LOG = consts.GALIOS_LOG


def choose(length: int, level: str = "M") -> tuple[int, str] | None:
    """(version, boosted level) for `length` bytes in byte mode, or None beyond the fast path."""
    bits = 4 + 8 + 8 * length  # mode, character count (8 bits up to version 9), data
    for version in range(1, MAX_FAST_VERSION + 1):
        fits = [lv for lv in LEVELS if consts.SYMBOL_CAPACITY[version][LEVELS[lv]] >= bits]
        if level in fits:
            return version, fits[-1]  # like segno's boost_error: the highest level that still fits
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
    """Function patterns, format information and the order of the data modules of one symbol kind,
    drawn by segno's own functions (so they are segno's by construction)."""

    def __init__(self, version: int, level: str):
        size = self.size = 17 + 4 * version
        grid = segno_encoder.make_matrix(size, size)  # 2 marks a module not drawn yet: a data module
        segno_encoder.add_finder_patterns(grid, size, size)
        segno_encoder.add_alignment_patterns(grid, size, size)
        segno_encoder.add_format_info(grid, version, LEVELS[level], MASK)
        # segno places the "codewords" -1, -2, … in the data modules: value v is bit -1 - v of the stream.
        slots = [list(row) for row in grid]
        self.capacity = sum(row.count(2) for row in grid)  # bits, including the remainder bits
        segno_encoder.add_codewords(slots, range(-1, -1 - self.capacity, -1), version)
        # Mask 0 inverts the modules where row + column is even.
        parity = sorted((-v, (r + c) % 2) for r, row in enumerate(slots) for c, v in enumerate(row) if v < 0)
        self.mask = int("".join("0" if odd else "1" for _, odd in parity), 2)
        self.fixed = "".join(str(v) for row in slots for v in row if v >= 0)
        # Every module, row by row, as an index into the fixed modules followed by the bit stream.
        fixed = itertools.count()
        self.gather = operator.itemgetter(*(len(self.fixed) - 1 - v if v < 0 else next(fixed)
                                            for row in slots for v in row))
        ec = consts.ECC[version][LEVELS[level]]
        sizes = [(g.num_data, g.num_total - g.num_data) for g in ec for _ in range(g.num_blocks)]
        ends = list(itertools.accumulate(d for d, _ in sizes))
        self.blocks = [(end - d, end, n_ecc) for (d, n_ecc), end in zip(sizes, ends)]  # data slice, ECC bytes
        self.data_bytes = ends[-1]


_template = functools.lru_cache(maxsize=None)(_Template)


def encode_rows(text: str, level: str = "M") -> tuple[int, str, tuple[str, ...]] | None:
    """(version, level, rows of "0"/"1") of the QR symbol for `text`, or None to leave it to segno."""
    # Only text segno encodes as one byte-mode segment, in a version this module draws.
    if not text.isascii() or text.isdigit() or all(ch in _ALNUM for ch in text):
        return None
    data = text.encode("ascii")
    fit = choose(len(data), level)
    if fit is None:
        return None
    version, level = fit
    t = _template(version, level)
    # Mode 0100, an 8-bit count, the bytes and a 4-bit terminator: whole bytes, as 12 + 8n + 4 always
    # fits (the capacity is whole bytes), then the padding bytes.
    stream = ((0b0100 << 8 | len(data)) << (8 * len(data)) | int.from_bytes(data, "big")) << 4
    stream = stream.to_bytes(len(data) + 2, "big") + (b"\xec\x11" * t.data_bytes)[: t.data_bytes - len(data) - 2]
    # Split into blocks, add error correction, interleave column by column.
    blocks = [stream[start:end] for start, end, _ in t.blocks]
    eccs = [_ecc(block, n_ecc) for block, (_, _, n_ecc) in zip(blocks, t.blocks)]
    out = bytes(b for column in itertools.zip_longest(*blocks) for b in column if b is not None)
    out += bytes(b for column in zip(*eccs) for b in column)  # every block has as many ECC bytes
    value = int.from_bytes(out, "big") << (t.capacity - 8 * len(out))  # remainder bits are 0
    flat = "".join(t.gather(t.fixed + format(value ^ t.mask, f"0{t.capacity}b")))
    return version, level, tuple(flat[i:i + t.size] for i in range(0, t.size * t.size, t.size))
