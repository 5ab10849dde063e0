/* The toolbar's 简/繁 switch: the page's text in traditional characters, phrase by phrase (OpenCC's
 * s2t data, pruned by tools/make_s2t_data.py, converted by s2t.js as opencc-js converts it, without
 * building opencc-js's trie of every phrase on each page). Loaded only when a reader asks for 繁
 * (a11y.js, or gz-head.html for a reader who chose it before); nothing leaves the site. Going back
 * to 简 puts the original strings back: nothing is converted back.
 *
 * Left as written: elements marked data-gz-asis or .gz-docno (文号, short addresses, the print URL),
 * code, 文号-shaped runs in running text (江府发〔2025〕11号): an identifier is cited as issued, and
 * the surnames 范, 于, 余 where a sentence names a person (OpenCC would make them 範, 於, 餘). */
import { s2tConverter } from "./s2t.js";
import * as s2tData from "./s2t-data.js";

const convert = s2tConverter(s2tData);

const root = document.documentElement;
const SKIP = "script,style,noscript,textarea,code,pre,kbd,samp,svg,[data-gz-asis],.gz-docno";
const ATTRS = ["title", "aria-label", "alt", "placeholder", "aria-description"];
// A 文号: issuer's abbreviation, year in brackets, number, 号. The words that lead into one in a
// sentence (根据江府发〔2025〕11号) are not part of it.
const DOCNO = /[\u3400-\u9fff]{1,12}[〔［\[（(【]\s*\d{4}\s*[〕］\]）)】]\s*第?\s*\d+\s*号/g;
const LEAD = /^.*?(?:根据|依据|按照|依照|参照|对照|贯彻|落实|执行|印发|转发|关于|及|和|与|同|经|见|的|将|对|按|依|在|是|为|以|由|即|了)/;

const texts = new Map();   // text node → its original string
const attrs = new Map();   // element → {attribute: original value}
let observer = null;
let original = null;       // the page's own lang, put back on 简
let active = false;

// Surnames OpenCC takes for words (范 → 範, 于 → 於, 余 → 餘) where a sentence names a person:
// 任命范晓明为…, 免去于洪涛的职务, 联系人：余丽, 范晓明同志. Only the surname is kept as written.
const NAME = new RegExp("(?:(?<=任命|免去|免职|聘任|聘请|提名|推荐|选举|批准|同意|授予|表彰|"
  + "(?:联系人|发布人|经办人|负责人|签发人|审核人|起草人|主持人)[:：]\\s*)[范于余](?=[\\u4e00-\\u9fff]{1,2}"
  + "(?:同志|先生|女士|为|任|的|等|、|，|。|）|\\s|$)))|[范于余](?=[\\u4e00-\\u9fff]{1,2}(?:同志|先生|女士))", "g");

function kept(s) {
  /** [start, end) of what stays as written: 文号s (without the words that lead into them) and surnames. */
  const out = [];
  DOCNO.lastIndex = 0;
  for (let m; (m = DOCNO.exec(s));) {
    const lead = LEAD.exec(m[0]);
    out.push([m.index + (lead ? lead[0].length : 0), m.index + m[0].length]);
  }
  NAME.lastIndex = 0;
  for (let m; (m = NAME.exec(s));) out.push([m.index, m.index + 1]);
  return out.sort((a, b) => a[0] - b[0]);
}

function convertText(s) {
  if (!/[\u3400-\u9fff]/.test(s)) return s;
  let out = "", last = 0;
  for (const [start, end] of kept(s)) {
    if (start < last) continue;
    out += convert(s.slice(last, start)) + s.slice(start, end);
    last = end;
  }
  return out + convert(s.slice(last));
}

function skipped(el) {
  if (el.closest(SKIP)) return true;
  const lang = el.closest("[lang]");
  return lang && lang !== root && !/^zh/i.test(lang.getAttribute("lang"));
}

function convertElementAttrs(el) {
  for (const name of ATTRS) {
    if (!el.hasAttribute(name)) continue;
    const saved = attrs.get(el) || {};
    if (!(name in saved)) saved[name] = el.getAttribute(name);
    attrs.set(el, saved);
    const value = convertText(saved[name]);
    if (value !== el.getAttribute(name)) el.setAttribute(name, value);
  }
}

function convertTree(top) {
  if (top.nodeType === Node.TEXT_NODE) {
    if (top.parentElement && !skipped(top.parentElement)) convertNode(top);
    return;
  }
  if (top.nodeType !== Node.ELEMENT_NODE || skipped(top)) return;
  const walker = document.createTreeWalker(top, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      if (n.matches(SKIP) || (n.hasAttribute("lang") && !/^zh/i.test(n.getAttribute("lang")))) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  convertElementAttrs(top);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) convertNode(n);
    else convertElementAttrs(n);
  }
}

function convertNode(n) {
  if (!texts.has(n)) texts.set(n, n.nodeValue);
  const value = convertText(texts.get(n));
  if (value !== n.nodeValue) n.nodeValue = value;
}

/** The whole page in 繁; what scripts add later (search results, messages) follows. */
export function toHant() {
  root.classList.remove("gz-hant-wait");
  if (active) return;
  active = true;
  if (original === null) original = root.getAttribute("lang") || "";
  root.setAttribute("lang", "zh-Hant");
  convertTree(document.body);
  const title = document.querySelector("head > title");
  if (title) convertTree(title);
  if (!observer) {
    observer = new MutationObserver(records => {
      for (const r of records) {
        if (r.type === "attributes") {
          // A script gave an element a new label: that is the new original.
          const saved = attrs.get(r.target);
          if (saved && saved[r.attributeName] !== undefined && r.target.getAttribute(r.attributeName) !== convertText(saved[r.attributeName])) {
            delete saved[r.attributeName];
          }
          if (!skipped(r.target)) convertElementAttrs(r.target);
        } else if (r.type === "characterData") {
          const n = r.target;
          if (texts.has(n) && n.nodeValue !== convertText(texts.get(n))) texts.delete(n);
          if (n.parentElement && !skipped(n.parentElement)) convertNode(n);
        } else {
          r.addedNodes.forEach(convertTree);
        }
      }
      observer.takeRecords();  // the changes just made here
    });
  }
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRS });
}

/** Back to the text as written. */
export function toHans() {
  active = false;
  if (observer) { observer.takeRecords(); observer.disconnect(); }
  for (const [n, s] of texts) if (n.nodeValue !== s) n.nodeValue = s;
  for (const [el, saved] of attrs) for (const name in saved) el.setAttribute(name, saved[name]);
  texts.clear();
  attrs.clear();
  if (original !== null) {
    if (original) root.setAttribute("lang", original); else root.removeAttribute("lang");
  }
  root.classList.remove("gz-hant-wait");
}

export { convertText };

// A reader who chose 繁 on an earlier page (gz-head.html has set the class and loaded this module).
window.gzScript = { toHant, toHans, convertText };
function start() {
  if (root.classList.contains("gz-hant")) toHant();
  window.dispatchEvent(new Event("gz-script-ready"));
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
