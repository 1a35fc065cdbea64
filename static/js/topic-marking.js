// Marks a topic done (or not started again) from the roadmap's map or list through the API, without a
// reload. Without this module the buttons post the page's one form to the topic's status form.
import { callApi } from "./api.js";

const form = document.querySelector("[data-mark-form]");
const output = document.querySelector("[data-mark-status]");
const LABELS = { done: "done", not_started: "not started" };
if (form) {
  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button || !button.dataset.api) return;
    event.preventDefault();
    const { markTopic: topic, api } = button.dataset;
    const title = button.getAttribute("aria-label").match(/“(.*)”/)[1];
    try {
      const saved = await callApi(api, { method: "PUT", body: { status: button.value } });
      for (const element of document.querySelectorAll(`[data-topic="${topic}"]`)) {
        element.dataset.state = saved.status;
      }
      // The pressed button is hidden now: keep the focus on its twin, which undoes what it did.
      const twin = button.parentElement.querySelector(`.mark:not([value="${button.value}"])`);
      if (twin) twin.focus();
      output.textContent = `“${title}” marked ${LABELS[saved.status] || saved.status}.`;
    } catch (error) {
      output.textContent = `“${title}” not saved: ${error.message}`;
    }
  });
}
