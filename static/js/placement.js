// Times each placement answer, stored with it (and used as a quiz answer's time once its topic is confirmed).
const form = document.querySelector("[data-placement-form]");
if (form) {
  const started = performance.now();
  form.addEventListener("submit", () => {
    form.querySelector("[data-time-ms]").value = String(Math.round(performance.now() - started));
  });
}
