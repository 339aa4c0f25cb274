/* The shop screens: copy the webhook address (data-copy), pick a sample field into the
   variable being edited (data-path on the tree's buttons, data-path-input on the inputs), and
   redraw the mapping form when its topic, status or template changes (data-refresh). */
(function () {
  "use strict";
  let target = document.querySelector("[data-path-input]");
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("[data-path-input]")) target = event.target;
  });
  document.addEventListener("click", async (event) => {
    const leaf = event.target.closest("[data-path]");
    if (leaf && target) {
      target.value = leaf.dataset.path;
      target.dispatchEvent(new Event("change", { bubbles: true }));
      target.focus();
      const inputs = [...document.querySelectorAll("[data-path-input]")];
      const next = inputs[inputs.indexOf(target) + 1];
      if (next) target = next;
      return;
    }
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const field = document.querySelector(button.dataset.copy);
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      document.execCommand("copy");
    }
    const label = button.querySelector("span");
    const before = label.textContent;
    label.textContent = button.dataset.copied;
    setTimeout(() => { label.textContent = before; }, 2000);
  });
  const form = document.querySelector(".mapping-form");
  const refresh = form && form.querySelector("[data-refresh]");
  if (refresh) {
    for (const name of ["template", "status"]) {
      const field = form.elements[name];
      if (field && field.tagName === "SELECT") field.addEventListener("change", () => refresh.click());
    }
    if (form.elements.topic) form.elements.topic.addEventListener("change", () => refresh.click());
  }
})();
