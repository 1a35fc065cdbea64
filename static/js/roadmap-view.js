// The roadmap page's map/list switch without a reload, remembered in this browser. Without this module
// the switch is two links (?view=list), and the page always opens as the link says.
const views = document.querySelector("[data-roadmap-views]");
const KEY = "ascent-roadmap-view";
if (views) {
  const links = views.querySelectorAll("[data-view-link]");
  const show = (view) => {
    views.dataset.view = view;
    for (const link of links) {
      if (link.dataset.viewLink === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  };
  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      show(link.dataset.viewLink);
      history.replaceState(null, "", link.href);
      try { localStorage.setItem(KEY, link.dataset.viewLink); } catch { /* storage off: not remembered */ }
    });
  }
  let remembered = null;
  try { remembered = localStorage.getItem(KEY); } catch { /* storage off */ }
  const asked = new URLSearchParams(location.search).get("view");
  if (!asked && remembered === "list") {
    show("list");
    history.replaceState(null, "", views.querySelector('[data-view-link="list"]').href);
  }
}
