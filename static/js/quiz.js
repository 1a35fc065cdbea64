// Submits a quiz through the API with the time spent on each question, then shows the result page.
// Without this module the form posts normally (and the server splits the time evenly).
import { callApi } from "./api.js";

const form = document.querySelector("[data-quiz-form]");
if (form) {
  const spent = new Map();
  let current = null;
  let since = performance.now();
  const switchTo = (questionId) => {
    const now = performance.now();
    if (current) spent.set(current, (spent.get(current) || 0) + (now - since));
    current = questionId;
    since = now;
  };
  form.addEventListener("focusin", (event) => {
    const fieldset = event.target.closest("[data-question]");
    if (fieldset && fieldset.dataset.question !== current) switchTo(fieldset.dataset.question);
  });

  const answers = () => [...form.querySelectorAll("[data-question]")].flatMap((fieldset) => {
    const id = Number(fieldset.dataset.question);
    const timeMs = Math.round(spent.get(fieldset.dataset.question) || 0) || undefined;
    if (fieldset.dataset.type === "numeric") {
      const raw = fieldset.querySelector("input").value.trim().replace(",", ".");
      return raw ? [{ question: id, value: Number(raw), time_ms: timeMs }] : [];
    }
    const picked = [...fieldset.querySelectorAll("input:checked")].map((input) => Number(input.value));
    return picked.length ? [{ question: id, choices: picked, time_ms: timeMs }] : [];
  });

  const status = form.querySelector(".form-status");
  const button = form.querySelector("[data-submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    switchTo(null);
    const numeric = [...form.querySelectorAll("[data-type=numeric] input")].find(
      (input) => input.value.trim() && Number.isNaN(Number(input.value.trim().replace(",", "."))),
    );
    if (numeric) {
      status.textContent = "One of your numeric answers is not a number.";
      numeric.focus();
      return;
    }
    button.disabled = true;  // a double click submits once; the server would also grade only once
    status.textContent = "Grading…";
    try {
      await callApi(form.dataset.api, { method: "POST", body: { answers: answers() } });
      window.location.assign(form.dataset.resultUrl);
    } catch (error) {
      status.textContent = `Not submitted: ${error.message}`;
      button.disabled = false;
    }
  });
}
