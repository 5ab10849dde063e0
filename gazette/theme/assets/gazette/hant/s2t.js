/* Simplified → traditional, as opencc-js converts with OpenCC's s2t data (s2t-data.js): at each
 * position the longest phrase that starts there, else the character's conversion, else the
 * character (or a whole ideographic description sequence, ⿰氵说) as written.
 *
 * opencc-js builds a trie of nested Maps from all ~50,000 phrases before it converts anything:
 * 0.1–0.3 s on every page a reader in 繁 opens. Here nothing is built from the phrases up front:
 * s2t-data.js keeps them sorted by code point (tools/make_s2t_data.py), so the phrases that start
 * with two given characters are found by binary search in the data string itself, the first time
 * the text has those two characters together (a few thousand pairs on a long page: 46 of the
 * 12,900 phrases that start with one of its characters actually occur in it).
 * The result is the same as opencc-core.js's (tests/test_hant_convert.py compares them).
 *
 * The data is passed in by the caller (hant.js imports both modules), so that the browser fetches
 * the two at once, not one after the other. */

/** The code point at `offset` of the entry that starts at `start` (-1 past the data's end: an entry
 * shorter than the others sorts first). */
function pointAt(data, start, offset) {
  const x = data.codePointAt(start + offset);
  return x === undefined ? -1 : x;
}

/** The first entry from `a` to `b` (entry starts) whose code point at `offset` is ≥ cp (> cp if
 * `after`): the entries are sorted by code point and agree before `offset`. */
function bound(data, a, b, offset, cp, after) {
  while (a < b) {
    const mid = (a + b) >> 1;
    const start = mid === a ? a : data.lastIndexOf("|", mid - 1) + 1;  // the entry mid falls in
    const x = pointAt(data, start, offset);
    if (x < cp || (after && x === cp)) {
      const bar = data.indexOf("|", start);
      a = bar < 0 || bar >= b ? b : bar + 1;
    } else {
      b = start;
    }
  }
  return a;
}

/** Of the entries of `data` ("source target" or "source", separated by |, sorted by code point)
 * from `lo` to `hi`, which agree before `offset`, those whose code point at `offset` is `cp`:
 * [start, end) in `data`. */
function range(data, lo, hi, offset, cp) {
  const start = bound(data, lo, hi, offset, cp, false);
  return [start, bound(data, start, hi, offset, cp, true)];
}

/** The entries from `lo` to `hi`, as [source, target] (target null where there is none). */
function* entries(data, [lo, hi]) {
  for (let at = lo; at < hi;) {
    let bar = data.indexOf("|", at);
    if (bar < 0 || bar > hi) bar = hi;
    const entry = data.slice(at, bar);
    const space = entry.indexOf(" ");
    yield space < 0 ? [entry, null] : [entry.slice(0, space), entry.slice(space + 1)];
    at = bar + 1;
  }
}

// What opencc-js's converter skips as one unit where nothing matches: a code point, or an
// ideographic description sequence with its operands (as in opencc-js 1.4.2's core.js, MIT:
// LICENSE-opencc-js.txt), left unconverted as a whole.
function idsArity(cp) {
  if (cp >= 0x2ff0 && cp <= 0x2ff1) return 2;
  if (cp >= 0x2ff2 && cp <= 0x2ff3) return 3;
  if (cp >= 0x2ff4 && cp <= 0x2fff) return 2;
  return 0;
}

function cpLength(s, i) {
  return s.codePointAt(i) > 0xffff ? 2 : 1;
}

function idsEnd(s, i) {
  const arity = idsArity(s.codePointAt(i));
  if (arity === 0) return 0;
  let end = i + cpLength(s, i);
  for (let k = 0; k < arity; k += 1) {
    if (end >= s.length) return 0;
    end = idsEnd(s, end) || end + cpLength(s, end);
  }
  return end;
}

const NONE = { map: null, lens: [] };

/** The converter of s2t-data.js's `characters`, `phrases` and `same` (see tools/make_s2t_data.py). */
export function s2tConverter({ characters, phrases, same }) {
  // About 3,900 characters that change: cheap enough to read at once (under 1 ms).
  const chars = new Map();
  for (const entry of characters.split("|")) {
    const space = entry.indexOf(" ");
    chars.set(entry.slice(0, space), entry.slice(space + 1));
  }
  const byCharacters = s => {
    let out = "";
    for (const c of s) out += chars.get(c) || c;
    return out;
  };

  // code point → its character's conversion, where its phrases are in the data, and (filled as the
  // text has them) the phrases that start with it and a given next code point.
  const firsts = new Map();
  function firstOf(cp) {
    let first = firsts.get(cp);
    if (!first) {
      const p = range(phrases, 0, phrases.length, 0, cp), q = range(same, 0, same.length, 0, cp);
      first = { value: chars.get(String.fromCodePoint(cp)), phrases: p, same: q, any: p[0] < p[1] || q[0] < q[1], seconds: new Map() };
      firsts.set(cp, first);
    }
    return first;
  }

  /** The phrases that start with `first` and then `cp`: {map: source → target, lens: longest first}. */
  function phrasesOf(first, offset, cp) {
    let found = first.seconds.get(cp);
    if (found) return found;
    const map = new Map();
    // As in opencc-js's single table: `phrases` over `same`.
    if (first.phrases[0] < first.phrases[1]) {
      for (const [s, t] of entries(phrases, range(phrases, first.phrases[0], first.phrases[1], offset, cp))) map.set(s, t);
    }
    if (first.same[0] < first.same[1]) {
      for (const [s] of entries(same, range(same, first.same[0], first.same[1], offset, cp))) if (!map.has(s)) map.set(s, byCharacters(s));
    }
    found = map.size ? { map, lens: [...new Set(Array.from(map.keys(), k => k.length))].sort((a, b) => b - a) } : NONE;
    first.seconds.set(cp, found);
    return found;
  }

  /** `s` in traditional characters (OpenCC s2t, maximum forward matching). */
  return function convert(s) {
    const n = s.length;
    let out = "", done = 0;
    for (let i = 0; i < n;) {
      const cp = s.codePointAt(i);
      const step = cp > 0xffff ? 2 : 1;
      const first = firstOf(cp);
      let value, end = 0;
      if (first.any && i + step < n) {
        const { map, lens } = phrasesOf(first, step, s.codePointAt(i + step));
        for (const len of lens) {
          if (i + len > n) continue;
          value = map.get(s.slice(i, i + len));
          if (value !== undefined) {
            end = i + len;
            break;
          }
        }
      }
      if (!end && first.value !== undefined) {
        value = first.value;
        end = i + step;
      }
      if (end) {
        out += s.slice(done, i) + value;
        i = done = end;
      } else {
        const ids = idsEnd(s, i);
        i = ids > i ? ids : i + step;
      }
    }
    return done ? out + s.slice(done) : s;
  };
}
