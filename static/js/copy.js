// A button with data-copy="#id" copies the text of that element to the clipboard and says
// so in its data-copied text (served from the site itself: the CSP allows no inline script).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  const lines = Array.from(source.querySelectorAll("li"), (item) => item.textContent.trim());
  await navigator.clipboard.writeText((lines.length ? lines.join("\n") : source.textContent.trim()) + "\n");
  const status = document.getElementById(button.getAttribute("aria-describedby") || "");
  if (status) status.textContent = button.dataset.copied;
});
