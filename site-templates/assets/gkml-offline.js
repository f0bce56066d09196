/* 离线检索 on the search page: says what works offline, and when the index is larger than the
 * site lets a visit cache by itself (search/offline.json: whole = false), offers to download it.
 * The files are fetched through the service worker, which keeps every search/ file it passes on
 * in the build's cache; a new build starts a new cache, so the download is asked for again. */
(function () {
  "use strict";
  var box = document.getElementById("gkml-offline");
  if (!box || !window.fetch || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  var KEY = "gkml-offline-index";
  var base = box.getAttribute("data-index") || "search/";
  var button = box.querySelector("button");
  var note = box.querySelector(".gkml-offline-note");
  var info = null;

  function size(bytes) {
    var mb = bytes / 1048576;
    return mb < 1 ? "不到 1 MB" : "约 " + (mb < 10 ? mb.toFixed(1) : Math.round(mb)) + " MB";
  }

  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(version) {
    try { window.localStorage.setItem(KEY, version); } catch (e) { /* private mode: not remembered */ }
  }

  function show() {
    box.hidden = false;
    if (info.whole) {
      note.textContent = "检索索引（" + size(info.bytes) + "）在联网访问本站时已自动保存到本机，断网后也可以检索。";
      button.hidden = true;
    } else if (remembered() === info.version) {
      note.textContent = "离线检索已下载到本机（" + size(info.bytes) + "），断网后也可以检索。";
      button.hidden = true;
    } else {
      note.textContent = "检索索引较大（" + size(info.bytes) + "），没有随网站自动保存；下载后断网也可以检索。已访问的页面不下载也可以离线查看。";
      button.textContent = "下载离线检索（" + size(info.bytes) + "）";
      button.hidden = false;
    }
  }

  function download(files) {
    var next = 0, done = 0, failed = 0;
    function worker() {
      if (next >= files.length) return Promise.resolve();
      var url = new URL(files[next++], document.baseURI).href;
      return fetch(url).then(function (res) { if (!res.ok) failed++; }, function () { failed++; }).then(function () {
        done++;
        if (done % 20 === 0 || done === files.length) {
          note.textContent = "正在下载离线检索：已完成 " + done + " / " + files.length + " 个文件……";
        }
        return worker();
      });
    }
    var pool = [];
    for (var n = 0; n < 6; n++) pool.push(worker());
    return Promise.all(pool).then(function () { return failed; });
  }

  button.addEventListener("click", function () {
    if (!navigator.serviceWorker.controller) {
      note.textContent = "本页的离线功能尚未启用（第一次访问时会这样）。请刷新本页，再点「下载离线检索」。";
      return;
    }
    button.disabled = true;
    box.setAttribute("aria-busy", "true");
    fetch(base + "offline-files.json", { cache: "no-cache" }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.json();
    }).then(download).then(function (failed) {
      if (failed) {
        note.textContent = "有 " + failed + " 个文件没有下载成功，网络可能中断了。请联网后再点一次「下载离线检索」，已下载的文件不会重复下载。";
      } else {
        remember(info.version);
        show();
      }
    }, function () {
      note.textContent = "没能取得离线检索的文件清单，可能已经断网。请联网后再试。";
    }).then(function () {
      button.disabled = false;
      box.removeAttribute("aria-busy");
    });
  });

  fetch(base + "offline.json", { cache: "no-cache" }).then(function (res) {
    return res.ok ? res.json() : null;
  }).then(function (data) {
    if (data) { info = data; show(); }
  }).catch(function () { /* offline and never saved: the search page says what to do if a search fails */ });
})();
