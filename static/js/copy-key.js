// A "Copy the key" button beside a key shown once: it puts the key on the clipboard and says so. The button
// is hidden until this runs (without JavaScript the key can still be selected and copied by hand).
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = "Copied to the clipboard.";
    } catch {
      status.textContent = "Could not copy: select the key and copy it by hand.";
    }
  });
}
