// Attendance sheets (sessions and course meetings): one key per exception on the focused row,
// H present, T late, I excused, A absent. Every row starts as present.
(function () {
  "use strict";
  var keys = {h: "present", t: "late", i: "excused", a: "absent"};
  document.querySelectorAll("form[data-attendance-keys]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      var row = event.target.closest("tr[data-row]");
      var value = keys[event.key.toLowerCase()];
      if (!row || !value || event.ctrlKey || event.altKey || event.metaKey) { return; }
      var box = row.querySelector('input[value="' + value + '"]');
      if (box && !box.disabled) { box.checked = true; box.focus(); event.preventDefault(); }
    });
  });
})();
