// Checks a shown mobile ID on the verifier's phone: the agency's Ed25519 signature (WebCrypto),
// the code's three-minute window, and the ID's revocation and suspension bits in the agency's
// signed status lists. Keys and lists are saved after each fetch, so a poor connection
// falls back to what was saved, and says as of when.
(function () {
  var box = document.querySelector('[data-mobile-id-check]');
  if (!box) return;
  var text = JSON.parse(box.getAttribute('data-text') || '{}');
  var locale = box.getAttribute('data-locale') === 'en' ? 'en-GB' : 'ko-KR';
  var subtle = window.crypto && window.crypto.subtle;
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/mobile-id/sw.js', { scope: '/mobile-id/' }).catch(function () {});

  function say(key, params) {
    return String(text[key] || key).replace(/\{(\w+)\}/g, function (_, k) { return params && k in params ? params[k] : ''; });
  }
  function b64url(s) {
    var bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function json(bytes) { return JSON.parse(new TextDecoder().decode(bytes)); }
  function time(ms) { return new Date(ms).toLocaleString(locale); }

  function show(outcome, claims, notes) {
    box.hidden = false;
    box.className = 'nara-verify-result ' + (outcome === 'valid' ? 'is-ok' : 'is-warning');
    box.textContent = '';
    var h = document.createElement('h2');
    h.className = 'nara-verify-outcome';
    h.textContent = say(outcome);
    box.appendChild(h);
    if (claims) {
      // Where the registered photo goes: the verifier compares it with the person.
      var photo = document.createElement('div');
      photo.className = 'nara-photo';
      photo.setAttribute('role', 'img');
      photo.setAttribute('aria-label', say('photo'));
      photo.textContent = say('photo');
      box.appendChild(photo);
      var dl = document.createElement('dl');
      dl.className = 'nara-dl nara-facts';
      Object.keys(claims).forEach(function (k) {
        var dt = document.createElement('dt');
        dt.textContent = text[k] || k;
        var dd = document.createElement('dd');
        dd.className = 'nara-fact';
        dd.textContent = claims[k];
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      box.appendChild(dl);
    }
    (notes || []).forEach(function (n) {
      var p = document.createElement('p');
      p.textContent = n;
      box.appendChild(p);
    });
    h.tabIndex = -1;
    h.focus();
  }

  // Fresh from the network when possible, else the saved copy; either way, when it was fetched.
  function cached(url) {
    var key = 'nara.cache.' + url;
    return fetch(url, { cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.text();
      })
      .then(function (body) {
        var entry = { at: Date.now(), body: body, offline: false };
        try { localStorage.setItem(key, JSON.stringify(entry)); } catch (e) { /* storage full or off */ }
        return entry;
      })
      .catch(function () {
        var saved = localStorage.getItem(key);
        if (!saved) return null;
        var entry = JSON.parse(saved);
        entry.offline = true;
        return entry;
      });
  }

  function verifyJws(jws, jwks) {
    var parts = jws.split('.');
    var header = json(b64url(parts[0]));
    var jwk = (jwks.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
    if (!jwk || header.alg !== 'EdDSA') return Promise.resolve(null);
    return subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify'])
      .then(function (key) { return subtle.verify({ name: 'Ed25519' }, key, b64url(parts[2]), new TextEncoder().encode(parts[0] + '.' + parts[1])); })
      .then(function (ok) { return ok ? json(b64url(parts[1])) : null; });
  }

  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function check(token) {
    if (!subtle || !window.DecompressionStream) return show('invalid', null, [say('noCrypto')]);
    show('checking');
    var credential;
    try { credential = json(b64url(token.split('.')[1])); } catch (e) { return show('invalid'); }
    var issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer && credential.issuer.id;
    if (!issuer || new URL(issuer).origin !== location.origin) return show('invalid');
    var notes = [];
    cached(issuer + '/jwks.json').then(function (keys) {
      if (!keys) return show('invalid', null, [say('noKeys')]);
      if (keys.offline) notes.push(say('offline'));
      var jwks = JSON.parse(keys.body);
      return verifyJws(token, jwks).then(function (payload) {
        if (!payload || (payload.type || []).indexOf('NaraMobileIdPresentation') < 0) return show('invalid', null, notes);
        var now = Date.now();
        if (Date.parse(payload.validUntil) <= now) return show('expired', null, notes);
        if (Date.parse(payload.validFrom) > now + 60000) return show('invalid', null, notes);
        var claims = {};
        Object.keys(payload.credentialSubject).forEach(function (k) { if (k !== 'mobileId' && k !== 'photo') claims[k] = payload.credentialSubject[k]; });
        claims.expiresAt = time(Date.parse(payload.validUntil));
        text.expiresAt = say('expiresAt');
        var entries = [].concat(payload.credentialStatus || []);
        return Promise.all(entries.map(function (entry) {
          return cached(entry.statusListCredential).then(function (list) {
            if (!list) return { purpose: entry.statusPurpose, unknown: true };
            return verifyJws(list.body, jwks).then(function (listCredential) {
              if (!listCredential) return { purpose: entry.statusPurpose, unknown: true };
              return gunzip(b64url(listCredential.credentialSubject.encodedList.slice(1))).then(function (bits) {
                var i = Number(entry.statusListIndex);
                return { purpose: entry.statusPurpose, set: (bits[i >> 3] & (0x80 >> (i & 7))) !== 0, at: list.at };
              });
            });
          });
        })).then(function (states) {
          var oldest = Math.min.apply(null, states.map(function (s) { return s.at || now; }));
          if (states.some(function (s) { return s.unknown; })) notes.push(say('noKeys'));
          if (oldest < now - 60000) notes.push(say('statusAsOf', { time: time(oldest) }));
          if (states.some(function (s) { return s.purpose === 'revocation' && s.set; })) return show('revoked', null, notes);
          if (states.some(function (s) { return s.purpose === 'suspension' && s.set; })) return show('suspended', null, notes);
          show('valid', claims, notes);
        });
      });
    }).catch(function (error) { if (window.console) console.warn('mobile ID check failed', error); show('invalid', null, notes); });
  }

  var token = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) check(token);
  else {
    // Visited without a code: save the keys now, for later checks with a poor connection.
    var issuers = box.getAttribute('data-issuers');
    if (issuers) issuers.split(' ').forEach(function (url) { cached(url); });
  }
})();
