// The navbar search: show the suggestions htmx fetched as the user types, walk them with the
// arrow keys, close them with Escape or by leaving the box. Enter without a suggestion
// chosen submits the form: the WBP list, filtered. No inline script (Content-Security-Policy).
(function () {
  "use strict";

  function boxOf(node) {
    return node && node.closest ? node.closest("[data-search]") : null;
  }

  function parts(box) {
    return { input: box.querySelector("input[type=search]"), menu: box.querySelector(".dropdown-menu") };
  }

  function show(box, open) {
    var p = parts(box);
    p.menu.classList.toggle("show", open);
    p.input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = boxOf(event.target);
    if (!box) { return; }
    var p = parts(box);
    show(box, p.input.value.trim() !== "" && p.menu.textContent.trim() !== "");
  });

  document.addEventListener("input", function (event) {
    var box = boxOf(event.target);
    if (box && event.target.value.trim() === "") { show(box, false); }
  });

  document.addEventListener("keydown", function (event) {
    var box = boxOf(event.target);
    if (!box) { return; }
    var p = parts(box);
    if (event.key === "Escape") {
      show(box, false);
      p.input.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = Array.prototype.slice.call(p.menu.querySelectorAll("a"));
    if (!links.length) { return; }
    event.preventDefault();
    show(box, true);
    var next = links.indexOf(document.activeElement) + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) { p.input.focus(); return; }
    links[Math.min(next, links.length - 1)].focus();
  });

  document.addEventListener("focusout", function (event) {
    var box = boxOf(event.target);
    if (box && !box.contains(event.relatedTarget)) { show(box, false); }
  });

  document.addEventListener("focusin", function (event) {
    var box = boxOf(event.target);
    if (box && event.target.matches("input[type=search]")) {
      var p = parts(box);
      if (p.input.value.trim() !== "" && p.menu.textContent.trim() !== "") { show(box, true); }
    }
  });
})();
