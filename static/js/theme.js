// Applies the saved colour theme before the page paints, and wires the header toggle.
(function () {
  var root = document.documentElement;
  var saved = localStorage.getItem("ascent-theme");
  if (saved === "light" || saved === "dark") root.dataset.theme = saved;
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    button.addEventListener("click", function () {
      var current = root.dataset.theme ||
        (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
      var next = current === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      localStorage.setItem("ascent-theme", next);
    });
  });
})();
