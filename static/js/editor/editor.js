/* The template editor screen: palette, canvas, previews, SMS fallback, autosave and publish.
 *
 * The state (editor-state.js) is the truth. After each edit the page posts it to the server,
 * which renders the phone previews (one Django template) and the canvas; the script only
 * swaps the fragments in, places the problems next to their inputs, and saves drafts.
 * Configuration comes from data-* attributes of #editor.
 */
(function () {
  "use strict";

  const root = document.getElementById("editor");
  if (!root) return;
  const cfg = root.dataset;
  const readOnly = cfg.readOnly === "true";
  const json = (id) => JSON.parse(document.getElementById(id).textContent);
  const strings = json("editor-strings");
  const fmt = (text, value) => text.replace("%s", value);
  const { getAt, setAt, deleteAt } = window.RelaisEditorState;
  const editor = window.RelaisEditorState.create(json("editor-state"), json("editor-media"));
  const state = editor.state;
  const canvas = document.getElementById("canvas");
  const phones = document.getElementById("phones");
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const key = (path) => JSON.stringify(path);
  // The other scripts of the page (drag and drop, saving, panels, history) listen here.
  const hooks = { changed: [], input: [], canvas: [], preview: [] };

  /* ---- Talking to the server ---- */
  // extra: more fetch options, e.g. { keepalive: true } for a request that outlives the page.
  function post(url, body, extra) {
    return fetch(url, Object.assign({
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }, extra));
  }

  function announce(message) {
    document.getElementById("canvas-status").textContent = message || "";
  }

  function alertBox(kind, message) {
    const box = document.getElementById("editor-alert");
    box.replaceChildren();
    if (!message) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-" + kind;
    alert.setAttribute("role", kind === "danger" ? "alert" : "status");
    alert.textContent = message;
    box.append(alert);
  }

  /* ---- Previews and problems ---- */
  let previewTimer = null;
  let previewSeq = 0;
  let issues = [];
  let showAll = false;
  const touched = new Set();

  function schedulePreview(delay) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, delay === undefined ? 300 : delay);
  }

  async function refreshPreview() {
    const seq = ++previewSeq;
    root.dataset.previewPending = "true";
    try {
      const response = await post(cfg.previewUrl, state);
      if (!response.ok || seq !== previewSeq) return;
      const html = await response.text();
      if (seq !== previewSeq) return;
      const scrolls = Array.from(phones.querySelectorAll(".chat-body"), (el) => el.scrollTop);
      htmx.swap(phones, html, { swapStyle: "innerHTML" });
      phones.querySelectorAll(".chat-body").forEach((el, i) => { el.scrollTop = scrolls[i] || 0; });
      hooks.preview.forEach((hook) => hook());
      issues = json("issues-data");
      placeIssues();
      const details = document.querySelector("#issues-summary details");
      if (details && showAll) details.open = true;
    } finally {
      if (seq === previewSeq) delete root.dataset.previewPending;
    }
  }

  function targetFor(path) {
    const elements = new Map();
    root.querySelectorAll("[data-block-path]").forEach((el) => elements.set(el.dataset.blockPath, el));
    root.querySelectorAll("[data-path]").forEach((el) => elements.set(el.dataset.path, el));
    for (let n = path.length; n > 0; n--) {
      const el = elements.get(key(path.slice(0, n)));
      if (el) return { el, exact: n === path.length };
    }
    return null;
  }

  function wasTouched(el) {
    const own = el.dataset.path || el.dataset.blockPath;
    const prefix = own.slice(0, -1) + ",";
    return Array.from(touched).some((t) => t === own || t.startsWith(prefix));
  }

  function placeIssues() {
    root.querySelectorAll(".issue-msg").forEach((el) => el.remove());
    root.querySelectorAll("[data-issue]").forEach((el) => {
      el.removeAttribute("data-issue");
      el.removeAttribute("aria-errormessage");
      el.classList.remove("is-invalid");
      if (!el.classList.contains("is-over")) el.removeAttribute("aria-invalid");
    });
    issues.forEach((issue, n) => {
      const found = targetFor(issue.path);
      if (!found) return;
      const el = found.el;
      const always = found.exact && el.dataset.alwaysIssues === "true";
      if (!showAll && !always && !wasTouched(el)) return;
      const message = document.createElement("div");
      message.className = "issue-msg";
      message.id = "issue-" + n;
      message.textContent = issue.message;
      if (el.matches("input, select, textarea")) {
        el.setAttribute("data-issue", "");
        el.classList.add("is-invalid");
        el.setAttribute("aria-invalid", "true");
        el.setAttribute("aria-errormessage", message.id);
        (el.closest("[data-field]") || el.parentElement).append(message);
      } else if (el.matches("ol, ul, tr")) {
        (el.closest("table") || el).before(message);
      } else {
        const head = el.querySelector(":scope > .block-head");
        if (head) head.after(message);
        else el.prepend(message);
      }
    });
  }

  /* ---- Inputs write into the state ---- */
  function toRfc3339(local) {
    const date = new Date(local);
    if (isNaN(date)) return local;
    const offset = -date.getTimezoneOffset();
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    return local.slice(0, 16) + ":00" + (offset >= 0 ? "+" : "-") + pad(offset / 60) + ":" + pad(offset % 60);
  }

  function valueOf(el) {
    const type = el.dataset.type;
    if (type === "bool") return el.checked;
    const raw = el.value;
    if (type === "int") {
      const number = parseInt(raw, 10);
      return isNaN(number) ? null : number * (Number(el.dataset.scale) || 1);
    }
    if (type === "number") return raw === "" || isNaN(Number(raw)) ? raw : Number(raw);
    if (type === "datetime") return raw ? toRfc3339(raw) : "";
    return raw;
  }

  function updateCounter(el) {
    if (!el.dataset.max) return;
    const length = Array.from(el.value).length;
    const over = length > Number(el.dataset.max);
    const counter = document.getElementById(el.getAttribute("aria-describedby").split(" ")[0]);
    if (counter) {
      counter.textContent = length + "/" + el.dataset.max;
      counter.classList.toggle("is-over", over);
    }
    el.classList.toggle("is-over", over);
    el.classList.toggle("is-invalid", over || el.hasAttribute("data-issue"));
    if (over) el.setAttribute("aria-invalid", "true");
    else if (!el.hasAttribute("data-issue")) el.removeAttribute("aria-invalid");
  }

  const STRUCTURAL_KEYS = ["cardOrientation", "cardWidth", "height"];

  // kind: "typing" for keystrokes (the undo history groups them), else one step.
  function onInput(event, kind) {
    const el = event.target;
    if (!el.dataset || !el.dataset.path || readOnly) return;
    const path = JSON.parse(el.dataset.path);
    const value = valueOf(el);
    let structural = canvas.contains(el) && STRUCTURAL_KEYS.includes(path[path.length - 1]);
    if (value === "" && el.dataset.clearPath) {
      deleteAt(state, JSON.parse(el.dataset.clearPath));
      structural = true;
    } else if (value === "" && el.dataset.optional) deleteAt(state, path);
    else if (value === "" && el.dataset.empty === "null") setAt(state, path, null);
    else setAt(state, path, value);
    touched.add(el.dataset.path);
    updateCounter(el);
    hooks.input.forEach((hook) => hook(path));
    if (structural) {
      editor.refreshCrops();
      refreshCanvas();
    }
    changed(kind);
  }

  root.addEventListener("input", (event) => {
    if (!event.target.matches("select, [type=checkbox]")) onInput(event, "typing");
  });
  root.addEventListener("change", (event) => {
    if (event.target.matches("select, [type=checkbox]")) onInput(event, "step");
  });

  function changed(kind) {
    hooks.changed.forEach((hook) => hook(kind || "step"));
    schedulePreview();
  }

  /* ---- The canvas: re-rendered by the server after blocks are added, moved or removed ---- */
  let canvasSeq = 0;

  async function refreshCanvas(focusKey) {
    const seq = ++canvasSeq;
    root.dataset.canvasPending = "true";
    try {
      const response = await post(cfg.canvasUrl, state);
      if (!response.ok || seq !== canvasSeq) return;
      const html = await response.text();
      if (seq !== canvasSeq) return;
      htmx.swap(canvas, html, { swapStyle: "innerHTML" });
      syncInputs();
      hooks.canvas.forEach((hook) => hook());
      applySelection();
      placeIssues();
      if (focusKey) focusBy(focusKey);
    } finally {
      if (seq === canvasSeq) delete root.dataset.canvasPending;
    }
  }

  // Typing that happened while the canvas was being rendered is in the state: show it.
  function syncInputs() {
    root.querySelectorAll("input[data-path]:not([type=checkbox]):not([data-type]), textarea[data-path]").forEach((el) => {
      const value = getAt(state, JSON.parse(el.dataset.path));
      if (typeof value === "string" && el.value !== value && document.activeElement !== el) {
        el.value = value;
        updateCounter(el);
      }
    });
  }

  // Back and Forward load the page afresh (it is never cached) but the browser then puts back
  // what the fields held when the page was left; the state, from the server, is the truth.
  // Fields typed in since are left alone: the state already holds what they show.
  function showServerValues() {
    root.querySelectorAll("[data-path]").forEach((el) => {
      if (touched.has(el.dataset.path)) return;
      if (el.matches("[type=checkbox], [type=radio]")) el.checked = el.defaultChecked;
      else if (el.matches("select")) Array.from(el.options).forEach((option) => { option.selected = option.defaultSelected; });
      else if (el.matches("input, textarea")) el.value = el.defaultValue;
      updateCounter(el);
    });
  }
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) showServerValues();
  });

  function focusBy(focusKey) {
    let el = root.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]') ||
      document.getElementById(focusKey);
    if (el && el.disabled) el = el.parentElement.querySelector("button:not(:disabled)");
    if (el) {
      el.focus();
      el.scrollIntoView({ block: "nearest" });
    }
  }

  function structural(message, focusKey) {
    editor.refreshCrops();
    refreshCanvas(focusKey);
    changed();
    announce(message);
  }

  /* ---- Where buttons go: the selected card, else the last one, else the chips ---- */
  let selected = null;

  function applySelection() {
    const cards = editor.cardPaths();
    if (selected && selected.type === "card" && selected.index >= cards.length) selected = null;
    canvas.querySelectorAll(".card-block").forEach((el) => {
      el.classList.toggle("is-selected", !!selected && selected.type === "card" && Number(el.dataset.cardIndex) === selected.index);
    });
    const chips = canvas.querySelector("[data-chips-zone]");
    if (chips) chips.classList.toggle("is-selected", !!selected && selected.type === "chips");
    const target = document.getElementById("button-target");
    if (target) target.textContent = sentenceFor("buttonTo", editor.buttonsPathFor(selected));
  }

  // The sentence `prefix` + Chips, Card or CardN for a list of buttons: one whole sentence
  // per case, so translations can agree with what they name.
  function sentenceFor(prefix, path) {
    if (key(path) === key(editor.CHIPS)) return strings[prefix + "Chips"];
    if (editor.bodyKind() === "card") return strings[prefix + "Card"];
    return fmt(strings[prefix + "CardN"], path[4] + 1);
  }

  function select(el) {
    const card = el.closest(".card-block");
    if (card) selected = { type: "card", index: Number(card.dataset.cardIndex) };
    else if (el.closest("[data-chips-zone]")) selected = { type: "chips" };
    else return;
    applySelection();
  }
  // Typing in a card or clicking it selects it; tabbing through does not, so a keyboard
  // user can go back to the palette without changing where buttons go.
  canvas.addEventListener("input", (event) => select(event.target));
  canvas.addEventListener("pointerdown", (event) => select(event.target));

  /* ---- Palette: click or Enter adds at the end; drag places ---- */
  const domId = (path) => "f-" + path.slice(1).join("-");

  function addBlock(kind, index) {
    const result = editor.addBlock(kind, index);
    const body = editor.bodyKind();
    if (result.card !== undefined) selected = { type: "card", index: result.card };
    let message = result.added ? fmt(strings.cardAdded, result.added) : strings.blockAdded[kind];
    let focusKey = null;
    // The card the new block fills: the selected one, else the last (never the chips).
    const cardButtons = editor.buttonsPathFor(selected && selected.type === "card" ? selected : null);
    const cardPath = cardButtons.slice(0, -1);
    if (kind === "text" && body === "text") focusKey = domId(["rcs_content", "text"]);
    else if (kind === "text") {
      message = strings.oneBody;
      focusKey = domId([...cardPath, "description"]);
    } else if (kind === "image" && body === "media") {
      focusKey = "upload:" + key(["rcs_content", "contentInfo"]);
    } else if (kind === "image") {
      message = sentenceFor("image", cardButtons);
      focusKey = "upload:" + key([...cardPath, "media"]);
    } else {
      focusKey = domId([...cardPath, "title"]);
    }
    structural(message, focusKey);
  }

  function addButton(kind, label, listPath, index) {
    const list = listPath || editor.buttonsPathFor(selected);
    const path = editor.addButton(kind, label, list, index);
    const body = kind === "reply" ? "reply" : "action";
    structural(sentenceFor("buttonAdded", list), domId([...path, body, "text"]));
  }

  function onPaletteClick(event) {
    const item = event.target.closest(".palette-item");
    if (!item) return;
    if (item.dataset.block) addBlock(item.dataset.block);
    else addButton(item.dataset.button, item.dataset.label);
  }

  function bindPalette() {
    const palette = root.querySelector(".palette");
    if (palette) palette.addEventListener("click", onPaletteClick);
  }

  /* ---- Buttons of the canvas and the panels (deleting is in editor-history.js) ---- */
  const actions = {
    move(el) {
      const step = Number(el.dataset.step);
      const moved = editor.move(JSON.parse(el.dataset.target), step);
      if (!moved) return;
      if (moved[moved.length - 2] === "cardContents") selected = { type: "card", index: moved[moved.length - 1] };
      structural(strings.moved, (step < 0 ? "up:" : "down:") + key(moved));
    },
    "target-chips"() {
      selected = { type: "chips" };
      applySelection();
      announce(strings.buttonToChips);
    },
    "add-card"() {
      addBlock("card");
    },
    "add-variable"() {
      state.variables = state.variables || [];
      state.variables.push({ name: "", default: null, sample: "" });
      structural("", "var-" + (state.variables.length - 1) + "-name");
    },
    "declare-variable"(el) {
      state.variables = state.variables || [];
      state.variables.push({ name: el.dataset.name, default: null, sample: "" });
      hooks.input.forEach((hook) => hook(["variables"]));
      structural("", "var-" + (state.variables.length - 1) + "-sample");
    },
  };

  root.addEventListener("click", (event) => {
    const link = event.target.closest("[data-issue-path]");
    if (link) {
      event.preventDefault();
      const found = targetFor(JSON.parse(link.dataset.issuePath));
      const field = found && (found.el.matches("input, select, textarea") ? found.el : found.el.querySelector("input, textarea, select, button"));
      if (field) {
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
      return;
    }
    const button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action] && !readOnly) actions[button.dataset.action](button);
  });

  window.RelaisEditor = {
    cfg, strings, fmt, state, editor, readOnly, hooks, actions, touched,
    canvas, post, announce, alertBox, structural, changed, schedulePreview, refreshPreview,
    addBlock, addButton,
    showAllIssues() { showAll = true; },
    selectCard(index) { selected = { type: "card", index }; },
  };
  document.addEventListener("DOMContentLoaded", () => {
    if (readOnly) return;
    bindPalette();
    hooks.canvas.forEach((hook) => hook());
    applySelection();
    placeIssues();
  });
})();
