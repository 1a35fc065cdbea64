// Highlights a topic's prerequisite arrows while its box is hovered or focused (on the wide map and the
// phone's column alike).
for (const map of document.querySelectorAll("[data-roadmap-map]")) {
  const edges = [...map.querySelectorAll(".map-edges path")];
  const highlight = (topicId, on) => {
    for (const edge of edges) {
      if (edge.dataset.from === topicId || edge.dataset.to === topicId) {
        edge.classList.toggle("is-highlighted", on);
        // The lit arrow's head is lit too: a marker cannot take its colour from the path in SVG 1.1.
        edge.setAttribute("marker-end", edge.getAttribute("marker-end").replace(/(-lit)?\)$/, on ? "-lit)" : ")"));
      }
    }
  };
  for (const node of map.querySelectorAll(".map-box")) {
    const id = node.dataset.topic;
    for (const [event, on] of [["mouseenter", true], ["mouseleave", false], ["focus", true], ["blur", false]]) {
      node.addEventListener(event, () => highlight(id, on));
    }
  }
}
