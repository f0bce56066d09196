/* gkml service worker, build __VERSION__. gkml.site.offline fills in the build's values (the
 * upper-case names between double underscores) and writes the result as sw.js at the site root;
 * this template itself is removed from the built site. */
"use strict";
var VERSION = "__VERSION__";
var CACHE = "gkml-" + VERSION;      // the shell and the search index files: never evicted
var VISITS = CACHE + "-visits";     // pages and attachments as visited: at most MAX_VISITS
var MAX_VISITS = __MAX_VISITS__;
var PRECACHE = __PRECACHE__;
// The whole search index when it fits the offline budget (else []: the search page offers to
// download it). Cached on install one file at a time, a failed file is fetched again on use.
var INDEX = __INDEX__;
var SCOPE = self.registration.scope;
var SHELL = {};
PRECACHE.forEach(function (path) { SHELL[key(new URL(path, SCOPE).href)] = true; });

function key(url) {
  // Index files are versioned (?v=<index version>) and immutable: the full URL is their key.
  // Everything else ignores the query string (search.html?q=… is search.html).
  var u = new URL(url);
  var path = u.pathname.slice(new URL(SCOPE).pathname.length);
  if (path.indexOf("search/") === 0 && path !== "search/meta.js") return u.href;
  return u.origin + u.pathname;
}

function refetch(url) {  // past the HTTP cache's guesses, so stale-while-revalidate revalidates
  return fetch(url, { cache: "no-cache", credentials: "same-origin" });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    function put(path) {
      var url = new URL(path, SCOPE).href;
      return refetch(url).then(function (res) {
        if (res.ok) return cache.put(key(url), res);
      });
    }
    return Promise.all(PRECACHE.map(put)).then(function () {
      // a few requests at a time: thousands at once would stall the browser
      var next = 0;
      function worker() {
        if (next >= INDEX.length) return Promise.resolve();
        return put(INDEX[next++]).catch(function () {}).then(worker);
      }
      return Promise.all([worker(), worker(), worker(), worker(), worker(), worker()]);
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("gkml-") === 0 && n !== CACHE && n !== VISITS; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Cache.keys() lists entries in the order they were stored (a put replaces an entry and moves it
 * last), so the first ones are the least recently stored. One trim at a time. */
var trimming = Promise.resolve();
function trim() {
  trimming = trimming.then(function () {
    return caches.open(VISITS).then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_VISITS))
          .map(function (request) { return cache.delete(request); }));
      });
    });
  }).catch(function () {});
  return trimming;
}

/* Store a fresh response (the visit cache trimmed after), or forget a page the server no longer
 * has; `event` keeps the worker alive until that is done. Pages the search reads to check a
 * phrase (X-Gkml-Search) are no visits: they would push the reader's own pages out. */
function store(event, cache, name, request, response) {
  var done = null;
  var read = name === VISITS && request.headers.get("X-Gkml-Search");
  if (response && response.ok && response.type === "basic" && !read) {
    done = cache.put(key(request.url), response.clone());
    if (name === VISITS) done = done.then(trim);
  } else if (response && (response.status === 404 || response.status === 410)) {
    done = cache.delete(key(request.url));
  }
  if (done) event.waitUntil(done.catch(function () {}));
  return response;
}

function offlinePage() {
  return new Response("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>离线</title>" +
    "<body style=\"font-family:sans-serif;padding:1em;line-height:1.6\"><h1>当前处于离线状态</h1>" +
    "<p>这个页面还没有在本机保存过，联网后才能打开。已经访问过的页面和首页、检索页可以离线使用。</p>" +
    "<p><a href=\"" + SCOPE + "index.html\">返回首页</a> · <a href=\"" + SCOPE + "search.html\">信息检索</a></p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(SCOPE) !== 0) return;
  var path = new URL(request.url).pathname.slice(new URL(SCOPE).pathname.length);
  var name = SHELL[key(request.url)] || path.indexOf("search/") === 0 ? CACHE : VISITS;
  event.respondWith(caches.open(name).then(function (cache) {
    return cache.match(key(request.url)).then(function (cached) {
      var network = function () {
        return refetch(request.url).then(function (res) { return store(event, cache, name, request, res); });
      };
      if (path === "search/meta.js") {  // network first: a new index is noticed at once
        return network().catch(function () { return cached || Response.error(); });
      }
      if (path.indexOf("search/") === 0 && cached) return cached;  // versioned index files
      if (cached) {  // stale-while-revalidate
        event.waitUntil(network().catch(function () {}));
        return cached;
      }
      return network().catch(function () {
        return request.mode === "navigate" ? offlinePage() : Response.error();
      });
    });
  }));
});
