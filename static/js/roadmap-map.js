// Highlights a topic's prerequisite arrows while its node is hovered or focused.
const map = document.querySelector("[data-roadmap-map]");
if (map) {
  const edges = [...map.querySelectorAll(".map-edges path")];
  const highlight = (topicId, on) => {
    for (const edge of edges) {
      if (edge.dataset.from === topicId || edge.dataset.to === topicId) {
        edge.classList.toggle("is-highlighted", on);
      }
    }
  };
  for (const node of map.querySelectorAll(".map-node")) {
    const id = node.dataset.topic;
    for (const [event, on] of [["mouseenter", true], ["mouseleave", false], ["focus", true], ["blur", false]]) {
      node.addEventListener(event, () => highlight(id, on));
    }
  }
}
