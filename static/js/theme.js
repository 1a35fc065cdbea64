// Applies the chosen colour theme before the page paints, and wires the header toggle.
// Signed-in learners' choice is saved to their profile; visitors' in this browser.
(function () {
  var root = document.documentElement;
  var saved = localStorage.getItem("ascent-theme");
  if (!root.dataset.theme && (saved === "light" || saved === "dark")) root.dataset.theme = saved;
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    button.addEventListener("click", function () {
      var current = root.dataset.theme ||
        (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
      var next = current === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      localStorage.setItem("ascent-theme", next);
      if (button.dataset.saveUrl) {
        var token = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
        fetch(button.dataset.saveUrl, {
          method: "PATCH",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(token) },
          body: JSON.stringify({ theme: next }),
        });
      }
    });
  });
})();
