// Live timeline: when an official records a step, reload the timeline and status from the
// server (the page itself is the source of truth; without JavaScript, reloading shows the same).
(function () {
  if (!window.EventSource) return;
  var timeline = document.getElementById('timeline');
  if (!timeline) return;
  var path = location.pathname.replace(/^\/work/, '');
  var source = new EventSource(path + '/events');
  source.addEventListener('step', function () {
    fetch(location.pathname, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['timeline', 'summary'].forEach(function (id) {
          var fresh = doc.getElementById(id);
          var old = document.getElementById(id);
          if (fresh && old) old.innerHTML = fresh.innerHTML;
        });
      });
  });
})();
