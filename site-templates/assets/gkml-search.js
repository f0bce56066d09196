/* gkml 信息检索: the query side of the static index built by plugins/gkml/search/.
 *
 * Index files are scripts that call gkmlSearchLoad(kind, number, version, data), so the search
 * works the same over HTTP and from a copy opened with file://. Folding, tokenising, hashing and
 * the posting-list format mirror fold.py, tokenize.py and encode.py: keep them in step.
 */
(function () {
  "use strict";

  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var a = 0; a < 64; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;
  var WS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
  var SPACES = new RegExp("[" + WS + "]+", "g");
  var CUT = /[^\p{L}\p{N}]+/u;
  var UNIT = /[0-9a-z]+|[\p{L}\p{N}]/gu;
  var WORD = /^[0-9a-z]+$/;
  var OPEN = "〔[【(（［﹝〖〘⦅｟", CLOSE = "〕]】)）］﹞〗〙⦆｠";
  var PAGE = 10, SNIPPET = 100, SLACK = 10;  // results per page, characters of a snippet, texts read beyond a page
  /* Per query term: its phrase in the title, in the other fields, its pairs apart in the title. */
  var TITLE_PHRASE = 4, BODY_PHRASE = 2, TITLE_ALL = 1, ID_MATCH = 100;
  var FACETS = ["unit", "col", "topic", "genre", "year", "valid"];
  var WHOLE_TITLE_MAX = 12;  // titles up to this long are indexed whole too (postings.py)

  /* ---------- loading index files ---------- */

  var base = "search/";
  var meta = null, version = "", t2s = null;
  var promises = {}, waiting = {};

  function StaleIndex() { this.message = "index changed"; }

  window.gkmlSearchLoad = function (kind, number, ver, data) {
    var key = kind + ":" + number, w = waiting[key];
    if (kind === "meta") { version = ver; t2s = null; }
    if (!w) {  // search.html loads meta.js with a plain tag, in parallel with this script
      if (kind === "meta" && !promises[key]) promises[key] = Promise.resolve(data);
      return;
    }
    delete waiting[key];
    if (kind !== "meta" && kind !== "t" && ver !== version) w.reject(new StaleIndex());  // t/: see textsOf()
    else w.resolve(data);
  };

  function load(kind, number, path, bust) {
    var key = kind + ":" + number;
    if (promises[key]) return promises[key];
    var p = new Promise(function (resolve, reject) {
      waiting[key] = { resolve: resolve, reject: reject };
      var s = document.createElement("script");
      s.async = true;
      s.src = base + path + (bust ? "?r=" + Date.now() : version ? "?v=" + version : "");
      s.onload = function () {
        s.remove();
        if (waiting[key]) { delete waiting[key]; reject(new Error("no data in " + path)); }
      };
      s.onerror = function () { s.remove(); delete waiting[key]; reject(new Error("cannot load " + path)); };
      document.head.appendChild(s);
    });
    promises[key] = p;
    p.catch(function () { if (promises[key] === p) delete promises[key]; });
    return p;
  }

  function loadMeta(bust) {
    return load("meta", 0, "meta.js", bust).then(function (m) {
      meta = m;
      return m;
    });
  }

  function reloadIndex() {
    promises = {}; waiting = {}; meta = null; decoded = {}; facetCache = null; texts = {};
    return loadMeta(true);
  }

  /* ---------- folding and tokenising (fold.py, tokenize.py) ---------- */

  function t2sMap() {
    if (!t2s) {
      t2s = new Map();
      var pairs = Array.from(meta ? meta.t2s : "");
      for (var i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
    }
    return t2s;
  }

  function foldChar(ch, map) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) { cp -= 0xfee0; ch = String.fromCharCode(cp); }
    else if (cp === 0x3000) return " ";
    if (cp >= 0x41 && cp <= 0x5a) return String.fromCharCode(cp + 32);
    return map.get(ch) || ch;
  }

  function fold(text) {
    var map = t2sMap(), out = "";
    for (var ch of text) out += foldChar(ch, map);
    return out;
  }

  function idKey(text) {
    var s = fold(text).replace(SPACES, ""), out = "";
    for (var ch of s) out += OPEN.indexOf(ch) >= 0 ? "(" : CLOSE.indexOf(ch) >= 0 ? ")" : ch;
    return out;
  }

  function looksLikeId(text) {
    var k = idKey(text);
    return /\d/.test(k) && (k.indexOf("(") >= 0 || k.indexOf("/") >= 0 || /号$/.test(k));
  }

  function isWord(unit) { return WORD.test(unit); }

  function isPairKey(key) {
    return Array.from(key).length > 1 && key[0] !== "=" && !WORD.test(key);
  }

  /* Query terms: [{text, keys}] — a one-unit term looks up that unit, longer ones their pairs. */
  function queryTerms(query) {
    var out = [], seen = {};
    fold(query).split(CUT).forEach(function (part) {
      var units = part.match(UNIT);
      if (!units) return;
      var keys = [];
      if (units.length === 1) keys.push(units[0]);
      for (var i = 0; i + 1 < units.length; i++) {
        if (!(isWord(units[i]) && isWord(units[i + 1]))) keys.push(units[i] + units[i + 1]);
      }
      var sig = keys.join("\u0000");
      if (keys.length && !seen[sig]) { seen[sig] = 1; out.push({ text: units.join(""), keys: keys }); }
    });
    return out;
  }

  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var ch of text) { h ^= ch.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  /* ---------- posting lists (encode.py) ---------- */

  var decoded = {};

  /* A posting list: the gap list, or "~" + bitmap of all documents + "~" + the gap list of the
   * documents whose title holds the term (encode.py). Returns {docs (ascending), title: doc → positions}. */
  function decodeList(text, withPositions) {
    if (text.charCodeAt(0) === 126) {
      var end = text.indexOf("~", 1), all = [];
      for (var c = 1; c < end; c++) {
        var bits = DIGIT[text.charCodeAt(c)];
        if (!bits) continue;
        for (var k = 0; k < 6; k++) if (bits & (32 >> k)) all.push((c - 1) * 6 + k);
      }
      return { docs: all, title: decodeList(text.slice(end + 1), withPositions).title };
    }
    var docs = [], title = new Map(), doc = -1, value = 0, shift = 0, i = 0, n = text.length;
    function next() {
      value = 0; shift = 0;
      for (;;) {
        var d = DIGIT[text.charCodeAt(i++)];
        value += (d & 31) * Math.pow(2, shift);
        if (d < 32) return value;
        shift += 5;
      }
    }
    while (i < n) {
      var v = next();
      doc += Math.floor(v / 2) + 1;
      docs.push(doc);
      if (v & 1) {
        var positions = [];
        if (withPositions) {
          var pos = 0, more = 1;
          while (more) { var w = next(); pos += w >> 1; more = w & 1; positions.push(pos); }
        }
        title.set(doc, positions);
      }
    }
    return { docs: docs, title: title };
  }

  function postings(key) {
    if (decoded[key]) return Promise.resolve(decoded[key]);
    var has = Object.prototype.hasOwnProperty, big = has.call(meta.big, key) ? meta.big[key] : -1;
    var shard = fnv1a(key) % meta.shards;
    var text = big >= 0 ? load("b", big, "b/" + big + ".js") : load("s", shard, "s/" + shard + ".js")
      .then(function (data) { return has.call(data, key) ? data[key] : ""; });
    return text.then(function (text) {
      decoded[key] = decodeList(text, isPairKey(key));
      return decoded[key];
    });
  }

  /* ---------- facets ---------- */

  var facetCache = null;

  function varints(s) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      value += (d & 31) * scale;
      if (d < 32) { out.push(value); value = 0; scale = 1; } else scale *= 32;
    }
    return out;
  }

  /* Canonical Huffman codes, one per context (facets.py): each {count: symbols per code length,
   * symbols: in (length, symbol) order}. */
  function codeTables(s) {
    var v = varints(s), at = 0, tables = [];
    while (at < v.length) {
      var k = v[at++], symbol = -1, entries = [], count = [];
      for (var i = 0; i < k; i++) {
        symbol += v[at++] + 1;
        entries.push([v[at++], symbol]);
      }
      entries.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
      for (i = 0; i <= (k ? entries[k - 1][0] : 0); i++) count.push(0);
      entries.forEach(function (e) { count[e[0]]++; });
      tables.push({ count: count, symbols: entries.map(function (e) { return e[1]; }) });
    }
    return tables;
  }

  /* One symbol of table `t` from a bit string (most significant bit first, ALPHABET digits). */
  function bitDecoder(s) {
    var at = 0, acc = 0, have = 0;
    return function (t) {
      var symbols = t.symbols;
      if (symbols.length === 1) return symbols[0];  // a single symbol has no bits
      var count = t.count, code = 0, first = 0, index = 0;
      for (var len = 1; len < count.length; len++) {
        if (!have) { acc = DIGIT[s.charCodeAt(at++)]; have = 6; }
        code |= (acc >> --have) & 1;
        var c = count[len];
        if (code - first < c) return symbols[index + code - first];
        index += c;
        first = (first + c) << 1;
        code <<= 1;
      }
      throw new Error("facets.js: bad code");
    };
  }

  /* facets.js: per document its unit (move-to-front rank), column (a code per unit), topic (a
   * code per unit) and (genre, validity) pair (a code per column); documents with the same
   * values share one profile object. */
  function facets() {
    if (facetCache) return Promise.resolve(facetCache);
    return load("facets", 0, "facets.js").then(function (f) {
      var L = meta.labels, n = meta.docs, values = [], profileOf = new Map(), prof = new Int32Array(n);
      var mtf = codeTables(f.mtf)[0], cols = codeTables(f.col), topics = codeTables(f.topic);
      var gvs = codeTables(f.gvCodes), read = bitDecoder(f.docs), order = [];
      var C = L.col.length, T = L.topic.length, G = f.gv.length;
      for (var u = 0; u < L.unit.length; u++) order.push(u);
      for (var d = 0; d < n; d++) {
        var rank = read(mtf), unit = order[rank];
        if (rank) { order.splice(rank, 1); order.unshift(unit); }
        var col = read(cols[unit]), topic = read(topics[unit]), gv = read(gvs[col]);
        var key = ((unit * C + col) * T + topic) * G + gv, p = profileOf.get(key);
        if (p === undefined) {
          var t = L.topic[topic];
          p = values.length;
          profileOf.set(key, p);
          values.push({
            unit: [L.unit[unit][0]], col: [L.col[col][0]], genre: [L.genre[f.gv[gv][0]]], valid: [L.valid[f.gv[gv][1]]],
            topic: t[0] ? (t[1] ? [t[0], t[0] + "/" + t[1]] : [t[0]]) : [""]
          });
        }
        prof[d] = p;
      }
      var years = new Array(n);
      f.years.forEach(function (y, j) {
        var end = j + 1 < f.years.length ? f.years[j + 1][1] : n, label = [String(y[0])];
        for (var d2 = y[1]; d2 < end; d2++) years[d2] = label;
      });
      facetCache = { prof: prof, values: values, years: years };
      return facetCache;
    });
  }

  /* Filter `docs` by the active facets and count every facet's values over the documents that
   * pass all the other facets (so each count says what choosing that value would give). A topic
   * counts at both levels (一级 and 一级/二级); the year comes from the document number. */
  function applyFacets(fc, docs, active) {
    var F = FACETS.length, on = [], counts = {}, kept = [], vals = new Array(F);
    FACETS.forEach(function (f, j) { counts[f] = {}; if (active[f]) on.push(j); });
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i], pv = fc.values[fc.prof[doc]], failed = -1, fails = 0, j, k;
      for (j = 0; j < F; j++) vals[j] = FACETS[j] === "year" ? fc.years[doc] : pv[FACETS[j]];
      for (k = 0; k < on.length; k++) {
        if (vals[on[k]].indexOf(active[FACETS[on[k]]]) < 0) { fails++; failed = on[k]; }
      }
      if (fails > 1) continue;
      for (j = 0; j < F; j++) {
        if (fails === 1 && j !== failed) continue;
        var c = counts[FACETS[j]], vs = vals[j];
        for (k = 0; k < vs.length; k++) c[vs[k]] = (c[vs[k]] || 0) + 1;
      }
      if (!fails) kept.push(doc);
    }
    return { docs: kept, counts: counts };
  }

  /* ---------- matching and ranking ---------- */

  function intersect(lists) {
    lists = lists.slice().sort(function (x, y) { return x.length - y.length; });
    var out = lists[0];
    for (var i = 1; i < lists.length && out.length; i++) {
      var other = lists[i], next = [], j = 0;
      for (var k = 0; k < out.length; k++) {
        while (j < other.length && other[j] < out[k]) j++;
        if (j < other.length && other[j] === out[k]) next.push(out[k]);
      }
      out = next;
    }
    return out;
  }

  /* How a term's title holds it: TITLE_PHRASE, TITLE_ALL (every pair, not side by side) or 0. */
  function titleScore(term, lists, doc) {
    var pos = term.keys.map(function (k) { return lists[k].title.get(doc); });
    if (pos.some(function (p) { return p === undefined; })) return 0;
    if (term.keys.length === 1) return TITLE_PHRASE;
    for (var a = 0; a < pos[0].length; a++) {
      var start = pos[0][a], ok = true;
      for (var i = 1; i < pos.length && ok; i++) ok = pos[i].indexOf(start + i) >= 0;
      if (ok) return TITLE_PHRASE;
    }
    return TITLE_ALL;
  }

  /* All documents matching `query`, best first: {docs, terms, score, open}. A term found in a
   * document's body (or 文号, summary …) by its pairs is there as a phrase only if the pairs are
   * side by side, which the posting lists do not say: such a document is ranked as if they were
   * (`score`, an upper bound) and listed in `open` with the score it gets if they are not;
   * settle() reads the document's text (textsOf) when the ranking reaches it. */
  function match(query) {
    var terms = queryTerms(query);
    // a 文号, 索引号 or part of a 文号 (〔2025〕), or a whole short title: looked up as one key
    var whole = idKey(query);
    var id = whole && (looksLikeId(query) || Array.from(whole).length <= WHOLE_TITLE_MAX) ? "=" + whole : null;
    var keys = [];
    terms.forEach(function (t) { t.keys.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
    if (id) keys.push(id);
    return Promise.all(keys.map(postings)).then(function (got) {
      var lists = {};
      keys.forEach(function (k, i) { lists[k] = got[i]; });
      if (!terms.length && !id) {
        var all = new Array(meta.docs);
        for (var d = 0; d < meta.docs; d++) all[d] = d;
        return { docs: all, terms: terms, score: new Int32Array(meta.docs), open: new Map() };
      }
      var found = terms.length ? intersect(keys.filter(function (k) { return k !== id; })
        .map(function (k) { return lists[k].docs; })) : [];
      var idDocs = new Set(id ? lists[id].docs : []), inFound = new Set(found);
      var union = found.concat(Array.from(idDocs).filter(function (d) { return !inFound.has(d); }));
      var score = new Int32Array(meta.docs), open = new Map();  // score by document
      union.forEach(function (doc) {
        var high = idDocs.has(doc) ? ID_MATCH : 0, low = high, check = [];
        terms.forEach(function (t) {
          var s = titleScore(t, lists, doc);
          if (s === TITLE_PHRASE || !inFound.has(doc)) { high += s; low += s; }
          else if (t.keys.length === 1) { high += BODY_PHRASE; low += BODY_PHRASE; }  // one pair, not in the title
          else { high += BODY_PHRASE; low += s; check.push({ term: t, title: s }); }
        });
        score[doc] = high;
        if (check.length) open.set(doc, { low: low, check: check });
      });
      union.sort(byRank(score));
      return { docs: union, terms: terms, score: score, open: open };
    });
  }

  /* Result order: higher score first, then the lower document number (the newer item). */
  function byRank(score) {
    return function (x, y) { return score[y] - score[x] || x - y; };
  }

  /* ---------- phrases in a document's text ---------- */

  var WORD_CHAR = /[0-9a-z]/, UNIT_CHAR = /^[\p{L}\p{N}]/u, SPACE_CHAR = new RegExp("^[" + WS + "]");

  /* A text folded and read as the index reads it: units as they are, one space only between two
   * words, "\u0000" for each character that cuts a segment; at[i] = index in Array.from(text) of
   * the character s[i] comes from. */
  function canonical(text) {
    var map = t2sMap(), chars = Array.from(text), s = "", at = [], gap = false, word = false;
    for (var i = 0; i < chars.length; i++) {
      var f = foldChar(chars[i], map);
      if (SPACE_CHAR.test(f)) { gap = true; continue; }
      var unit = UNIT_CHAR.test(f), isWord = unit && WORD_CHAR.test(f);
      if (gap && word && isWord) { s += " "; at.push(i); }
      if (!unit) f = "\u0000";
      s += f;
      for (var k = 0; k < f.length; k++) at.push(i);
      gap = false; word = isWord;
    }
    return { s: s, at: at, chars: chars };
  }

  /* Where the term occurs as a phrase in a canonical text (whole words for letters and digits), or -1. */
  function phraseAt(c, term) {
    var t = term.text, first = WORD_CHAR.test(t[0]), last = WORD_CHAR.test(t[t.length - 1]);
    for (var at = c.s.indexOf(t); at >= 0; at = c.s.indexOf(t, at + 1)) {
      if (first && at > 0 && WORD_CHAR.test(c.s[at - 1])) continue;
      if (last && WORD_CHAR.test(c.s[at + t.length] || "")) continue;
      return at;
    }
    return -1;
  }

  var texts = {};

  /* The fields of each document the index read besides its title, canonical (null where they
   * cannot be read, offline and never fetched: the document keeps its rank unchecked). A copy
   * made by gkml bundle keeps them in t/ files (meta.textChunk documents a file, build.py): they
   * carry no version but each document's URL, checked against the versioned details, so a file
   * of a newer build under an open page is a StaleIndex like any other. A site on a web server
   * keeps no such copy: the fields are read from the documents' own pages (pageFields). */
  function textsOf(docs) {
    var size = meta.textChunk;
    return details(docs).then(function (info) {
      return Promise.all(docs.map(function (doc, i) {
        if (texts[doc] !== undefined) return texts[doc];
        if (!size) return pageFields(info[i][1]);
        var n = Math.floor(doc / size);
        return load("t", n, "t/" + n + ".js").then(function (chunk) {
          var data = chunk[doc - n * size];
          if (data && data[0] !== info[i][1]) throw new StaleIndex();
          return data ? data.slice(1) : null;
        }, function () { return null; });
      })).then(function (got) {
        return docs.map(function (doc, i) {
          var data = got[i];
          if (data && !data.fields) data = { fields: data.map(function (f) { return canonical(f || ""); }) };
          if (data) texts[doc] = data;
          return data && data.fields;
        });
      });
    });
  }

  /* The rows of a page's metadata table (item.html) that hold the fields of text.search_fields,
   * in its order; null: the body. */
  var PAGE_FIELDS = ["文号", "关键词", "内容概述", "发布机构", "索引号", null, "原索引号"];
  var BLOCK = /^(ADDRESS|BLOCKQUOTE|BR|CAPTION|DD|DIV|DL|DT|FIGCAPTION|FIGURE|H[1-6]|HR|LI|OL|P|PRE|SECTION|TABLE|TD|TH|TR|UL)$/;

  /* The text of an element, a space where a block begins or ends (as the Markdown's line breaks
   * were for the index), none around inline markup (「人民政府<strong>2025年</strong>」). */
  function blockText(el) {
    var out = [], walker = el.ownerDocument.createTreeWalker(el, 5);  // elements and text
    var block = function (node) { return node && node.nodeType === 1 && BLOCK.test(node.tagName); };
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (block(node) || block(node.previousSibling)) out.push(" ");  // where one begins, after one ends
      if (node.nodeType === 3) out.push(node.data);
    }
    return out.join("");
  }

  /* search_fields of the document at `url` (relative to the site root), read from its page; null
   * from file:// (a page cannot read another there), when the page does not load, and for a page
   * with no metadata table (a 年报 gkml computes: its summary and keywords are not on it). */
  function pageFields(url) {
    if (!/^https?:$/.test(location.protocol) || !window.fetch || !window.DOMParser) return Promise.resolve(null);
    // marked, so that the service worker keeps these reads out of the reader's visited pages
    return fetch(new URL(url, new URL(base + "../", location.href)), { headers: { "X-Gkml-Search": "1" } }).then(function (res) {
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (html === null) return null;
      var page = new DOMParser().parseFromString(html, "text/html"), rows = {};
      if (!page.querySelector("table.gkml-meta")) return null;
      page.querySelectorAll("table.gkml-meta th").forEach(function (th) {
        var value = th.nextElementSibling ? th.nextElementSibling.textContent.trim() : "";
        rows[th.textContent.trim()] = value === "—" ? "" : value;
      });
      var body = page.querySelector(".gkml-body");
      return PAGE_FIELDS.map(function (name) { return name ? rows[name] || "" : body ? blockText(body) : ""; });
    }).catch(function () { return null; });
  }

  function hasPhrase(fields, term) {
    return fields.some(function (c) { return phraseAt(c, term) >= 0; });
  }

  /* Put the first `n` documents of a result in their final order: read the texts of the open
   * documents among them, move those whose phrases are not there down to their real score, and
   * again until the first n are all settled. Documents before r.shown are on screen and stay.
   * At most n - r.shown + SLACK texts are read: where the pairs are mostly apart (「任务落实」 in
   * thousands of bodies with 任务, 务落 and 落实 but none side by side) checking on would mean
   * reading them all, so the rest are ranked as if apart (newest first among themselves) until a
   * later call (the next page) reads theirs. */
  function settle(r, n, budget) {
    if (budget === undefined) budget = n - r.shown + SLACK;
    var todo = [];
    for (var i = r.shown; i < Math.min(n, r.docs.length); i++) if (r.open.has(r.docs[i])) todo.push(r.docs[i]);
    if (!todo.length) return Promise.resolve(r);
    if (budget <= 0) { giveUp(r); return Promise.resolve(r); }
    todo = todo.slice(0, budget);
    return textsOf(todo).then(function (got) {
      todo.forEach(function (doc, i) {
        var o = r.open.get(doc), fields = got[i], s = o.low;
        r.open.delete(doc);
        if (!fields) return;
        o.check.forEach(function (c) { if (hasPhrase(fields, c.term)) s += BODY_PHRASE - c.title; });
        if (s !== r.score[doc]) reposition(r, doc, s);
      });
      return settle(r, n, budget - todo.length);
    });
  }

  function giveUp(r) {
    r.open.forEach(function (o, doc) { r.score[doc] = o.low; });
    var rest = r.docs.splice(r.shown, r.docs.length - r.shown);
    rest.sort(byRank(r.score));
    r.docs = r.docs.concat(rest);
  }

  /* Move `doc` to where `score` puts it among the documents not yet shown (they stay sorted). */
  function reposition(r, doc, score) {
    var docs = r.docs;
    docs.splice(docs.indexOf(doc, r.shown), 1);
    r.score[doc] = score;
    var lo = r.shown, hi = docs.length, order = byRank(r.score);
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (order(docs[mid], doc) < 0) lo = mid + 1; else hi = mid;
    }
    docs.splice(lo, 0, doc);
  }

  function details(docs) {
    var size = meta.detailChunk, chunks = [];
    docs.forEach(function (d) { var c = Math.floor(d / size); if (chunks.indexOf(c) < 0) chunks.push(c); });
    return Promise.all(chunks.map(function (c) { return load("d", c, "d/" + c + ".js"); })).then(function (got) {
      var byChunk = {};
      chunks.forEach(function (c, i) { byChunk[c] = got[i]; });
      return docs.map(function (d) { return byChunk[Math.floor(d / size)][d % size]; });
    });
  }

  /* ---------- the public API (used by the page below, the tests and the benchmark) ---------- */

  /* Matching documents after the facet filters, best first (the first PAGE settled: see
   * settle(), which the caller applies before showing more), with facet counts. With
   * `countsLater` and no filter set, the counts are left out (counts: null) so results need not
   * wait for facets.js: the page asks for them with facetCounts() once results are on screen. */
  function search(query, active, countsLater) {
    active = active || {};
    var filtering = FACETS.some(function (f) { return active[f]; });
    var result = function (m, docs, counts) {
      return settle({ docs: docs, counts: counts, terms: m.terms, total: docs.length, score: m.score, open: m.open, shown: 0 }, PAGE);
    };
    var attempt = function () {
      return (meta ? Promise.resolve(meta) : loadMeta()).then(function () {
        if (countsLater && !filtering) {
          return match(query || "").then(function (m) { return result(m, m.docs, null); });
        }
        return Promise.all([match(query || ""), facets()]).then(function (r) {
          var f = applyFacets(r[1], r[0].docs, active);
          return result(r[0], f.docs, f.counts);
        });
      });
    };
    return attempt().catch(function (e) {
      if (e instanceof StaleIndex) return reloadIndex().then(attempt);
      throw e;
    });
  }

  function facetCounts(docs) {
    return facets().then(function (fc) { return applyFacets(fc, docs, {}).counts; });
  }

  window.gkmlSearch = {
    search: search, settle: settle, facetCounts: facetCounts, details: details, fold: fold, queryTerms: queryTerms,
    idKey: idKey, looksLikeId: looksLikeId, fnv1a: fnv1a,
    holds: function (text, query) {  // whether `text` holds every term of `query` as a phrase
      var c = canonical(text);
      return queryTerms(query).every(function (t) { return phraseAt(c, t) >= 0; });
    },
    meta: function () { return meta; },
    pageFields: pageFields  // the tests compare them with the index's own (text.search_fields)
  };

  /* ---------- the page ---------- */

  var root = document.getElementById("gkml-search");
  if (!root) return;
  base = root.getAttribute("data-index") || base;
  var form = document.getElementById("gkml-search-form");
  var input = document.getElementById("gkml-q");
  var status = document.getElementById("gkml-status");
  var list = document.getElementById("gkml-results");
  var more = document.getElementById("gkml-more");
  var box = document.getElementById("gkml-facets-box");
  var selects = {};
  FACETS.forEach(function (f) { selects[f] = document.getElementById("gkml-f-" + f); });
  var current = null, shown = 0, runId = 0, timer = 0;

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var active = {};
    FACETS.forEach(function (f) { if (params.get(f)) active[f] = params.get(f); });
    return active;
  }

  function activeFacets() {
    var active = {};
    FACETS.forEach(function (f) { if (selects[f].value) active[f] = selects[f].value; });
    return active;
  }

  function writeUrl(query, active) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    FACETS.forEach(function (f) { if (active[f]) params.set(f, active[f]); });
    var qs = params.toString();
    try { history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash); }
    catch (e) { /* some browsers refuse replaceState on file:// */ }
  }

  function option(value, label, count, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label + (count === null ? "" : "（" + count + "）");
    if (selected) o.selected = true;
    return o;
  }

  function facetOptions(name) {
    var L = meta.labels;
    switch (name) {
      case "unit": return L.unit.map(function (u) { return { value: u[0], label: u[1] }; });
      case "col": return L.col.map(function (c) { return { value: c[0], label: c[1], group: c[2] }; });
      case "topic":
        var out = [], seen = {};
        L.topic.forEach(function (t) {
          if (!t[0]) return;
          if (!seen[t[0]]) { seen[t[0]] = 1; out.push({ value: t[0], label: t[0] }); }
          if (t[1]) out.push({ value: t[0] + "/" + t[1], label: "\u3000" + t[1] });
        });
        return out;
      case "year": return L.year.map(function (y) { return { value: String(y), label: y + "年" }; });
      default: return L[name].filter(Boolean).map(function (v) { return { value: v, label: v }; });
    }
  }

  function renderFacets(counts, active) {
    FACETS.forEach(function (name) {
      var sel = selects[name], value = active[name] || "", groups = {};
      sel.textContent = "";
      sel.appendChild(option("", "全部", null, !value));
      facetOptions(name).forEach(function (o) {
        var count = counts[name][o.value] || 0;
        if (!count && o.value !== value) return;
        var parent = sel;
        if (o.group) {
          if (!groups[o.group]) {
            groups[o.group] = document.createElement("optgroup");
            groups[o.group].label = o.group;
            sel.appendChild(groups[o.group]);
          }
          parent = groups[o.group];
        }
        parent.appendChild(option(o.value, o.label, count, o.value === value));
      });
    });
  }

  /* Text with the query terms marked, built as DOM nodes (never innerHTML). */
  function highlighted(text, terms) {
    var frag = document.createDocumentFragment(), map = t2sMap();
    var chars = Array.from(text || ""), folded = "", at = [];
    chars.forEach(function (ch, i) { var f = foldChar(ch, map); for (var k = 0; k < f.length; k++) at.push(i); folded += f; });
    var marks = new Uint8Array(chars.length);
    terms.forEach(function (t) {
      if (!t.text) return;
      for (var from = folded.indexOf(t.text); from >= 0; from = folded.indexOf(t.text, from + 1)) {
        for (var k = from; k < from + t.text.length; k++) marks[at[k]] = 1;
      }
    });
    var i = 0;
    while (i < chars.length) {
      var j = i;
      while (j < chars.length && marks[j] === marks[i]) j++;
      var piece = chars.slice(i, j).join("");
      if (marks[i]) { var m = document.createElement("mark"); m.textContent = piece; frag.appendChild(m); }
      else frag.appendChild(document.createTextNode(piece));
      i = j;
    }
    return frag;
  }

  function contains(text, terms) {
    var f = fold(text || "");
    return terms.some(function (t) { return t.text && f.indexOf(t.text) >= 0; });
  }

  /* Where a term first occurs as a phrase in the body (else the summary, keywords, publisher):
   * that stretch of the text, about SNIPPET characters, or "" if none holds one. */
  function around(fields, terms) {
    var order = [5, 2, 1, 3];
    for (var n = 0; n < order.length; n++) {
      var c = fields[order[n]], best = -1;
      if (!c) continue;
      terms.forEach(function (t) { var at = phraseAt(c, t); if (at >= 0 && (best < 0 || at < best)) best = at; });
      if (best < 0) continue;
      var start = Math.max(0, c.at[best] - SNIPPET / 4), end = Math.min(c.chars.length, start + SNIPPET);
      start = Math.max(0, Math.min(start, end - SNIPPET));
      return (start ? "…" : "") + c.chars.slice(start, end).join("").trim() + (end < c.chars.length ? "…" : "");
    }
    return "";
  }

  function resultItem(d, terms, fields) {
    var li = document.createElement("li");
    li.className = "gkml-result";
    var a = document.createElement("a");
    a.className = "gkml-result-title";
    a.href = d[1];
    a.appendChild(highlighted(d[0], terms));
    li.appendChild(a);
    var info = document.createElement("p");
    info.className = "gkml-result-meta";
    [d[2], d[3], d[4]].forEach(function (v, i) {
      if (!v) return;
      var span = document.createElement(i === 1 ? "time" : "span");
      if (i === 1) span.setAttribute("datetime", v);
      if (i === 2) span.appendChild(highlighted(v, terms));
      else span.textContent = v;
      info.appendChild(span);
    });
    var indexNo = /^item\/(.+)\.html$/.exec(d[1]);
    if (indexNo && current && current.showIds) {  // 索引号 lookups: show it, marked
      var idSpan = document.createElement("span");
      idSpan.appendChild(highlighted(indexNo[1], [{ text: fold(current.query).replace(SPACES, "") }]));
      info.appendChild(idSpan);
    }
    if (d[7] && d[7] !== "有效") {
      var badge = document.createElement("span");
      badge.className = "gkml-badge";
      badge.textContent = d[7];
      info.appendChild(badge);
    }
    li.appendChild(info);
    var deep = !contains(d[5], terms) && fields ? around(fields, terms) : "";
    var snippet = deep || (contains(d[5], terms) || !contains(d[6], terms) ? d[5] || d[6] : d[6]);
    if (snippet) {
      var p = document.createElement("p");
      p.className = "gkml-result-snippet";
      p.appendChild(highlighted(snippet, terms));
      li.appendChild(p);
    }
    return li;
  }

  /* Show the next PAGE results; `started` (performance.now() when the query began) is recorded
   * in data-ms when they are on screen, for the benchmark. */
  function showMore(focusFirst, started) {
    var id = runId, from = shown, r = current;
    return settle(r, from + PAGE).then(function () {
      var docs = r.docs.slice(from, from + PAGE);
      // the text too where a term is not in the title, for a snippet around it
      var deep = docs.filter(function (doc) {
        return r.terms.length && r.score[doc] % ID_MATCH < r.terms.length * TITLE_PHRASE;
      });
      return Promise.all([details(docs), textsOf(deep)]).then(function (got) {
        return [got[0], docs.map(function (doc) { var at = deep.indexOf(doc); return at < 0 ? null : got[1][at]; })];
      });
    }).then(function (got) {
      if (id !== runId) return;
      var first = null;
      got[0].forEach(function (d, i) {
        var li = resultItem(d, r.terms, got[1][i]);
        first = first || li;
        list.appendChild(li);
      });
      shown = r.shown = from + got[0].length;
      more.hidden = shown >= r.docs.length;
      if (focusFirst && first) first.querySelector("a").focus();
      if (started !== undefined) root.setAttribute("data-ms", String(Math.round(performance.now() - started)));
    });
  }

  function describe(query, total) {
    var scope = query ? "包含「" + query + "」的" : "";
    if (!total) return query ? "没有找到" + scope + "信息。请减少检索词或清除筛选后再试。" : "没有符合筛选条件的信息。";
    return "找到 " + total + " 条" + scope + "信息" + (total > PAGE ? "，按相关程度排列" : "") + "。";
  }

  /* ---------- the platform's own pages (指南, 依申请公开 …): not in the index, found by name ---------- */

  /* Each unit (and the platform) has these pages (site/pages.py); the words say what a page holds,
   * so that 「办公地址」 or 「怎么申请」 finds the 指南 and 依申请公开 pages. */
  var PAGE_KINDS = [
    ["index.html", "", "单位 首页"],
    ["zhinan.html", "政府信息公开指南", "公开工作机构 办公地址 办公时间 联系电话 传真 互联网联系方式 邮编 受理机构 获取方式 分类 编排"],
    ["yishenqing.html", "依申请公开", "申请 依申请 申请公开 受理机构 办理时限 申请程序 补正 答复 收费"],
    ["nianbao.html", "政府信息公开年报", "年报 年度报告 工作年度报告"],
    ["fdzdgknr.html", "法定主动公开内容", "主动公开 目录 栏目"]
  ];
  var PAGES_SHOWN = 5;

  function findPages(query) {
    var terms = fold(query).split(SPACES).filter(Boolean).map(idKey);
    if (!terms.length || !meta || !meta.labels || !meta.labels.unit) return [];
    var found = [];
    function consider(title, words, url, rank) {
      var text = idKey(title + " " + words);
      if (terms.every(function (t) { return text.indexOf(t) >= 0; })) {
        found.push({ title: title, url: url, rank: rank + (idKey(title).indexOf(terms.join("")) >= 0 ? 0 : 2) });
      }
    }
    PAGE_KINDS.forEach(function (k) { if (k[1]) consider(k[1], k[2], k[0], 0); });
    meta.labels.unit.forEach(function (u) {
      PAGE_KINDS.forEach(function (k) { consider(u[1] + k[1], k[2], u[0] + "/" + k[0], 1); });
    });
    found.sort(function (a, b) { return a.rank - b.rank; });
    return found.slice(0, PAGES_SHOWN);
  }

  function renderPages(query) {
    var box = document.getElementById("gkml-pages-found");
    if (!box) return;
    var pages = findPages(query), ul = box.querySelector("ul");
    ul.textContent = "";
    pages.forEach(function (page) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = page.url;
      a.textContent = page.title;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.hidden = !pages.length;
  }

  function run() {
    var query = input.value.trim(), active = activeFacets(), id = ++runId, started = performance.now();
    writeUrl(query, active);
    root.setAttribute("data-state", "loading");
    status.textContent = "正在检索……";
    return search(query, active, !box.open).then(function (r) {
      if (id !== runId) return;
      current = r;
      current.query = query;
      current.showIds = looksLikeId(query);
      shown = 0;
      list.textContent = "";
      renderPages(query);
      if (r.counts) renderFacets(r.counts, active);
      status.textContent = describe(query, r.total);
      more.hidden = true;
      return showMore(false, started).then(function () {
        if (!r.counts && box.open && id === runId) return fillCounts();
      }).then(function () {
        if (id === runId) root.setAttribute("data-state", "done");
      });
    }).catch(failed(id));
  }

  /* Why a search could not finish, and what helps, in the reader's situation. */
  function failureMessage() {
    var offer = document.querySelector("#gkml-offline button:not([hidden])");
    if (navigator.onLine === false || location.protocol === "file:") {
      if (location.protocol === "file:") return "本机副本缺少这次检索需要的索引文件，请重新复制完整的网站文件夹。";
      return "当前处于离线状态，本机没有保存这次检索需要的索引文件。请联网后再检索" +
        (offer ? "；联网时点击下方「下载离线检索」，之后断网也能检索。" : "。");
    }
    return "检索索引没有加载成功：网络连接中断，或网站暂时无法访问。请稍后刷新页面重试" +
      (offer ? "；如需断网使用，可在联网时点击下方「下载离线检索」。" : "。");
  }

  /* What a failed load does to the run `id`: a newer index under the page runs the query again on it. */
  function failed(id) {
    return function (e) {
      if (id !== runId) return;
      if (e instanceof StaleIndex) { reloadIndex().then(run); return; }
      root.setAttribute("data-state", "error");
      root.setAttribute("data-error", e && e.message || String(e));  // for whoever debugs; the reader gets Chinese
      status.textContent = failureMessage();
    };
  }

  /* Counts for the results on screen, once the filter box is open (facets.js loads then). */
  function fillCounts() {
    var mine = current, id = runId;
    if (!mine || mine.counts) return Promise.resolve();
    return facetCounts(mine.docs).then(function (counts) {
      if (id !== runId || current !== mine) return;
      mine.counts = counts;
      renderFacets(counts, activeFacets());
    });
  }

  box.addEventListener("toggle", function () {
    if (!box.open || !current || current.counts) return;
    root.setAttribute("data-state", "loading");
    fillCounts().then(function () { root.setAttribute("data-state", "done"); }, function () {
      root.setAttribute("data-state", "error");
      status.textContent = "筛选数据加载失败，请刷新页面重试。";
    });
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  FACETS.forEach(function (f) { selects[f].addEventListener("change", run); });
  document.getElementById("gkml-clear").addEventListener("click", function () {
    FACETS.forEach(function (f) { selects[f].value = ""; });
    run();
  });
  more.addEventListener("click", function () {
    if (more.getAttribute("aria-busy") === "true") return;  // a page is on its way: one at a time
    more.setAttribute("aria-busy", "true");
    root.setAttribute("data-state", "loading");
    var idle = function () { more.removeAttribute("aria-busy"); };
    showMore(true).then(function () { root.setAttribute("data-state", "done"); }).catch(failed(runId)).then(idle, idle);
  });

  var initial = readUrl();
  FACETS.forEach(function (f) {
    if (initial[f]) {
      selects[f].appendChild(option(initial[f], initial[f], null, true));
      box.open = true;
    }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
