// rehab: tiny helpers. Pages work without JavaScript; this only makes them quicker.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (box) { box.hidden = false; }
});
