// rehab: tiny helpers. Pages work without JavaScript; this only makes them quicker. No inline
// handlers anywhere (the Content-Security-Policy forbids them): elements say what they want
// with data-* attributes, and the listeners are here.
(function () {
  "use strict";

  document.addEventListener("htmx:responseError", function () {
    var box = document.getElementById("htmx-error");
    if (box) { box.hidden = false; }
  });

  // <button data-print>: print the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // <input type="checkbox" data-select-all="NAME">: tick or untick every box named NAME.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var boxes = document.querySelectorAll('input[type="checkbox"][name="' + all.dataset.selectAll + '"]');
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });
})();
