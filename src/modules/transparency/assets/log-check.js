// Checks, in the browser, that a step of an application is in the public log: the step's
// record hashes to the leaf's content hash, the leaf is in the tree by its audit path, and
// the tree's root is signed by the log's key. The server supplies the data; the arithmetic
// is done here, so the server's word is not the proof (RFC 6962 / RFC 9162).
(function () {
  var section = document.querySelector('[data-log-check]');
  if (!section) return;
  var text = JSON.parse(section.getAttribute('data-log-text') || '{}');
  var subtle = window.crypto && window.crypto.subtle;

  function reveal() {
    var buttons = document.querySelectorAll('.nara-log-check');
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  reveal();
  // The live timeline replaces its steps; show the new buttons too.
  var timeline = document.getElementById('timeline');
  if (timeline && window.MutationObserver) new MutationObserver(reveal).observe(timeline, { childList: true });

  function say(template, params) {
    return String(template || '').replace(/\{(\w+)\}/g, function (_, k) { return params && k in params ? params[k] : ''; });
  }
  function b64(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function toB64(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function fromHex(s) {
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }
  function concat() {
    var parts = Array.prototype.slice.call(arguments);
    var n = parts.reduce(function (a, p) { return a + p.length; }, 0);
    var out = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function same(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) {
    return new Uint8Array(await subtle.digest('SHA-256', bytes));
  }
  var nodeHash = function (l, r) { return sha256(concat(new Uint8Array([1]), l, r)); };

  // RFC 9162 §2.1.3.2, with exact arithmetic for sizes up to 2^53.
  async function verifyInclusion(index, size, leaf, proof, root) {
    if (index >= size) return false;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(proof[i], r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, proof[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && same(r, root);
  }

  function u64(n) {
    var out = new Uint8Array(8);
    var hi = Math.floor(n / 4294967296), lo = n % 4294967296;
    new DataView(out.buffer).setUint32(0, hi);
    new DataView(out.buffer).setUint32(4, lo);
    return out;
  }

  // The tree head's signature: RFC 6962 §3.5, Ed25519 (DigitallySigned 0x0807).
  async function verifyHead(sth, publicKey) {
    var signed = b64(sth.tree_head_signature);
    if (signed.length < 4 || signed[0] !== 8 || signed[1] !== 7) return false;
    var data = concat(new Uint8Array([0, 1]), u64(sth.timestamp), u64(sth.tree_size), b64(sth.sha256_root_hash));
    var key = await subtle.importKey('spki', b64(publicKey.key), { name: 'Ed25519' }, false, ['verify']);
    return subtle.verify({ name: 'Ed25519' }, key, signed.subarray(4), data);
  }

  async function getJson(url) {
    var r = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    return { status: r.status, body: r.ok ? await r.json() : null };
  }

  async function check(button) {
    var seq = Number(button.getAttribute('data-seq'));
    var out = document.getElementById('log-result-' + seq);
    out.classList.remove('is-ok', 'is-warning');
    out.textContent = text.checking;
    var warn = function (message) {
      out.textContent = message;
      out.classList.add('is-warning');
    };
    if (!subtle) { out.textContent = text.noCrypto; return; }
    try {
      var mine = await getJson(section.getAttribute('data-log-url'));
      var step = mine.body && mine.body.steps.filter(function (s) { return s.seq === seq; })[0];
      if (!step) { out.textContent = text.notLogged; return; }
      var leafInput = b64(step.leaf_input);
      var leaf = JSON.parse(new TextDecoder().decode(leafInput));
      // 1. The step as recorded now is what was logged.
      var content = await sha256(concat(fromHex(step.salt), new TextEncoder().encode(step.record)));
      var record = JSON.parse(step.record);
      var item = button.closest('li');
      var shown = item && item.querySelector('time');
      if (hex(content) !== leaf.content_hash || (shown && new Date(shown.getAttribute('datetime')).getTime() !== new Date(record.recorded_at).getTime()) || (item && item.getAttribute('data-action') !== record.action)) {
        warn(text.changed);
        return;
      }
      // 2. The leaf is in the latest signed tree.
      var sth = (await getJson('/transparency/v1/get-sth')).body;
      var leafHash = await sha256(concat(new Uint8Array([0]), leafInput));
      var proof = await getJson('/transparency/v1/get-proof-by-hash?hash=' + encodeURIComponent(toB64(leafHash)) + '&tree_size=' + sth.tree_size);
      if (proof.status !== 200) { out.textContent = text.pending; return; }
      var included = await verifyInclusion(proof.body.leaf_index, sth.tree_size, leafHash, proof.body.audit_path.map(b64), b64(sth.sha256_root_hash));
      if (!included) { warn(text.failed); return; }
      // 3. The tree's root is signed by the log.
      var signedOk;
      try {
        signedOk = await verifyHead(sth, (await getJson('/transparency/v1/get-public-key')).body);
      } catch (e) {
        signedOk = null; // this browser has no Ed25519
      }
      if (signedOk === false) { warn(text.badSignature); return; }
      var lang = document.documentElement.lang || undefined;
      // In the deployment's zone, as every other time on the page.
      var zone = section.getAttribute('data-time-zone') || undefined;
      var params = { index: (proof.body.leaf_index + 1).toLocaleString(lang), size: sth.tree_size.toLocaleString(lang), time: new Date(sth.timestamp).toLocaleString(lang, { timeZone: zone }) };
      out.textContent = say(signedOk ? text.ok : text.okUnsigned, params);
      out.classList.add('is-ok');
    } catch (e) {
      out.textContent = text.error;
    }
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('.nara-log-check');
    if (button) check(button);
  });
})();
