/* Offline use: registers the site's service worker (sw.js at the site root, the folder above this
   script's), over http(s) only: a copy of the site opened from disk (file://) needs none. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register(new URL("../sw.js", script.src).href).catch(function () {});
})();
