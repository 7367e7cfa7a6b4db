// The mobile ID check keeps working with a poor connection: its page, script and styles
// come from the network when it answers and from this cache when it does not.
var CACHE = 'nara-mobile-id-v1';
self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(['/mobile-id/check', '/assets/documents/mobile-id-check.js']); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      // The check page is the same for every code (the code is after #).
      return caches.match(request, { ignoreSearch: true }).then(function (hit) { return hit || caches.match('/mobile-id/check'); });
    }),
  );
});
