/* Site search: the query becomes the same words the index holds (see gazette/search.py:
 * bigram codes, single characters, a 文号's hashed word); the site's word index
 * (gazette/search_words.py, in search-index/) gives the pages that have every word,
 * and every result shown is checked to really contain what was typed. Everything is
 * fetched from the site's own origin, relative to this page. */
(function () {
  "use strict";

  var HAN_LO = 0x3400, DIGITS = "0123456789abcdefghijklmnopqrstuv";
  var HAN_RUN = /[\u3400-\u9fff]+/g, WORD = /[0-9a-z]+/g;
  var PAGE = 10;

  function hanCode(ch) {
    var n = ch.charCodeAt(0) - HAN_LO;
    return DIGITS[n >> 10] + DIGITS[(n >> 5) & 31] + DIGITS[n & 31];
  }

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  /* Index words of a query part, as gazette.search.tokens makes them. */
  function tokens(text) {
    var t = fold(text), out = [], pos = 0, m;
    function words(s) { (s.match(WORD) || []).forEach(function (w) { out.push("z" + w); }); }
    HAN_RUN.lastIndex = 0;
    while ((m = HAN_RUN.exec(t)) !== null) {
      words(t.slice(pos, m.index));
      pos = m.index + m[0].length;
      var run = m[0];
      if (run.length === 1) out.push(hanCode(run));
      for (var i = 0; i + 1 < run.length; i++) out.push(hanCode(run[i]) + hanCode(run[i + 1]));
    }
    words(t.slice(pos));
    return out.filter(function (w, i) { return out.indexOf(w) === i; });
  }

  /* gazette.search_words.fnv1a: FNV-1a (32 bit) over UTF-16 code units. */
  function fnv1a(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  /* gazette.search.doc_key: the hash of a canonical 文号 in 7 base-32 digits. */
  function docKey(canonical) {
    var h = fnv1a(canonical), out = "";
    for (var k = 0; k < 7; k++) { out = DIGITS[h & 31] + out; h = h >>> 5; }
    return "zwh" + out;
  }

  /* gazette.docnumber.normalise_query: 成办发[2013]56号 / 成办发 2013 56 → 成办发〔2013〕56号. */
  var OPEN = "〔\\[（(【［﹝", CLOSE = "〕\\]）)】］﹞";
  var FORM = new RegExp("^([^\\s" + OPEN + CLOSE + "]+?)\\s*[" + OPEN + "]\\s*(\\d{4})\\s*[" + CLOSE +
                        "]\\s*(?:第\\s*)?(\\d+)\\s*号$");
  var LOOSE = /^([^\s\d]+?)\s*(\d{4})\s+(\d+)\s*号?$/;
  var ORDER = /^(\S+?令)\s*第\s*(\d+)\s*号$/;
  function normaliseDocNumber(text) {
    var t = text.normalize("NFKC").trim(), m = t.match(FORM) || t.match(LOOSE);
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

  /* The words a query looks up, part by part (a one-character part is that character's own word). */
  function queryWords(query) {
    return parts(query).map(tokens).filter(function (g) { return g.length; });
  }

  var OLD_BROWSER = "这个浏览器版本过旧，无法使用站内搜索；请更新浏览器，或从分类浏览查找";

  /* What the search needs of the browser: gzip decompression (Chrome 80, Firefox 113,
     Safari 16.4) and what came before it. */
  function supported() {
    return typeof fetch === "function" && typeof Promise === "function" && typeof URL === "function" &&
      typeof URLSearchParams === "function" && typeof TextDecoder === "function" &&
      typeof DecompressionStream === "function" && typeof "".normalize === "function" &&
      typeof Uint8Array.prototype.fill === "function";
  }

  /* A gzip file's bytes, decompressed (unless the server sent it decoded already). */
  function gunzip(buf) {
    var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
    if (head[0] !== 0x1f || head[1] !== 0x8b) return Promise.resolve(buf);
    if (typeof DecompressionStream !== "function") return Promise.reject(new Error(OLD_BROWSER));
    return new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }

  /* gazette.search_words.bucket_of: the bucket file of a word without a file of its own. */
  function bucketOf(word, buckets) {
    return fnv1a(word) % buckets;
  }

  var MAX_WORD = 64;  // gazette.search_words.MAX_WORD: longer words are not indexed

  /* The site's word index (gazette/search_words.py): for every word, the pages whose title has
     it and the pages that have it (hot words in files by their order, the others in hashed
     bucket files), bitmaps of the filter values, and what the results of a few pages show
     (p/<name>.bin, named in a table by page number). Pages are numbered newest first. */
  function Words(manifest, info) {
    var hot = {};
    info.hot.forEach(function (w, i) { hot[w] = i + 1; });  // 1 + its place: its file is h<place / group>
    this.hot = hot;
    this.hotGroup = info.hot_group || 1;
    this.buckets = info.buckets;
    this.pages = info.pages;
    this.size = (info.pages + 7) >> 3;
    this.chunk = info.docs;
    this.filterFiles = info.filters || {};
    this.base = new URL("./", manifest);  // search-index/
    this.site = new URL("../", this.base);  // the addresses in p/ are relative to the site's root
    this.cache = {};  // fetched files by address
    this.docs = {};  // shown data by page number
  }
  Words.prototype.get = function (name, kind) {
    var self = this, url = new URL(name, this.base), key = url.href;
    if (!this.cache[key]) {
      var loading = this.cache[key] = fetch(key).then(function (r) {
        if (!r.ok) throw new Error("索引文件缺失：" + url.pathname);
        return kind === "json" ? r.json() : r.arrayBuffer();
      }).then(function (data) {
        return kind === "gzip" ? gunzip(data) : data;
      });
      loading.catch(function () { if (self.cache[key] === loading) delete self.cache[key]; });  // try again next time
    }
    return this.cache[key];
  };
  /* A word's pages: {titles: page numbers whose title has it, bits: bitmap of every page with it};
     null for a word too long to be indexed (the results are checked against the query anyway). */
  Words.prototype.word = function (w) {
    var self = this;
    if (w.length > MAX_WORD) return Promise.resolve(null);
    var file = Object.prototype.hasOwnProperty.call(this.hot, w) ?
      "h" + Math.floor((this.hot[w] - 1) / this.hotGroup) : "b" + bucketOf(w, this.buckets);
    return this.get(file + ".bin", "gzip").then(function (buf) {
      return self.entry(buf, w);
    });
  };
  /* One word's entry of a word file (the layout is search_words._pack's). */
  Words.prototype.entry = function (buf, w) {
    var view = new DataView(buf), n = view.getUint32(0, true), at = 4, data = 0, found = null;
    var heads = [];
    for (var i = 0; i < n; i++) {
      var len = view.getUint8(at), word = "";
      for (var k = 0; k < len; k++) word += String.fromCharCode(view.getUint8(at + 1 + k));
      at += 1 + len;
      heads.push({ word: word, kind: view.getUint8(at), titles: view.getUint32(at + 1, true), count: view.getUint32(at + 5, true) });
      at += 9;
    }
    data = at;
    for (var j = 0; j < heads.length; j++) {
      var h = heads[j], bytes = h.kind === 1 ? h.count : 4 * h.count;
      if (h.word === w) { found = h; break; }
      data += 4 * h.titles + bytes;
    }
    var bits = new Uint8Array(this.size);
    if (!found) return { titles: new Uint32Array(0), bits: bits };  // no page has it
    var titles = new Uint32Array(buf.slice(data, data + 4 * found.titles));
    data += 4 * found.titles;
    if (found.kind === 1) {
      bits.set(new Uint8Array(buf, data, found.count));
    } else {
      var list = new Uint32Array(buf.slice(data, data + 4 * found.count));
      for (var p = 0; p < list.length; p++) bits[list[p] >> 3] |= 1 << (list[p] & 7);
    }
    return { titles: titles, bits: bits };
  };
  Words.prototype.filterBits = function (key, value) {
    var f = this.filterFiles[key] && this.filterFiles[key][value];
    if (!f) return Promise.resolve(new Uint8Array(this.size));  // no page has it
    return this.get("f" + f[0] + ".bin").then(function (buf) { return new Uint8Array(buf); });
  };
  /* Counts of every filter value: {key: {value: pages}}. */
  Words.prototype.filterCounts = function () {
    var out = {}, files = this.filterFiles;
    Object.keys(files).forEach(function (k) {
      out[k] = {};
      Object.keys(files[k]).forEach(function (v) { out[k][v] = files[k][v][1]; });
    });
    return out;
  };
  /* Pages holding every word of every part of the query (`groups`: each part's words),
     filtered. By date: newest first. Otherwise the pages whose title holds more of the parts
     (every word of a part) come first, each tier newest first: a query of one part puts its
     title matches first, a query of several ranks a title holding two parts above one. */
  Words.prototype.find = function (groups, filters, byDate) {
    var self = this, size = this.size, words = [];
    groups.forEach(function (g) { g.forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); }); });
    var chosen = [];
    Object.keys(filters || {}).forEach(function (k) {
      (filters[k] || []).forEach(function (v) { chosen.push(self.filterBits(k, v)); });
    });
    var loading = Promise.all(words.map(function (w) { return self.word(w); }));
    return Promise.all([loading, Promise.all(chosen)]).then(function (loaded) {
      var byWord = {};
      loaded[0].forEach(function (f, i) { if (f) byWord[words[i]] = f; });  // null: a word too long to be indexed
      var found = loaded[0].filter(Boolean);
      if (!found.length) return [];
      var all = new Uint8Array(size).fill(255);  // pages with every word and every filter
      found.forEach(function (f) { for (var i = 0; i < size; i++) all[i] &= f.bits[i]; });
      loaded[1].forEach(function (bits) { for (var i = 0; i < size; i++) all[i] &= bits[i]; });
      var titled = [];  // per part: a bitmap of the pages whose title holds every word of it
      if (!byDate) groups.forEach(function (g) {
        var bits = null;
        g.forEach(function (w) {
          var f = byWord[w];
          if (!f) return;
          var t = new Uint8Array(size);
          for (var j = 0; j < f.titles.length; j++) t[f.titles[j] >> 3] |= 1 << (f.titles[j] & 7);
          if (bits === null) bits = t; else for (var i = 0; i < size; i++) bits[i] &= t[i];
        });
        if (bits !== null) titled.push(bits);
      });
      var tiers = [];
      for (var n = 0; n <= titled.length; n++) tiers.push([]);
      for (var p = 0; p < self.pages; p++) {
        var at = p >> 3, bit = 1 << (p & 7);
        if (!(all[at] & bit)) continue;
        var score = 0;
        for (var k = 0; k < titled.length; k++) if (titled[k][at] & bit) score += 1;
        tiers[titled.length - score].push(p);
      }
      return [].concat.apply([], tiers);
    });
  };
  /* The shown data of page numbers: {url, meta} (search_words.ShownPages). */
  Words.prototype.data = function (pages) {
    var self = this;
    return Promise.all(pages.map(function (p) {
      if (self.docs[p]) return self.docs[p];
      return self.docs[p] = self.get("d" + Math.floor(p / self.chunk) + ".json", "json").then(function (table) {
        var name = table[p % self.chunk];
        if (!name) return null;
        return self.get("p/" + name + ".bin", "gzip");
      }).then(function (buf) {
        var f = buf && JSON.parse(new TextDecoder().decode(buf))[p];  // decoded anew: each page's own objects
        return f ? { url: new URL(f.url, self.site).pathname, meta: f.meta || {} } : { url: "", meta: {} };
      }).catch(function (e) { delete self.docs[p]; throw e; });
    }));
  };

  var loaded = null;
  /* The index's manifest, fetched once per page view; word files come as queries need them. */
  function load(root) {
    if (!loaded) {
      var manifest = new URL(root.getAttribute("data-index"), document.baseURI);
      loaded = fetch(manifest.href).then(function (r) {
        if (!r.ok) throw new Error("索引文件缺失：" + manifest.pathname);
        return r.json();
      }).then(function (info) {
        root.setAttribute("data-ready", "true");
        return new Words(manifest, info);
      });
      loaded.catch(function () { loaded = null; });  // try again with the next query
    }
    return loaded;
  }

  function describe(data, query) {
    var meta = data.meta || {};
    var title = meta.title || "", text = meta.text || "";
    var qs = parts(query);
    var hay = matchable([title, meta.docno || "", meta.issuer || "", text].join("\n"));
    var ok = qs.every(function (q) { return hay.indexOf(q) >= 0; });
    var inTitle = qs.length > 0 && qs.every(function (q) { return matchable(title).indexOf(q) >= 0; });
    return {
      url: data.url, title: title, text: text, docno: meta.docno || "", issuer: meta.issuer || "",
      date: meta.date || "", kind: meta.kind || "", verified: ok, inTitle: inTitle,
    };
  }

  /* A query's candidate pages in order, as {total, remaining(), next(n) → Promise<[data]>}.
     A 文号 is one word, on its own document (in its title words, so first) and on every page
     that cites it; any other query looks up all its words. */
  function source(words, query, canonical, opts) {
    var looked = canonical ? [[docKey(canonical)]] : queryWords(query);
    if (!looked.length) return Promise.resolve(listSource([], null));
    return words.find(looked, opts.filters, !!(opts.sort && opts.sort.date)).then(function (pages) {
      return listSource(pages, function (batch) { return words.data(batch); });
    });
  }
  function listSource(list, fetchData) {
    var pos = 0;
    return {
      total: list.length,
      remaining: function () { return list.length - pos; },
      next: function (n) {
        var batch = list.slice(pos, pos + n);
        pos += batch.length;
        return batch.length ? fetchData(batch) : Promise.resolve([]);
      },
    };
  }

  /* Run a query; returns {total, next(n) → Promise<[hit]>} where hits are verified pages,
     the 文号's own document first. */
  function run(root, query, opts) {
    opts = opts || {};
    return load(root).then(function (words) {
      var canonical = normaliseDocNumber(query);
      // A 文号 typed loosely is looked for (and checked) in its printed form.
      if (canonical) query = canonical;
      return source(words, query, canonical, opts).then(function (src) {
        var checked = 0, verified = 0;
        return {
          estimate: function () {
            return src.remaining() <= 0 || !checked ? verified : Math.round(src.total * verified / checked);
          },
          total: src.total,
          canonical: canonical,
          remaining: src.remaining,
          next: function (n) {
            return src.next(n).then(function (datas) {
              var hits = datas.map(function (d) {
                var h = describe(d, query);
                if (canonical && h.docno === canonical) { h.verified = true; h.docMatch = true; }
                return h;
              });
              var shown = hits.filter(function (h) { return h.verified; });
              checked += hits.length;
              verified += shown.length;
              if (!opts.sort || !opts.sort.date) {
                // Title matches first (the 文号's own document before everything).
                shown = shown.map(function (h, i) { return [h, i]; }).sort(function (a, b) {
                  return (b[0].docMatch ? 2 : 0) + (b[0].inTitle ? 1 : 0) - (a[0].docMatch ? 2 : 0) -
                         (a[0].inTitle ? 1 : 0) || a[1] - b[1];
                }).map(function (x) { return x[0]; });
              }
              return { hits: shown, all: hits };
            });
          },
        };
      });
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

  /* The text around the first match, the query's parts marked. */
  function excerpt(text, query) {
    var qs = parts(query);
    var src = text.replace(/\s*\n\s*/g, " ");
    function first(s) {
      var at = -1;
      qs.forEach(function (q) { var i = s.toLowerCase().indexOf(q); if (i >= 0 && (at < 0 || i < at)) at = i; });
      return at;
    }
    var at = first(src);
    if (at < 0) { src = matchable(src); at = first(src); }  // typed in another width or case
    var start = Math.max(0, at - 40), piece = src.slice(start, start + 120);
    var frag = document.createDocumentFragment();
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    var last = 0, m;
    if (qs.length && at >= 0) {
      var re = new RegExp(qs.map(function (q) { return q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "gi");
      while ((m = re.exec(piece)) !== null) {
        frag.appendChild(document.createTextNode(piece.slice(last, m.index)));
        frag.appendChild(el("mark", null, m[0]));
        last = m.index + m[0].length;
      }
    }
    frag.appendChild(document.createTextNode(piece.slice(last)));
    if (start + 120 < src.length) frag.appendChild(document.createTextNode("…"));
    return frag;
  }

  function renderHit(h, query) {
    var li = el("li", "gz-search-hit");
    var heading = el("h2", "gz-search-hit__title");
    var a = el("a", null, h.title || h.url);
    a.href = h.url;
    heading.appendChild(a);
    li.appendChild(heading);
    var meta = el("p", "gz-search-hit__meta");
    [["文号", h.docno], ["发布机构", h.issuer], ["发布日期", cnDate(h.date)], ["类别", h.kind]].forEach(function (pair) {
      if (!pair[1]) return;
      var span = el("span");
      span.appendChild(el("span", "gz-search-hit__label", pair[0] + "："));
      span.appendChild(document.createTextNode(pair[1]));
      meta.appendChild(span);
    });
    li.appendChild(meta);
    var p = el("p", "gz-search-hit__excerpt");
    p.appendChild(excerpt(h.text, query));
    li.appendChild(p);
    return li;
  }

  var FILTERS = ["year", "column", "issuer", "genre", "kind"];

  function quiet() {}

  function setupPage(root) {
    if (!supported()) {
      root.querySelector(".gz-search-status").textContent = OLD_BROWSER + "。";
      root.setAttribute("data-state", "error");
      return;
    }
    var form = root.querySelector("form");
    var input = root.querySelector("#gz-search-q");
    var status = root.querySelector(".gz-search-status");
    var list = root.querySelector(".gz-search-results");
    var more = root.querySelector(".gz-search-more");
    var filterBox = root.querySelector(".gz-search-filters");
    var filtersLoaded = false;
    var current = null, token = 0;

    function chosenFilters() {
      var f = {};
      FILTERS.forEach(function (key) {
        var sel = root.querySelector('select[name="' + key + '"]');
        if (sel && sel.value) f[key] = [sel.value];
      });
      return f;
    }
    function chosenSort() {
      var r = root.querySelector('input[name="sort"]:checked');
      return r && r.value === "date" ? { date: "desc" } : {};
    }

    function fillFilters(words) {
      if (filtersLoaded) return;
      filtersLoaded = true;
      var all = words.filterCounts();
      FILTERS.forEach(function (key) {
        var sel = root.querySelector('select[name="' + key + '"]');
        if (!sel) return;
        var keep = sel.getAttribute("data-initial") || sel.value;
        var values = Object.keys(all[key] || {}).sort();
        if (key === "year") values.reverse();
        values.forEach(function (v) {
          var o = el("option", null, v);
          o.value = v;
          sel.appendChild(o);
        });
        if (keep) sel.value = keep;
      });
    }

    function syncUrl(q) {
      var params = new URLSearchParams();
      if (q) params.set("q", q);
      var f = chosenFilters();
      Object.keys(f).forEach(function (k) { params.set(k, f[k][0]); });
      if (chosenSort().date) params.set("sort", "date");
      var url = location.pathname + (params.toString() ? "?" + params : "");
      history.replaceState(null, "", url);
    }

    function showMore() {
      if (!current) return Promise.resolve();
      var mine = token, c = current;
      more.hidden = true;
      function step(acc) {
        return c.next(PAGE).then(function (res) {
          if (mine !== token) return acc;
          res.hits.forEach(function (h) { list.appendChild(renderHit(h, c.query)); acc += 1; });
          // Results that did not hold the words are skipped: fetch on until a page is full,
          // but within a bounded number of pages fetched (the rest stays behind 显示更多).
          tries += 1;
          if (acc < PAGE && c.remaining() > 0 && tries < 3) return step(acc);
          return acc;
        });
      }
      var tries = 0;
      return step(0).then(function (added) {
        if (mine !== token) return;
        var shown = list.children.length;
        more.hidden = c.remaining() <= 0;
        status.textContent = !shown && c.remaining() > 0
          ? "前 " + (c.total - c.remaining()) + " 个候选中没有包含「" + c.query + "」的文件；可以选择“显示更多结果”继续查找。"
          : shown
          ? (c.remaining() > 0 ? "找到约 " + c.estimate() + " 篇相关文件，已显示 " + shown + " 篇。"
                               : "找到 " + shown + " 篇相关文件（已全部显示）。")
          : "没有找到包含「" + c.query + "」的文件。可以换个说法，或减少筛选条件。";
        root.setAttribute("data-state", "done");
        return added;
      });
    }

    function search() {
      var q = input.value.trim();
      token += 1;
      var mine = token;
      list.textContent = "";
      more.hidden = true;
      syncUrl(q);
      if (!q) {
        status.textContent = "请输入要查找的词语或文号。";
        current = null;
        return Promise.resolve();
      }
      root.setAttribute("data-state", "busy");
      status.textContent = "正在搜索「" + q + "」…";
      var t0 = performance.now();
      return run(root, q, { filters: chosenFilters(), sort: chosenSort() }).then(function (c) {
        if (mine !== token) return;
        c.query = c.canonical || q;
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

    form.addEventListener("submit", function (ev) { ev.preventDefault(); search(); });
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
    if (filterBox) {
      filterBox.addEventListener("toggle", function () { if (filterBox.open) load(root).then(fillFilters, quiet); });
    }

    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (key) {
      var v = params.get(key), sel = root.querySelector('select[name="' + key + '"]');
      if (v && sel) {
        var o = el("option", null, v);
        o.value = v;
        sel.appendChild(o);
        sel.value = v;
        sel.setAttribute("data-initial", v);
        if (filterBox) filterBox.open = true;
      }
    });
    if (filterBox && filterBox.open) load(root).then(fillFilters, quiet);
    if (params.get("sort") === "date") {
      var r = root.querySelector('input[name="sort"][value="date"]');
      if (r) r.checked = true;
    }
    if (params.get("q")) {
      input.value = params.get("q");
      search();
    } else {
      status.textContent = "请输入要查找的词语或文号。";
      load(root).catch(quiet);  // the manifest while the reader types (a failure shows with the query)
    }
    input.focus();
  }

  window.gazetteSearch = {
    tokens: tokens, docKey: docKey, normaliseDocNumber: normaliseDocNumber, bucketOf: bucketOf,
    /* For tools/search_eval.py: every verified and unverified result of a query. */
    all: function (query, opts) {
      var root = document.querySelector(".gz-search[data-index]");
      return run(root, query, opts || {}).then(function (c) {
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
