/* Site search: the query becomes the words the index holds (gazette/search/index.py: bigram
 * codes, single characters, a 文号's hashed word); the site's word index (gazette/search/words.py,
 * in search-index/) gives the pages that have every word, and every result shown is checked to
 * really contain what was typed. Everything is fetched from the site's own origin, relative to this page. */
(function () {
  "use strict";

  var HAN_LO = 0x3400, DIGITS = "0123456789abcdefghijklmnopqrstuv";
  var HAN_RUN = /[\u3400-\u9fff]+/g, WORD = /[0-9a-z]+/g;
  var PAGE = 10;  // results shown at a time
  var MAX_WORD = 64;  // words.MAX_WORD: longer words are not indexed
  // A query longer than this is cut (a whole page pasted in, or a long ?q= link): it would fetch
  // most of the index, and the address it is kept in would be too long for some servers.
  var MAX_QUERY = 100;
  var OLD_BROWSER = "这个浏览器版本过旧，无法使用站内搜索；请更新浏览器，或从分类浏览查找";
  var ASK = "请输入要查找的词语或文号。";
  /* Gzip decompression (Chrome 80, Firefox 113, Safari 16.4) is the newest thing the search needs. */
  var SUPPORTED = typeof DecompressionStream === "function";

  function hanCode(ch) {
    var n = ch.charCodeAt(0) - HAN_LO;
    return DIGITS[n >> 10] + DIGITS[(n >> 5) & 31] + DIGITS[n & 31];
  }

  /* Traditional → simplified, for the characters on the site (index.browser_folding, in the manifest). */
  var T2S = Object.create(null), TRAD = null;  // TRAD: any traditional character of the table
  function useFolding(pairs) {
    T2S = Object.create(null);
    var keys = "";
    for (var i = 0; i + 1 < pairs.length; i += 2) { T2S[pairs[i]] = pairs[i + 1]; keys += pairs[i]; }
    TRAD = keys ? new RegExp("[" + keys + "]", "g") : null;  // Han characters only: nothing to escape
  }
  function simple(ch) { return T2S[ch] || ch; }

  /* index.hans: only the traditional characters folded (a simplified text is searched, not rebuilt). */
  function hans(text) {
    return TRAD ? text.replace(TRAD, simple) : text;
  }

  /* index.fold: what index words and queries are made of (NFKC, lower case, simplified characters). */
  function fold(text) {
    return hans(text.normalize("NFKC").toLowerCase());
  }

  /* fold(text) and, for each of its UTF-16 units, the index in `text` of the character it came from:
     an excerpt marks what matched in the text as written (藥品 for a query 药品). */
  var PLAIN = /[\u0000-\u007f\u3400-\u9fff]/;
  function foldWithMap(text) {
    var out = "", at = [];
    for (var i = 0; i < text.length; i++) {
      var ch = text[i], cp = text.codePointAt(i);
      if (cp > 0xffff) ch = text.slice(i, i + 2);
      var f = PLAIN.test(ch) ? simple(ch).toLowerCase() : fold(ch);
      out += f;
      for (var k = 0; k < f.length; k++) at.push(i);
      if (cp > 0xffff) i++;
    }
    at.push(text.length);
    return { text: out, at: at };
  }

  /* Index words of a query part, as index.tokens makes them. */
  function tokens(text) {
    var t = fold(text), out = [];
    (t.match(HAN_RUN) || []).forEach(function (run) {
      if (run.length === 1) out.push(hanCode(run));
      for (var i = 0; i + 1 < run.length; i++) out.push(hanCode(run[i]) + hanCode(run[i + 1]));
    });
    (t.match(WORD) || []).forEach(function (w) { out.push("z" + w); });
    return out.filter(function (w, i) { return out.indexOf(w) === i; });
  }

  /* words.fnv1a: FNV-1a (32 bit) over UTF-16 code units. */
  function fnv1a(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }

  /* index.doc_key: the hash of a canonical 文号 in 7 base-32 digits. */
  function docKey(canonical) {
    var h = fnv1a(canonical), out = "zwh";
    for (var shift = 30; shift >= 0; shift -= 5) out += DIGITS[(h >>> shift) & 31];
    return out;
  }

  /* gazette.content.docnumber.normalise_query: 成办发[2013]56号 / 成办发 2013 56 → 成办发〔2013〕56号. */
  var OPEN = "〔\\[（(【［﹝", CLOSE = "〕\\]）)】］﹞";
  var FORM = new RegExp("^([^\\s" + OPEN + CLOSE + "]+?)\\s*[" + OPEN + "]\\s*(\\d{4})\\s*[" + CLOSE +
                        "]\\s*(?:第\\s*)?(\\d+)\\s*号$");
  var LOOSE = /^([^\s\d]+?)\s*(\d{4})\s+(\d+)\s*号?$/;
  var ORDER = /^(\S+?令)\s*第\s*(\d+)\s*号$/;
  function normaliseDocNumber(text) {
    var t = hans(text.normalize("NFKC")).trim(), m = t.match(FORM) || t.match(LOOSE);
    if (m) return m[1] + "〔" + parseInt(m[2], 10) + "〕" + parseInt(m[3], 10) + "号";
    m = t.match(ORDER);
    if (m) return m[1] + "第" + parseInt(m[2], 10) + "号";
    return null;
  }

  /* Text for matching: folded, spaces inside Chinese removed; a line break (a block's end) stays. */
  function matchable(s) {
    return fold(s).replace(/([\u3400-\u9fff])[ \t\r\u3000]+(?=[\u3400-\u9fff])/g, "$1");
  }

  function parts(query) {
    return matchable(query).split(/\s+/).filter(Boolean);
  }

  /* A regular expression matching any of the strings, as written. */
  function anyOf(strings, flags) {
    return new RegExp(strings.map(function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), flags);
  }

  /* store[key] = make(), once; made again after a failure. */
  function once(store, key, make) {
    if (!store[key]) {
      var made = store[key] = make();
      made.catch(function () { if (store[key] === made) delete store[key]; });
    }
    return store[key];
  }

  /* A file of the index: "json", "gzip" (decompressed, unless the server sent it decoded already) or bytes. */
  function fetchFile(url, kind) {
    return fetch(url.href).then(function (r) {
      if (!r.ok) throw new Error("索引文件缺失：" + url.pathname);
      return kind === "json" ? r.json() : r.arrayBuffer();
    }).then(function (data) {
      var head = kind === "gzip" ? new Uint8Array(data, 0, Math.min(2, data.byteLength)) : [];
      if (head[0] !== 0x1f || head[1] !== 0x8b) return data;
      return new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
    });
  }

  function setBits(bits, pages) {
    for (var i = 0; i < pages.length; i++) bits[pages[i] >> 3] |= 1 << (pages[i] & 7);
  }

  function and(size, bitmaps) {
    var out = new Uint8Array(size).fill(255);
    bitmaps.forEach(function (b) { for (var i = 0; i < size; i++) out[i] &= b[i]; });
    return out;
  }

  /* The site's word index (words.py): for every word, the pages whose title has it and the pages
     that have it (hot words in files by their order, the others in hashed bucket files), bitmaps
     of the filter values, and what the results of a few pages show (p/<name>.bin, named in a table
     by page number). Pages are numbered newest first. */
  function Words(manifest, info) {
    var hot = this.hot = Object.create(null);  // hot word → its file
    info.hot.forEach(function (w, i) { hot[w] = "h" + Math.floor(i / info.hot_group); });
    this.buckets = info.buckets;
    this.pages = info.pages;
    this.size = (info.pages + 7) >> 3;
    this.chunk = info.docs;
    this.filterFiles = info.filters;
    this.abbr = info.abbr || [];  // [abbreviation, full form], longest first (gazette/data/abbreviations.txt)
    useFolding(info.t2s || "");
    this.base = new URL("./", manifest);  // search-index/
    this.site = new URL("../", this.base);  // the addresses in p/ are relative to the site's root
    this.files = {};  // by address
    this.shown = {};  // by page number
  }
  Words.prototype.get = function (name, kind) {
    var url = new URL(name, this.base);
    return once(this.files, url.href, function () { return fetchFile(url, kind); });
  };
  /* A word's pages, {titles, bits}: bitmaps of the pages whose title has it and of every page with it;
     null for a word too long to be indexed (the results are checked against the query anyway). */
  Words.prototype.word = function (w) {
    if (w.length > MAX_WORD) return Promise.resolve(null);
    return this.get((this.hot[w] || "b" + fnv1a(w) % this.buckets) + ".bin", "gzip").then(this.entry.bind(this, w));
  };
  /* One word's entry of a word file (the layout is words._pack's). */
  Words.prototype.entry = function (w, buf) {
    var view = new DataView(buf), n = view.getUint32(0, true), at = 4, skip = 0, found = null;
    for (var i = 0; i < n; i++) {
      var len = view.getUint8(at), word = String.fromCharCode.apply(null, new Uint8Array(buf, at + 1, len));
      var head = { bitmap: view.getUint8(at + 1 + len) === 1, titles: view.getUint32(at + 2 + len, true),
                   count: view.getUint32(at + 6 + len, true) };
      at += 10 + len;
      if (word === w) found = head;
      else if (!found) skip += 4 * head.titles + (head.bitmap ? 1 : 4) * head.count;
    }
    var out = { titles: new Uint8Array(this.size), bits: new Uint8Array(this.size) };
    if (!found) return out;  // no page has it
    var data = at + skip, pages = data + 4 * found.titles;
    setBits(out.titles, new Uint32Array(buf.slice(data, pages)));
    if (found.bitmap) out.bits.set(new Uint8Array(buf, pages, found.count));
    else setBits(out.bits, new Uint32Array(buf.slice(pages, pages + 4 * found.count)));
    return out;
  };
  /* Pages holding every word of every part of the query (`groups`: each part's words), filtered
     (`filters`: {key: value}). By date: newest first. Otherwise the pages whose title holds more of the
     parts (every word of a part) come first, each tier newest first: a query of one part puts its
     title matches first, a query of several ranks a title holding two parts above one. */
  Words.prototype.find = function (groups, filters, byDate) {
    var self = this, size = this.size, words = [];
    groups.forEach(function (g) { g.forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); }); });
    var chosen = Object.keys(filters).map(function (k) {
      var f = self.filterFiles[k] && self.filterFiles[k][filters[k]];  // none: no page has that value
      if (!f) return new Uint8Array(size);
      return self.get("f" + f[0] + ".bin").then(function (buf) { return new Uint8Array(buf); });
    });
    var loading = Promise.all(words.map(function (w) { return self.word(w); }));
    return Promise.all([loading, Promise.all(chosen)]).then(function (loaded) {
      var byWord = {};
      loaded[0].forEach(function (f, i) { if (f) byWord[words[i]] = f; });  // null: a word too long to be indexed
      var found = loaded[0].filter(Boolean);
      if (!found.length) return [];
      var all = and(size, found.map(function (f) { return f.bits; }).concat(loaded[1]));
      var titled = byDate ? [] : groups.map(function (g) {  // per part: the pages whose title holds every word of it
        return g.filter(function (w) { return byWord[w]; }).map(function (w) { return byWord[w].titles; });
      }).filter(function (t) { return t.length; }).map(function (t) { return and(size, t); });
      var tiers = titled.map(function () { return []; }).concat([[]]);
      for (var p = 0; p < self.pages; p++) {
        var at = p >> 3, bit = 1 << (p & 7), score = 0;
        if (!(all[at] & bit)) continue;
        for (var k = 0; k < titled.length; k++) if (titled[k][at] & bit) score += 1;
        tiers[titled.length - score].push(p);
      }
      return [].concat.apply([], tiers);
    });
  };
  /* What the results of page numbers show: [{url, meta}] (words.ShownPages). */
  Words.prototype.data = function (pages) {
    var self = this;
    return Promise.all(pages.map(function (p) {
      return once(self.shown, p, function () {
        return self.get("d" + Math.floor(p / self.chunk) + ".json", "json").then(function (table) {
          return table[p % self.chunk] ? self.get("p/" + table[p % self.chunk] + ".bin", "gzip") : null;
        }).then(function (buf) {
          var f = buf && JSON.parse(new TextDecoder().decode(buf))[p];  // decoded anew: each page's own objects
          return f ? { url: new URL(f.url, self.site).pathname, meta: f.meta || {} } : { url: "", meta: {} };
        });
      });
    }));
  };

  var loaded = {};
  /* The index's manifest, fetched once per page view; word files come as queries need them. */
  function load(root) {
    return once(loaded, "words", function () {
      var manifest = new URL(root.getAttribute("data-index"), document.baseURI);
      return fetchFile(manifest, "json").then(function (info) {
        root.setAttribute("data-ready", "true");
        return new Words(manifest, info);
      });
    });
  }

  /* The query as typed, and with its abbreviations written out (卫健委 → 卫生健康委员会), longest first so
     that 医保局 is replaced before 医保; a document holding either is found. */
  function variants(query, abbr) {
    var typed = matchable(query), full = new Map(abbr);
    var written = abbr.length ? typed.replace(anyOf(abbr.map(function (p) { return p[0]; }), "g"),
                                              function (m) { return full.get(m); }) : typed;
    return written !== typed ? [query, written] : [query];
  }

  /* A candidate: whether it holds every part of the query (`ok`); ranked first if it is the 文号's own
     document, then if its title holds every part. */
  function check(data, query, canonical) {
    var meta = data.meta, qs = parts(query), title = matchable(meta.title || "");
    var hay = matchable([meta.title, meta.docno, meta.issuer, meta.text].join("\n"));
    var docMatch = !!canonical && hans(meta.docno || "") === canonical;
    var inTitle = qs.length > 0 && qs.every(function (q) { return title.indexOf(q) >= 0; });
    return { url: data.url, meta: meta, rank: (docMatch ? 2 : 0) + (inTitle ? 1 : 0),
             ok: docMatch || qs.every(function (q) { return hay.indexOf(q) >= 0; }) };
  }

  /* Run a query ({filters: {key: value}, byDate}): {total, query, remaining(), estimate(),
     next(n) → Promise<{all, hits}>}, `all` the next n candidates, `hits` those that hold what was
     typed. A 文号 is one word, on its own document and on every page that cites it; any other
     query looks up all its words. */
  function run(root, query, opts) {
    var canonical, words, forms = [query];
    return load(root).then(function (loadedWords) {
      words = loadedWords;
      canonical = normaliseDocNumber(query);  // with the manifest's folding: 江府發〔2023〕5號 is 江府发〔2023〕5号
      // A 文号 typed loosely is looked for (and checked) in its printed form.
      if (canonical) query = forms[0] = canonical;
      else forms = variants(query, words.abbr);
      return Promise.all(forms.map(function (form) {
        var groups = canonical ? [[docKey(canonical)]] : parts(form).map(tokens).filter(function (g) { return g.length; });
        return groups.length ? words.find(groups, opts.filters || {}, !!opts.byDate) : [];
      }));
    }).then(function (lists) {
      // The pages of every form, each once: the written-out form's first (it is how documents print it).
      var list = [], seen = {};
      lists.reverse().forEach(function (l) { l.forEach(function (p) { if (!seen[p]) { seen[p] = true; list.push(p); } }); });
      if (opts.byDate && lists.length > 1) list.sort(function (a, b) { return a - b; });
      var pos = 0, checked = 0, verified = 0;
      return {
        total: list.length, query: query,
        remaining: function () { return list.length - pos; },
        estimate: function () {
          return pos >= list.length || !checked ? verified : Math.round(list.length * verified / checked);
        },
        next: function (n) {
          var batch = list.slice(pos, pos + n);
          pos += batch.length;
          return words.data(batch).then(function (datas) {
            var all = datas.map(function (d) {
              var hit = null;  // checked against each form; an excerpt marks the form it holds
              forms.some(function (form) { hit = check(d, form, canonical); hit.form = form; return hit.ok; });
              return hit;
            });
            var hits = all.filter(function (h) { return h.ok; });
            checked += all.length;
            verified += hits.length;
            if (!opts.byDate) hits.sort(function (a, b) { return b.rank - a.rank; });  // stable: newest first in a rank
            return { all: all, hits: hits };
          });
        },
      };
    });
  }

  // -- rendering --------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? +m[1] + "年" + +m[2] + "月" + +m[3] + "日" : iso || "";
  }

  /* Where the query's parts are in a text as written: [start, end) pairs, found in the folded text
     (another script, width or case; spaces inside Chinese skipped as `matchable` does). */
  function matches(src, qs) {
    if (!qs.length) return [];
    var map = foldWithMap(src), keep = [], folded = "";
    // matchable's spaces inside Chinese, removed from the folded text and its map alike
    var gap = /([\u3400-\u9fff])[ \t\r\u3000]+(?=[\u3400-\u9fff])/g, last = 0, m;
    while ((m = gap.exec(map.text)) !== null) {
      var end = m.index + 1;
      folded += map.text.slice(last, end);
      keep = keep.concat(map.at.slice(last, end));
      last = m.index + m[0].length;
    }
    folded += map.text.slice(last);
    keep = keep.concat(map.at.slice(last));
    var re = anyOf(qs, "g"), out = [];
    while ((m = re.exec(folded)) !== null) {
      if (!m[0].length) { re.lastIndex++; continue; }
      out.push([keep[m.index], keep[m.index + m[0].length - 1] + 1]);
    }
    return out;
  }

  /* src[start, stop) as text nodes, the ranges `found` (from `matches`) in <mark>: built, never parsed. */
  function marked(src, found, start, stop) {
    var frag = document.createDocumentFragment(), last = start;
    found.forEach(function (r) {
      if (r[0] < last || r[0] >= stop) return;
      var end = Math.min(r[1], stop);
      frag.append(src.slice(last, r[0]), el("mark", null, src.slice(r[0], end)));
      last = end;
    });
    frag.append(src.slice(last, stop));
    return frag;
  }

  /* The text around the first match, as written, the query's parts marked. */
  function excerpt(text, query) {
    var src = text.replace(/\s*\n\s*/g, " "), found = matches(src, parts(query));
    var at = found.length ? found[0][0] : -1;
    var start = Math.max(0, at - 40), stop = start + 120;
    var frag = document.createDocumentFragment();
    if (start > 0) frag.append("…");
    frag.append(marked(src, found, start, stop), stop < src.length ? "…" : "");
    return frag;
  }

  /* A title as written, whole, the query's parts marked as in the excerpt (a 繁 query marks 简 text). */
  function markedTitle(text, query) {
    return marked(text, matches(text, parts(query)), 0, text.length);
  }

  function renderHit(h, query) {
    var m = h.meta, li = el("li", "gz-search-hit"), a = el("a", null, m.title ? null : h.url);
    if (m.title) a.appendChild(markedTitle(m.title, query));
    a.href = h.url;
    li.appendChild(el("h2", "gz-search-hit__title")).appendChild(a);
    var meta = li.appendChild(el("p", "gz-search-hit__meta"));
    [["文号", m.docno], ["发布机构", m.issuer], ["发布日期", cnDate(m.date)], ["类别", m.kind]].forEach(function (pair) {
      if (!pair[1]) return;
      var span = el("span");
      span.appendChild(el("span", "gz-search-hit__label", pair[0] + "："));
      span.append(pair[1]);
      meta.appendChild(span);
    });
    li.appendChild(el("p", "gz-search-hit__excerpt")).appendChild(excerpt(m.text || "", query));
    return li;
  }

  function quiet() {}

  function setupPage(root) {
    var status = root.querySelector(".gz-search-status");
    if (!SUPPORTED) {
      status.textContent = OLD_BROWSER + "。";
      root.setAttribute("data-state", "error");
      return;
    }
    var input = root.querySelector("#gz-search-q");
    var list = root.querySelector(".gz-search-results");
    var more = root.querySelector(".gz-search-more");
    var filterBox = root.querySelector(".gz-search-filters");
    var selects = [].slice.call(root.querySelectorAll("select"));  // the filters: year, column, issuer, genre, kind
    var filtersLoaded = false, current = null, token = 0, cut = false;  // cut: the query was over MAX_QUERY

    function chosenFilters() {
      var f = {};
      selects.forEach(function (sel) { if (sel.value) f[sel.name] = sel.value; });
      return f;
    }
    function byDate() {
      var r = root.querySelector('input[name="sort"]:checked');
      return !!r && r.value === "date";
    }

    function fillFilters(words) {
      if (filtersLoaded) return;
      filtersLoaded = true;
      selects.forEach(function (sel) {
        var keep = sel.getAttribute("data-initial") || sel.value;
        var values = Object.keys(words.filterFiles[sel.name] || {}).sort();
        if (sel.name === "year") values.reverse();
        values.forEach(function (v) { sel.appendChild(new Option(v, v)); });
        if (keep) sel.value = keep;
      });
    }

    function syncUrl(q) {
      var params = new URLSearchParams(), f = chosenFilters();
      if (q) params.set("q", q);
      Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
      if (byDate()) params.set("sort", "date");
      history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
      // A printed result list carries the address that repeats the search, not the bare 搜索 page;
      // its words as written (decodeURI leaves & = + # encoded), so a reader can type it.
      var printed = document.querySelector("[data-gz-url]"), query = params.toString();
      if (printed) {
        try { query = decodeURI(query); } catch (e) { /* keep it encoded */ }
        printed.textContent = (printed.textContent.split("?")[0] || location.href.split("?")[0].split("#")[0]) +
          (query ? "?" + query : "");
      }
    }

    function showMore() {
      var mine = token, c = current, tries = 0;
      if (!c) return Promise.resolve();
      more.hidden = true;
      // Results that do not hold what was typed are skipped: fetch on until a page is full, but
      // within a bounded number of batches (the rest stays behind 显示更多).
      function step(added) {
        return c.next(PAGE).then(function (res) {
          if (mine !== token) return;
          res.hits.forEach(function (h) { list.appendChild(renderHit(h, h.form || c.query)); });
          added += res.hits.length;
          if (added < PAGE && c.remaining() > 0 && ++tries < 3) return step(added);
        });
      }
      return step(0).then(function () {
        if (mine !== token) return;
        var shown = list.children.length, left = c.remaining() > 0;
        more.hidden = !left;
        var text;
        if (shown && left) text = "找到约 " + c.estimate() + " 篇相关文件，已显示 " + shown + " 篇。";
        else if (shown) text = "找到 " + shown + " 篇相关文件（已全部显示）。";
        else if (left) {
          text = "前 " + (c.total - c.remaining()) + " 个候选中没有包含「" + c.query +
            "」的文件；可以选择“显示更多结果”继续查找。";
        } else text = "没有找到包含「" + c.query + "」的文件。可以换个说法，或减少筛选条件。";
        if (cut) text = "搜索词最多 " + MAX_QUERY + " 个字，只按前 " + MAX_QUERY + " 个字搜索。" + text;
        status.textContent = text;
        root.setAttribute("data-state", "done");
      });
    }

    function search() {
      var q = input.value.trim(), mine = ++token, chars = Array.from(q);
      cut = chars.length > MAX_QUERY;
      if (cut) input.value = q = chars.slice(0, MAX_QUERY).join("").trim();
      list.textContent = "";
      more.hidden = true;
      syncUrl(q);
      if (!q) {
        status.textContent = ASK;
        current = null;
        return;
      }
      root.setAttribute("data-state", "busy");
      status.textContent = "正在搜索「" + q + "」…";
      var t0 = performance.now();
      run(root, q, { filters: chosenFilters(), byDate: byDate() }).then(function (c) {
        if (mine !== token) return;
        current = c;
        return showMore().then(function () {
          root.setAttribute("data-ms", String(Math.round(performance.now() - t0)));
        });
      }).catch(function (e) {
        if (mine !== token) return;
        status.textContent = "搜索暂时无法使用（" + (e && e.message ? e.message : e) + "），请稍后再试，或从分类浏览查找。";
        root.setAttribute("data-state", "error");
      });
    }

    root.querySelector("form").addEventListener("submit", function (ev) { ev.preventDefault(); search(); });
    more.addEventListener("click", function () {
      var first = list.children.length;
      showMore().then(function () {
        var target = list.children[first];
        if (target) target.querySelector("a").focus();  // keyboard users continue where the new results begin
      });
    });
    root.querySelectorAll("select, input[name=sort]").forEach(function (c) {
      c.addEventListener("change", function () { if (input.value.trim()) search(); else syncUrl(""); });
    });
    filterBox.addEventListener("toggle", function () { if (filterBox.open) load(root).then(fillFilters, quiet); });

    var params = new URLSearchParams(location.search);
    selects.forEach(function (sel) {
      var v = params.get(sel.name);
      if (!v) return;
      sel.appendChild(new Option(v, v));
      sel.value = v;
      sel.setAttribute("data-initial", v);
      filterBox.open = true;
    });
    if (filterBox.open) load(root).then(fillFilters, quiet);
    if (params.get("sort") === "date") root.querySelector('input[name="sort"][value="date"]').checked = true;
    if (params.get("q")) {
      input.value = params.get("q");
      search();
    } else {
      status.textContent = ASK;
      load(root).catch(quiet);  // the manifest while the reader types (a failure shows with the query)
    }
    input.focus();
  }

  window.gazetteSearch = {
    tokens: tokens, docKey: docKey, normaliseDocNumber: normaliseDocNumber, fold: fold, hans: hans,
    useFolding: useFolding,  // for the tests: the table of another site (the whole table)
    bucketOf: function (word, buckets) { return fnv1a(word) % buckets; },  // words.bucket_of
    /* For tools/search_eval.py: every result of a query that holds it (`hits`) and every candidate (`raw`). */
    all: function (query, opts) {
      return run(document.querySelector(".gz-search[data-index]"), query, opts || {}).then(function (c) {
        var out = { total: c.total, hits: [], raw: [] };
        // In batches: thousands of result files requested at once overwhelm a small local server.
        function more() {
          if (c.remaining() <= 0) return out;
          return c.next(100).then(function (res) {
            res.hits.forEach(function (h) { out.hits.push(h.url); });
            res.all.forEach(function (h) { out.raw.push(h.url); });
            return more();
          });
        }
        return more();
      });
    },
  };

  var root = document.querySelector(".gz-search[data-index]");
  if (root) setupPage(root);
})();
