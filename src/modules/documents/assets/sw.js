// The mobile ID check keeps working with a poor connection: its page, script and styles
// come from the network when it answers and from this cache when it does not.
var CACHE = 'nara-mobile-id-v2';
self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(['/mobile-id/check', '/assets/documents/mobile-id-check.js', '/assets/nara.css', '/assets/krds/css/common/common.css', '/assets/krds/css/component/component.css']); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  // Keys and status lists are the page script's to cache: it must know how old its copy is.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.indexOf('/issuers/') === 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      // The check page is the same for every code (the code is after #).
      return caches.match(request, { ignoreSearch: request.mode === 'navigate' }).then(function (hit) {
        if (hit) return hit;
        return request.mode === 'navigate' ? caches.match('/mobile-id/check') : Response.error();
      });
    }),
  );
});
