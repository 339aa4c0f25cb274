/* Copy buttons (the share link of the preview): data-copy names the field whose value is copied,
   data-copied the word shown for a moment once it is. */
(function () {
  "use strict";
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.querySelector(button.dataset.copy);
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      // Without clipboard access (plain http), the selected text can still be copied by hand.
      document.execCommand("copy");
    }
    const label = button.querySelector("span");
    const before = label.textContent;
    label.textContent = button.dataset.copied;
    setTimeout(() => { label.textContent = before; }, 2000);
  });
})();
