// Times how long the learner takes to answer a review, so a slow right answer is rated Hard.
const form = document.querySelector("[data-review-form]");
if (form) {
  const started = performance.now();
  form.addEventListener("submit", () => {
    form.querySelector("[data-time-ms]").value = String(Math.round(performance.now() - started));
  });
}
