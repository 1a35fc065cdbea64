// Submits a quiz through the API with the time spent on each question, then shows the result page.
// Unanswered questions are named first and submitted only when the learner confirms; Enter in a field moves
// to the next question (it never submits: see _no_enter_submit.html). Without this module the form posts
// normally: the server splits the time evenly and asks about unanswered questions on a page of its own.
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

  const fieldsets = [...form.querySelectorAll("[data-question]")];
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    const next = fieldsets[fieldsets.indexOf(event.target.closest("[data-question]")) + 1];
    (next ? next.querySelector("input") : form.querySelector("[data-submit]")).focus();
  });

  const isAnswered = (fieldset) => fieldset.dataset.type === "numeric"
    ? fieldset.querySelector("input").value.trim() !== ""
    : fieldset.querySelector("input:checked") !== null;
  const numberOf = (fieldset) => fieldsets.indexOf(fieldset) + 1;
  const sentence = (blank) => {
    const numbers = blank.map(numberOf);
    if (numbers.length === 1) return `Question ${numbers[0]} is unanswered.`;
    return `Questions ${numbers.slice(0, -1).join(", ")} and ${numbers[numbers.length - 1]} are unanswered.`;
  };
  const panel = form.querySelector("[data-unanswered-panel]");
  let confirmed = false;
  panel.querySelector("[data-unanswered-submit]").addEventListener("click", () => {
    confirmed = true;
    panel.hidden = true;
    form.requestSubmit(form.querySelector("[data-submit]"));
  });
  const backToFirstBlank = () => {
    panel.hidden = true;
    const blank = fieldsets.find((fieldset) => !isAnswered(fieldset));
    (blank ? blank.querySelector("input") : form.querySelector("[data-submit]")).focus();
  };
  panel.querySelector("[data-unanswered-go]").addEventListener("click", backToFirstBlank);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") backToFirstBlank();
  });

  const status = form.querySelector(".form-status");
  const button = form.querySelector("[data-submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const blank = fieldsets.filter((fieldset) => !isAnswered(fieldset));
    if (blank.length && !confirmed) {
      panel.querySelector("[data-unanswered-text]").textContent = sentence(blank);
      panel.hidden = false;
      panel.focus();
      return;
    }
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
      confirmed = false;
    }
  });
}
