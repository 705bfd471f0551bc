// Narrows the directory as one types: by name, sphere and town. The full list is in the page,
// so it works without this script; the form only appears when the script runs.
(function () {
  'use strict';
  var form = document.getElementById('szukaj');
  var list = document.getElementById('lista');
  if (!form || !list) { return; }
  form.hidden = false;
  var q = document.getElementById('q');
  var sphere = document.getElementById('sfera');
  var city = document.getElementById('miasto');
  var count = document.getElementById('liczba');
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l');
  }
  function apply() {
    var text = fold(q.value.trim());
    var shown = 0;
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      var li = items[i];
      var ok = (!text || li.dataset.name.indexOf(text) !== -1) &&
        (!sphere.value || (' ' + li.dataset.areas + ' ').indexOf(' ' + sphere.value + ' ') !== -1) &&
        (!city.value || li.dataset.city === city.value);
      li.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = String(shown);
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  q.addEventListener('input', apply);
  sphere.addEventListener('change', apply);
  city.addEventListener('change', apply);
}());
