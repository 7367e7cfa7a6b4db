// Progressive enhancement of application forms: a field asked only when another answer
// has a given value is hidden while it does not apply. Without this script every such
// field is shown with a hint, and the server ignores answers to fields that do not apply.
(function () {
  var dependants = document.querySelectorAll('[data-show-if]');
  if (!dependants.length) return;
  function valueOf(name) {
    var inputs = document.getElementsByName(name);
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === 'checkbox') return el.checked ? 'true' : 'false';
      if (el.type === 'radio') { if (el.checked) return el.value; continue; }
      return el.value;
    }
    return '';
  }
  function update() {
    for (var i = 0; i < dependants.length; i++) {
      var el = dependants[i];
      el.hidden = valueOf(el.getAttribute('data-show-if')) !== el.getAttribute('data-show-value');
    }
  }
  document.addEventListener('change', update);
  update();
})();
