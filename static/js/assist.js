// ASSIST v3.1 skip logic, live: a question shows only when it applies (WHO manual):
// Q2 when Q1 is yes; Q3-Q5 when Q2 is answered and not "never"; Q6-Q7 when Q1 is yes.
// Hidden boxes are disabled, so they are not sent; the server checks the same rules.
(function () {
  "use strict";
  var form = document.getElementById("assist-form");
  if (!form) { return; }

  function applies(question, q1, q2) {
    if (question === "q1") { return true; }
    if (q1 !== "yes") { return false; }
    if (question === "q3" || question === "q4" || question === "q5") {
      return q2 !== "" && q2 !== "never";
    }
    return true;
  }

  function refreshRow(row) {
    var boxes = row.querySelectorAll("select[data-q]");
    var q1 = row.querySelector("select[data-q=q1]");
    var q2 = row.querySelector("select[data-q=q2]");
    var v1 = q1 ? q1.value : "";
    var v2 = q2 ? q2.value : "";
    boxes.forEach(function (box) {
      var on = applies(box.dataset.q, v1, v2);
      box.disabled = !on;
      box.closest("td").classList.toggle("assist-skipped", !on);
      if (!on) { box.value = ""; }
    });
  }

  function refreshInjection() {
    var q8 = form.querySelector("[name=injection]");
    var pattern = document.getElementById("injection-pattern");
    var on = q8 && q8.value === "past_3_months";
    pattern.hidden = !on;
    pattern.querySelector("select").disabled = !on;
  }

  // A digit picks the answer at that position (0 = the first), as on the paper form's columns;
  // the labels themselves carry no digits, so nobody mistakes them for scores.
  form.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("select[data-q]") || !/^[0-9]$/.test(event.key)) { return; }
    var answers = Array.prototype.filter.call(box.options, function (o) { return o.value !== ""; });
    var chosen = answers[Number(event.key)];
    if (!chosen) { return; }
    event.preventDefault();
    box.value = chosen.value;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });

  form.querySelectorAll("tr[data-substance]").forEach(refreshRow);
  refreshInjection();
  form.addEventListener("change", function (event) {
    var row = event.target.closest("tr[data-substance]");
    if (row) { refreshRow(row); }
    if (event.target.name === "injection") { refreshInjection(); }
  });
})();
