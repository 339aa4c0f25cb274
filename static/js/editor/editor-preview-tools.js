/* The editor's preview toolbar: the phones in light or dark mode, remembered on this browser.
 * Works on the read-only editor too; needs no other editor script.
 */
(function () {
  "use strict";

  const THEME_KEY = "relais.previewTheme";
  const phones = document.getElementById("phones");
  const themeButton = document.getElementById("preview-theme");

  function stored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage refused (private mode): the choice just is not remembered
    }
  }

  function store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (error) {
      /* not remembered */
    }
  }

  function applyTheme(theme) {
    const dark = theme === "dark";
    phones.dataset.theme = dark ? "dark" : "light";
    themeButton.setAttribute("aria-pressed", String(dark));
  }

  if (phones && themeButton) {
    applyTheme(stored(THEME_KEY));
    themeButton.addEventListener("click", () => {
      const theme = phones.dataset.theme === "dark" ? "light" : "dark";
      applyTheme(theme);
      store(THEME_KEY, theme);
    });
  }
})();

/* Phone width: the editing panes and the preview take turns, switched by a sticky bar. */
(function () {
  "use strict";

  const root = document.getElementById("editor");
  const buttons = document.querySelectorAll("[data-show-pane]");
  if (!root || !buttons.length) return;

  function show(pane) {
    root.dataset.pane = pane;
    buttons.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.showPane === pane)));
    const grid = document.getElementById("editor-grid");
    // Start the other pane at its top, under the bar, rather than somewhere in the middle.
    if (grid.getBoundingClientRect().top < 0) grid.scrollIntoView({ block: "start" });
  }

  buttons.forEach((button) => button.addEventListener("click", () => show(button.dataset.showPane)));
  root.dataset.pane = "edit";
})();
