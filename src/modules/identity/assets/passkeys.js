'use strict';
// Passkey ceremonies on the account and sign-in pages. Everything else on those pages
// works without JavaScript; WebAuthn itself cannot, so these controls appear only here.
(function () {
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;
  document.querySelectorAll('[data-passkey-js]').forEach(function (el) { el.hidden = false; });
  document.querySelectorAll('[data-passkey-nojs]').forEach(function (el) { el.hidden = true; });

  var csrfInput = document.querySelector('input[name="_csrf"]');
  var csrf = csrfInput ? csrfInput.value : '';
  var status = document.getElementById('passkey-status');
  function say(message) {
    if (status) status.textContent = message;
  }
  function failed(err) {
    // The browser's own errors (cancelled, timed out) are not in the user's language.
    var fallback = status ? status.getAttribute('data-failed') : '';
    say(err && err.fromServer ? err.message : fallback);
  }
  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var error = new Error((data.error && data.error.message) || res.statusText);
          error.fromServer = true;
          throw error;
        }
        return data;
      });
    });
  }

  var register = document.getElementById('passkey-register');
  if (register) {
    register.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = register.elements.namedItem('passkeyName').value;
      post('/account/passkeys/options', {})
        .then(function (options) { return lib.startRegistration({ optionsJSON: options }); })
        .then(function (response) { return post('/account/passkeys', { name: name, response: response }); })
        .then(function () { window.location.assign('/account?done=passkey'); })
        .catch(failed);
    });
  }

  var assist = document.getElementById('passkey-assist');
  if (assist) {
    assist.addEventListener('click', function () {
      var base = '/counter/confirm/' + encodeURIComponent(assist.getAttribute('data-id'));
      post(base + '/passkey/options', {})
        .then(function (options) { return lib.startAuthentication({ optionsJSON: options }); })
        .then(function (response) { return post(base + '/passkey', { response: response }); })
        .then(function (result) { window.location.assign(result.redirect); })
        .catch(failed);
    });
  }

  var signIn = document.getElementById('passkey-sign-in');
  if (signIn) {
    signIn.addEventListener('click', function () {
      post('/sign-in/passkey/options', {})
        .then(function (options) { return lib.startAuthentication({ optionsJSON: options }); })
        .then(function (response) { return post('/sign-in/passkey', { response: response, next: signIn.getAttribute('data-next') || '/' }); })
        .then(function (result) { window.location.assign(result.redirect); })
        .catch(failed);
    });
  }
})();
