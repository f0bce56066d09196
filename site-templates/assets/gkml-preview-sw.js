// `gkml serve` only, never published: served as /sw.js instead of the site's service worker.
// It removes itself and every cache, so that a reload shows the rebuilt page, not a cached one.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.registration.unregister(); }));
});
