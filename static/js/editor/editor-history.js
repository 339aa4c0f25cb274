/* Undo and redo of the editor: the history of the page's state, the Undo and Redo buttons of
 * the bar, the keyboard shortcuts, and deleting with a "Card deleted. Undo" toast.
 *
 * A step is a snapshot of the whole state (message, SMS fallback, variables, settings).
 * Keystrokes in a field make one step, closed when the field loses the focus or after a pause;
 * every other change (add, delete, move, image, SMS tools) is a step of its own.
 * Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y (Cmd on macOS) act on this history only when the focus is not
 * in a text field, which keeps the browser's own undo of the text being typed.
 * Configuration: data-history-limit (steps kept) and data-history-pause (ms) of #editor.
 * Needs editor.js first.
 */
(function () {
  "use strict";

  const ed = window.RelaisEditor;
  if (!ed || ed.readOnly) return;
  const root = document.getElementById("editor");
  const { cfg, strings, fmt, state, announce } = ed;
  const { getAt, deleteAt } = window.RelaisEditorState;
  const limit = Number(cfg.historyLimit) || 100;
  const pause = Number(cfg.historyPause) || 1000;
  const undoButton = document.getElementById("undo-button");
  const redoButton = document.getElementById("redo-button");
  const mac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  const TEXT_FIELD = "textarea, [contenteditable=''], [contenteditable=true], " +
    "input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset], [type=file], [type=range], [type=color])";

  /* ---- The history: snapshots before (past) and after (future) the state shown ---- */
  const past = [];
  const future = [];
  const snapshot = () => JSON.stringify(state);
  let current = snapshot();
  // The state after the last keystroke of a typing step not closed yet, else null.
  let typed = null;
  let typingTimer = null;
  let restoring = false;

  function record(next) {
    if (next === current) return;
    past.push(current);
    if (past.length > limit) past.shift();
    current = next;
    future.length = 0;
  }

  function closeTyping() {
    clearTimeout(typingTimer);
    if (typed !== null) record(typed);
    typed = null;
  }

  function onChanged(kind) {
    if (restoring) return;
    hideToast();
    if (kind === "typing") {
      typed = snapshot();
      if (typed !== current) future.length = 0;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => {
        closeTyping();
        showButtons();
      }, pause);
    } else {
      // A step right after typing: the typing is a step of its own, before this one.
      closeTyping();
      record(snapshot());
    }
    showButtons();
  }

  function showButtons() {
    const focused = document.activeElement;
    undoButton.disabled = !past.length && (typed === null || typed === current);
    redoButton.disabled = !future.length;
    // A button that disables itself would drop the keyboard focus on the page.
    if (focused === undoButton && undoButton.disabled && !redoButton.disabled) redoButton.focus();
    if (focused === redoButton && redoButton.disabled && !undoButton.disabled) undoButton.focus();
  }

  /* ---- Going back and forth: the state changes in place, the server renders it again ---- */
  function showValue(el) {
    const value = getAt(state, JSON.parse(el.dataset.path));
    const type = el.dataset.type;
    if (type === "bool") el.checked = Boolean(value);
    else if (type === "int" && typeof value === "number") el.value = String(value / (Number(el.dataset.scale) || 1));
    else el.value = value === null || value === undefined ? "" : String(value);
  }

  function restore(snap, message) {
    Object.keys(state).forEach((key) => delete state[key]);
    Object.assign(state, JSON.parse(snap));
    // The canvas and the variables are rendered again by the server; the other fields are not.
    root.querySelectorAll("[data-path]").forEach((el) => {
      if (!ed.canvas.contains(el) && !el.closest("#variables-panel")) showValue(el);
    });
    restoring = true;
    try {
      ed.structural(message);
    } finally {
      restoring = false;
    }
    ed.hooks.input.forEach((hook) => hook(["variables"]));
    hideToast();
    showButtons();
  }

  function undo() {
    closeTyping();
    if (!past.length) {
      announce(strings.nothingToUndo);
      return false;
    }
    future.push(current);
    current = past.pop();
    restore(current, strings.undone);
    return true;
  }

  function redo() {
    closeTyping();
    if (!future.length) {
      announce(strings.nothingToRedo);
      return false;
    }
    past.push(current);
    current = future.pop();
    restore(current, strings.redone);
    return true;
  }

  root.addEventListener("focusout", () => {
    if (typed === null) return;
    closeTyping();
    showButtons();
  });

  document.addEventListener("keydown", (event) => {
    if (!(mac ? event.metaKey : event.ctrlKey) || event.altKey) return;
    const letter = event.key.toLowerCase();
    const isUndo = letter === "z" && !event.shiftKey;
    const isRedo = (letter === "z" && event.shiftKey) || (letter === "y" && !event.shiftKey);
    if (!isUndo && !isRedo) return;
    const target = event.target instanceof Element ? event.target : null;
    if ((target && target.closest(TEXT_FIELD)) || document.querySelector(".modal.show")) return;
    event.preventDefault();
    if (isUndo) undo();
    else redo();
  });

  /* ---- Deleting: one step, and a toast to take it back ---- */
  const toast = document.getElementById("undo-toast");
  const toastText = document.getElementById("undo-toast-text");
  let toastTimer = null;
  let toastFocus = null;

  function showToast(message, focusAfterUndo) {
    toastText.textContent = message;
    toast.hidden = false;
    toastFocus = focusAfterUndo;
    waitThenHide();
  }

  function hideToast() {
    clearTimeout(toastTimer);
    toast.hidden = true;
  }

  function waitThenHide() {
    clearTimeout(toastTimer);
    toastTimer = setTimeout(hideToast, Number(toast.dataset.timeout) || 8000);
  }

  // The toast stays while the pointer or the focus is on it.
  toast.addEventListener("mouseenter", () => clearTimeout(toastTimer));
  toast.addEventListener("focusin", () => clearTimeout(toastTimer));
  toast.addEventListener("mouseleave", () => { if (!toast.contains(document.activeElement)) waitThenHide(); });
  toast.addEventListener("focusout", (event) => { if (!toast.contains(event.relatedTarget)) waitThenHide(); });

  function deletedMessage(path) {
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    if (parent === "suggestions") return strings.deletedButton;
    if (parent === "cardContents") return fmt(strings.deletedCardN, last + 1);
    if (parent === "variables" || last === "variables") return strings.deletedVariable;
    if (last === "text") return strings.deletedText;
    if (last === "contentInfo") return strings.deletedImage;
    if (last === "richCard") return ed.editor.bodyKind() === "carousel" ? strings.deletedCarousel : strings.deletedCard;
    return strings.deleted;
  }

  ed.actions.delete = (el) => {
    const path = JSON.parse(el.dataset.target);
    const message = deletedMessage(path);
    const heading = el.closest(".editor-section").querySelector("h2");
    deleteAt(state, path);
    ed.structural(message);
    heading.focus();
    showToast(message, heading);
  };
  ed.actions["remove-media"] = (el) => {
    deleteAt(state, JSON.parse(el.dataset.target));
    ed.structural(strings.imageRemoved, "upload:" + el.dataset.target);
    showToast(strings.imageRemoved, null);
  };
  ed.actions.undo = () => undo();
  ed.actions.redo = () => redo();
  ed.actions["undo-toast"] = () => {
    const focus = toastFocus;
    if (undo() && focus && document.body.contains(focus)) focus.focus();
  };

  if (mac) {
    [undoButton, redoButton].forEach((button) => { button.title = button.title.replaceAll("Ctrl+", "⌘"); });
  }
  ed.hooks.changed.push(onChanged);
  showButtons();
})();
