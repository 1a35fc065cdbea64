// The topic page's tracking controls without reloads: status, resource ticks and the note.
// Each form still posts normally when this module does not run.
import { callApi } from "./api.js";

document.documentElement.classList.add("js");

const statusForm = document.querySelector("[data-status-form]");
if (statusForm) {
  const output = statusForm.querySelector(".form-status");
  const save = async (radio) => {
    output.textContent = "Saving…";
    try {
      const saved = await callApi(statusForm.dataset.api, { method: "PUT", body: { status: radio.value } });
      statusForm.dataset.saved = saved.status;
      output.textContent = `Saved: ${radio.closest("label").textContent.trim()}.`;
    } catch (error) {
      output.textContent = `Not saved: ${error.message}`;
    }
  };
  statusForm.addEventListener("change", (event) => {
    if (event.target.name === "status") save(event.target);
  });
  statusForm.addEventListener("submit", (event) => event.preventDefault());
  // A choice made while this module was still loading is saved now rather than lost.
  const checked = statusForm.querySelector("input[name=status]:checked");
  if (checked && checked.value !== statusForm.dataset.saved) save(checked);
}

for (const form of document.querySelectorAll("[data-tick-form]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    const ticked = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    try {
      await callApi(form.dataset.api, { method: ticked ? "DELETE" : "PUT" });
      button.setAttribute("aria-pressed", String(!ticked));
      form.querySelector("input[name=ticked]").value = ticked ? "1" : "0";
    } catch (error) {
      button.title = `Not saved: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

const noteForm = document.querySelector("[data-note-form]");
if (noteForm) {
  const output = noteForm.querySelector(".form-status");
  const preview = document.querySelector("[data-note-preview]");
  noteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = noteForm.querySelector("textarea").value;
    output.textContent = "Saving…";
    try {
      if (body.trim()) {
        const note = await callApi(noteForm.dataset.api, { method: "PUT", body: { body } });
        preview.innerHTML = note.body_html;  // sanitised by the server
        output.textContent = "Note saved.";
      } else {
        await callApi(noteForm.dataset.api, { method: "DELETE" });
        preview.replaceChildren();
        output.textContent = "Note deleted.";
      }
    } catch (error) {
      output.textContent = `Not saved: ${error.message}`;
    }
  });
}
