/* The accessibility toolbar (无障碍工具条) and kiosk mode.
 * State lives in localStorage ("gz-a11y") so it follows the reader from page to
 * page; gz-head.html applies it before the first paint. Kiosk mode lives in
 * sessionStorage so that closing the browser ends it. Nothing here talks to
 * any server: reading aloud is the browser's own speech synthesis. */
(function () {
  "use strict";
  var root = document.documentElement;
  var here = document.currentScript && document.currentScript.src;
  var bar = document.querySelector("[data-gz-toolbar]");
  if (!bar) return;

  var KEY = "gz-a11y";
  var LABELS = {
    elder: "长者模式", spacing: "大字间距", contrast: "高对比度", cursor: "大鼠标", guide: "阅读辅助线",
    caption: "大字幕", pointread: "指读", plain: "纯文本"
  };
  var TOGGLES = Object.keys(LABELS);
  var ZOOM_MIN = 0.8, ZOOM_MAX = 2, ZOOM_STEP = 0.2;
  var state = load();
  var status = bar.querySelector(".gz-toolbar__status");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {}
  }
  function announce(text) {
    if (!status) return;
    // Emptied first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 30);
  }

  // -- text size --------------------------------------------------------------
  function zoom() { var z = parseFloat(state.zoom); return z > 0 ? z : 1; }
  function setZoom(z) {
    z = Math.round(Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z)) * 10) / 10;
    state.zoom = z;
    if (z === 1) root.style.removeProperty("--gz-zoom");
    else root.style.setProperty("--gz-zoom", String(z));
    save();
    announce("文字大小 " + Math.round(z * 100) + "%");
  }

  // -- toggles ----------------------------------------------------------------
  function apply(name) {
    var on = !!state[name];
    root.classList.toggle("gz-" + name, on);
    var btn = bar.querySelector('[data-gz-toggle="' + name + '"]');
    if (btn) btn.setAttribute("aria-pressed", on ? "true" : "false");
    if (name === "caption") caption.hidden = !on;
    if (name === "guide") guide.hidden = !on;
    if (name === "pointread" && !on) stopSpeaking();
  }
  function toggle(name) {
    state[name] = !state[name];
    save();
    apply(name);
    announce(LABELS[name] + (state[name] ? "已开启" : "已关闭"));
    if (name === "pointread" && state[name]) {
      chineseVoice().then(function (voice) { if (!voice) announce("指读已开启，但" + NO_VOICE); });
    }
  }

  // -- big captions and the reading guide --------------------------------------
  var caption = document.querySelector(".gz-caption-bar");
  var guide = document.querySelector(".gz-guide-line");
  var BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,td,th,dt,dd,caption,figcaption,blockquote,label,a,button,summary";

  function textOf(el) {
    if (!el || el.closest(".gz-caption-bar,.gz-guide-line")) return "";
    var target = el.closest(BLOCKS) || el;
    var text = target.getAttribute("aria-label") || target.innerText || target.textContent || "";
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 160 ? text.slice(0, 160) + "……" : text;
  }
  function showCaption(el) {
    if (!state.caption) return;
    var text = textOf(el);
    if (text) caption.textContent = text;
  }
  // The guide runs just under the line being read (the pointer is on that line, half a
  // line above its bottom): it must never cover the text.
  function moveGuide(y, below) {
    if (!state.guide) return;
    if (!below) {
      var article = document.getElementById("gz-content");
      below = article ? parseFloat(getComputedStyle(article).lineHeight) / 2 || 16 : 16;
    }
    guide.style.top = Math.max(0, y + below) + "px";
  }

  function pointed(el) {
    showCaption(el);
    if (state.pointread) pointRead(el);
  }
  document.addEventListener("mouseover", function (e) { pointed(e.target); });
  document.addEventListener("focusin", function (e) {
    pointed(e.target);
    if (state.guide) moveGuide(e.target.getBoundingClientRect().bottom, 2);
  });
  document.addEventListener("mousemove", function (e) { moveGuide(e.clientY); });

  // -- reading aloud ------------------------------------------------------------
  var readBtn = bar.querySelector('[data-gz-action="read"]');
  var lastPointed = null;

  var NO_VOICE = "本设备没有中文语音，无法朗读。可在系统设置中安装中文语音，或使用读屏软件。";
  var zhVoice = null;

  function synth() { return window.speechSynthesis; }
  // Without a Chinese voice the browser reads nothing (or reads Chinese as letters): say so
  // instead of appearing to read. Chromium fills its list of voices a moment after loading.
  function chineseVoice() {
    var s = synth();
    function find() {
      var voices = (s && s.getVoices && s.getVoices()) || [];
      for (var i = 0; i < voices.length; i++) {
        if (/^(zh|cmn|yue)([-_]|$)/i.test(voices[i].lang || "")) return voices[i];
      }
      return null;
    }
    if (!s || !window.SpeechSynthesisUtterance) return Promise.resolve(null);
    if (find() || (s.getVoices && s.getVoices().length)) return Promise.resolve(find());
    return new Promise(function (resolve) {
      var done = false;
      function finish() {
        if (done) return;
        done = true;
        if (s.removeEventListener) s.removeEventListener("voiceschanged", finish);
        resolve(find());
      }
      if (s.addEventListener) s.addEventListener("voiceschanged", finish);
      window.setTimeout(finish, 1500);
    });
  }
  function utter(text) {
    // A little slower than the default: easier for older listeners.
    var u = Object.assign(new window.SpeechSynthesisUtterance(text), { lang: "zh-CN", rate: 0.9 });
    try { if (zhVoice) u.voice = zhVoice; } catch (e) {}
    return u;
  }
  function stopSpeaking() {
    if (synth()) synth().cancel();
    if (readBtn) readBtn.setAttribute("aria-pressed", "false");
  }
  function pointRead(el) {
    var target = el && el.closest(BLOCKS);
    if (!target || target === lastPointed || !synth()) return;
    chineseVoice().then(function (v) { zhVoice = v; });
    lastPointed = target;
    var text = textOf(target);
    if (!text) return;
    synth().cancel();
    synth().speak(utter(text));
  }
  // The article's text, block by block in reading order, without the toolbar or
  // navigation and without text hidden from sight.
  function articleChunks() {
    var article = document.getElementById("gz-content");
    if (!article) return [];
    var out = [];
    var nodes = article.querySelectorAll("h1,h2,h3,h4,h5,h6,p,li,th,td,dt,dd,blockquote,figcaption,pre");
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      // Breadcrumb and previous/next links are navigation, not the article.
      if (n.closest("nav,.gz-print-url,.gz-visually-hidden,[hidden],[aria-hidden=true]")) continue;
      // A block inside another block already read (a p in an li) is read with it.
      var parent = n.parentElement && n.parentElement.closest("li,th,td,dd,blockquote");
      if (parent && article.contains(parent)) continue;
      var text = (n.innerText || "").replace(/\s+/g, " ").trim();
      if (text) out.push(text);
    }
    return out;
  }
  function readArticle() {
    var s = synth();
    if (!s || !window.SpeechSynthesisUtterance) return announce("此浏览器不支持语音朗读");
    s.cancel();
    var chunks = articleChunks();
    if (!chunks.length) return;
    chineseVoice().then(function (voice) {
      zhVoice = voice;
      if (!voice) {
        readBtn.setAttribute("aria-pressed", "false");
        return announce(NO_VOICE);
      }
      readBtn.setAttribute("aria-pressed", "true");
      announce("开始朗读全文，再按一次停止");
      chunks.forEach(function (text, i) {
        var u = utter(text);
        if (i === chunks.length - 1) u.onend = function () { readBtn.setAttribute("aria-pressed", "false"); };
        u.onerror = function (e) {
          // Stopping (a second press, Escape) cancels the queue: that is not a failure.
          if (e && (e.error === "canceled" || e.error === "interrupted")) return;
          readBtn.setAttribute("aria-pressed", "false");
          announce("朗读未能进行，请检查设备的声音和语音设置");
        };
        s.speak(u);
      });
    });
  }

  // -- 简/繁 -------------------------------------------------------------------------
  // The converter and its data (about 290 KB gzip) are fetched on the first press only
  // (or by gz-head.html for a reader who chose 繁 before); see hant/hant.js.
  var scriptBtn = bar.querySelector('[data-gz-action="script"]');
  function loadHant() {
    if (window.gzScript) return Promise.resolve(window.gzScript);
    return new Promise(function (resolve, reject) {
      window.addEventListener("gz-script-ready", function () { resolve(window.gzScript); }, { once: true });
      if (!document.querySelector("script[data-gz-hant]")) {
        var s = document.createElement("script");
        s.type = "module";
        s.src = new URL("hant/hant.js", here || location.href).href;
        s.setAttribute("data-gz-hant", "");
        s.onerror = reject;
        document.head.appendChild(s);
      }
      window.setTimeout(reject, 15000);
    });
  }
  function showScript() {
    if (scriptBtn) scriptBtn.setAttribute("aria-pressed", state.script === "hant" ? "true" : "false");
  }
  function setScript(hant, quiet) {
    if (hant) state.script = "hant"; else delete state.script;
    save();
    showScript();
    root.classList.toggle("gz-hant", hant);
    if (!hant) {
      if (window.gzScript) window.gzScript.toHans();
      if (!quiet) announce("已切换为简体");
      return;
    }
    loadHant().then(function (m) {
      if (state.script !== "hant") return;
      m.toHant();
      if (!quiet) announce("已切換為繁體");
    }, function () {
      setScript(false, true);
      announce("繁体字转换未能加载，请稍后再试");
    });
  }
  showScript();

  // -- kiosk --------------------------------------------------------------------
  var kiosk = root.classList.contains("gz-kiosk");
  var note = document.querySelector(".gz-kiosk-note");
  function closeNote() { if (note) note.hidden = true; }
  if (kiosk) {
    var idle = parseInt(bar.getAttribute("data-gz-idle"), 10) || 120;
    try { idle = parseInt(sessionStorage.getItem("gz-kiosk-idle"), 10) || idle; } catch (e) {}
    // 1 s to an hour (gz-head.html, theme_options.py): past setTimeout's 2^31 ms it fires at once.
    idle = Math.min(Math.max(idle, 1), 3600);
    var idleText = document.querySelector("[data-gz-idle-text]");
    if (idleText) idleText.textContent = String(idle);
    var timer = null;
    var resetIdle = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        // Back to the start for the next person: default modes (or the ones the
        // kiosk was opened with), top of the home page.
        stopSpeaking();
        try { localStorage.removeItem(KEY); } catch (e) {}
        var url = new URL(bar.getAttribute("data-gz-home") || ".", location.href), modes = "";
        try { modes = sessionStorage.getItem("gz-kiosk-modes") || ""; } catch (e) {}
        url.search = modes;
        // A new history for the next visitor: 返回 stops at this home page ("back" below).
        try { sessionStorage.setItem("gz-kiosk-depth", "-1"); } catch (e) {}
        location.replace(url.href);
      }, idle * 1000);
    };
    ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "scroll"].forEach(function (ev) {
      window.addEventListener(ev, resetIdle, { passive: true, capture: true });
    });
    resetIdle();
    // How many pages deep this visitor is (kept in the history entry, so 返回 knows it too).
    var depthNow = function () {
      var st = history.state || {};
      if (typeof st.gzDepth !== "number") {
        var d = 0;
        try { d = (parseInt(sessionStorage.getItem("gz-kiosk-depth"), 10) + 1) || 0; } catch (e) {}
        history.replaceState(Object.assign({}, st, { gzDepth: d }), "");
      }
      try { sessionStorage.setItem("gz-kiosk-depth", String(history.state.gzDepth)); } catch (e) {}
    };
    depthNow();
    window.addEventListener("pageshow", depthNow);
    // Sheets and downloads open in this tab, under the kiosk bar and its idle reset.
    Array.prototype.forEach.call(document.querySelectorAll('a[target="_blank"]'), function (a) { a.removeAttribute("target"); });
    // Links that leave the site are shown but not followed on a public kiosk.
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a[href]");
      if (!a) return;
      var url;
      try { url = new URL(a.href, location.href); } catch (err) { return; }
      if (url.origin === location.origin || url.protocol === "javascript:") return;
      e.preventDefault();
      note.querySelector(".gz-kiosk-note__text").textContent =
        "本机为自助查询终端，不能打开其他网站。该链接的地址是：" + url.href + "，请在自己的手机或电脑上访问。";
      note.hidden = false;
      note.querySelector("button").focus();
    }, true);
  }

  // -- the print URL ----------------------------------------------------------
  var printed = document.querySelector("[data-gz-url]");
  if (printed && !printed.textContent) printed.textContent = location.href.split("#")[0];

  // -- narrow screens: the toolbar folds behind one button ---------------------
  var more = bar.querySelector(".gz-toolbar__more");
  var list = bar.querySelector(".gz-toolbar__list");
  if (more && list) {
    more.hidden = false;
    more.addEventListener("click", function () {
      var open = more.getAttribute("aria-expanded") !== "true";
      more.setAttribute("aria-expanded", open ? "true" : "false");
      bar.classList.toggle("gz-toolbar--open", open);
    });
  }

  // -- the navigation drawer on narrow screens -----------------------------------
  // Material's ☰ is a label for a hidden checkbox: no keyboard user could reach it.
  // A real button takes its place; while the drawer is closed its links are out of
  // the Tab order (a11y.css hides the closed drawer).
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  if (drawer && label) {
    var opener = document.createElement("button");
    opener.type = "button";
    opener.className = "md-header__button md-icon gz-drawer-button";
    opener.setAttribute("aria-label", "导航菜单");
    opener.innerHTML = label.innerHTML;  // Material's own icon (markup from the theme, not from content)
    label.parentNode.insertBefore(opener, label);
    label.style.display = "none";
    var syncDrawer = function () { opener.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); };
    syncDrawer();
    drawer.addEventListener("change", syncDrawer);
    opener.addEventListener("click", function (e) {
      drawer.click();
      // From the keyboard (a click without a pointer), the focus goes into the open drawer.
      if (drawer.checked && e.detail === 0) {
        var first = document.querySelector(".md-sidebar--primary .md-nav__list a[href]");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || !drawer.checked) return;
      drawer.click();
      opener.focus();
    });
  }

  // -- wiring ---------------------------------------------------------------------
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-gz-toggle],[data-gz-action]");
    if (!btn) return;
    var t = btn.getAttribute("data-gz-toggle");
    if (t) { toggle(t); return; }
    switch (btn.getAttribute("data-gz-action")) {
      case "zoom-in": setZoom(zoom() + ZOOM_STEP); break;
      case "zoom-out": setZoom(zoom() - ZOOM_STEP); break;
      case "reset":
        TOGGLES.forEach(function (n) { state[n] = false; apply(n); });
        if (state.script) setScript(false, true);
        setZoom(1);
        announce("已恢复默认显示");
        break;
      case "read":
        if (readBtn.getAttribute("aria-pressed") === "true") { stopSpeaking(); announce("已停止朗读"); }
        else readArticle();
        break;
      case "back":
        // In a kiosk, never back past the page this visitor started on (the last one's pages).
        // (An entry without a depth is an #anchor within this page: back stays on it.)
        var st = history.state;
        if (!kiosk || !st || typeof st.gzDepth !== "number" || st.gzDepth > 0) history.back();
        else location.replace(bar.getAttribute("data-gz-home") || ".");
        break;
      case "script": setScript(state.script !== "hant"); break;
      case "print": window.print(); break;
      case "close-note": closeNote(); break;
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (readBtn && readBtn.getAttribute("aria-pressed") === "true") stopSpeaking();
    closeNote();
  });

  TOGGLES.forEach(apply);
  // The classes set before first paint may have been replaced by other scripts.
  root.classList.add("gz-js");
  if (kiosk) root.classList.add("gz-kiosk");
})();
