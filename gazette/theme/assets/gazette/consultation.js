/* 意见征集: the state printed at build time (未开始 / 进行中 / 已结束) is corrected from
   today's date, so a site built last week does not call an ended consultation open.
   Dates compare as YYYY-MM-DD strings in the reader's local time (China Standard Time
   on the office's own kiosks). Without JavaScript the page stays correct as of build day. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function update() {
    var now = new Date();
    var day = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    var nodes = document.querySelectorAll(".gz-consult-state[data-opens][data-closes]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var state = day < el.getAttribute("data-opens") ? "未开始"
        : day > el.getAttribute("data-closes") ? "已结束" : "进行中";
      var text = el.querySelector(".gz-consult-state__text") || el;
      if (text.textContent !== state) { text.textContent = state; }
      el.setAttribute("data-state", state);
    }
    var asof = document.querySelectorAll(".gz-consult__asof time");
    for (var j = 0; j < asof.length; j++) {
      asof[j].setAttribute("datetime", day);
      asof[j].textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日";
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  /* Material's instant navigation swaps pages without a reload. */
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(update); }
})();
