/* The editor's side panels: saving and publishing, the SMS fallback tools, variable insertion,
 * card images from the media library, and the phone toggle of narrow screens. Needs editor.js first.
 */
(function () {
  "use strict";

  const ed = window.RelaisEditor;
  if (!ed) return;
  const root = document.getElementById("editor");
  const { cfg, strings, fmt, state, readOnly, alertBox, announce } = ed;

  /* ---- SMS fallback helpers ---- */
  async function fallbackTool(url, body) {
    const response = await ed.post(url, body);
    const data = await response.json().catch(() => ({ error: strings.failed }));
    if (!response.ok) {
      alertBox("warning", data.error || strings.failed);
      return;
    }
    const textarea = document.getElementById("sms-text");
    textarea.value = data.text;
    state.sms_fallback = data.text;
    ed.touched.add(textarea.dataset.path);
    alertBox("", "");
    announce(data.message);
    ed.changed();
    ed.schedulePreview(0);
  }

  /* ---- Variables: insert {{ name }} where the cursor was ---- */
  let lastField = null;
  root.addEventListener("focusin", (event) => {
    if (event.target.dataset && event.target.dataset.variables === "true") lastField = event.target;
  });

  function renderVariableInsert() {
    const box = document.getElementById("variable-insert");
    if (!box) return;
    const names = (state.variables || []).map((v) => v && v.name).filter(Boolean);
    box.replaceChildren();
    if (!names.length) {
      box.textContent = box.dataset.emptyText;
      return;
    }
    names.forEach((name) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "variable-chip";
      button.textContent = "{{ " + name + " }}";
      button.setAttribute("aria-label", fmt(strings.insert, "{{ " + name + " }}"));
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => insertVariable(name));
      box.append(button);
    });
  }

  function insertVariable(name) {
    if (!lastField || !document.body.contains(lastField)) {
      announce(strings.fieldFirst);
      return;
    }
    const text = "{{ " + name + " }}";
    lastField.focus();
    lastField.setRangeText(text, lastField.selectionStart, lastField.selectionEnd, "end");
    lastField.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---- Saving: 1.5 s after the last change, and when the page is left or hidden ----
   * Every save carries the draft revision this page's state is based on; the server refuses
   * one based on an older revision (another tab, another person, a page brought back by Back)
   * and the page then saves nothing until the marketer reloads or keeps their version.
   */
  let saveTimer = null;
  let inFlight = 0;
  let dirty = false;
  let edits = 0;
  let revision = Number(cfg.revision);
  // The server's revision while a refused save waits for the marketer's choice, else null.
  let conflict = null;
  // The page is going away (Reload chosen) or came back from the back-forward cache: its
  // state may be older than the server's, so it must never be saved.
  let leaving = false;
  let flushedEdits = -1;
  const saveStatus = document.getElementById("save-status");
  const conflictBanner = document.getElementById("editor-conflict");
  // Browsers refuse a keepalive request whose body is over 64 kB (bytes, not characters).
  const KEEPALIVE_MAX = 60000;

  function showSave(kind, text) {
    if (!saveStatus) return;
    const icons = { saved: "bi-cloud-check", saving: "bi-arrow-repeat", unsaved: "bi-pencil", error: "bi-exclamation-triangle" };
    saveStatus.dataset.state = kind;
    saveStatus.querySelector("i").className = "bi " + icons[kind];
    saveStatus.querySelector("span").textContent = text;
  }

  function markDirty() {
    if (readOnly) return;
    dirty = true;
    edits++;
    if (conflict !== null || leaving) return;
    showSave("unsaved", strings.unsaved);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1500);
  }

  function showStatus(data) {
    const badge = document.querySelector("#status-badge .status-badge");
    if (badge && data.status) {
      badge.className = "badge status-badge status-" + data.status;
      badge.dataset.status = data.status;
      badge.textContent = data.status_label;
    }
  }

  function showConflict(current) {
    conflict = current;
    clearTimeout(saveTimer);
    showSave("error", strings.changedElsewhere);
    // Shown without taking the focus: the marketer may be typing.
    conflictBanner.hidden = false;
  }

  function send(base, sent) {
    const body = Object.assign({}, state, { revision: base });
    const keepalive = new TextEncoder().encode(JSON.stringify(body)).length < KEEPALIVE_MAX;
    flushedEdits = sent;
    return ed.post(cfg.saveUrl, body, { keepalive });
  }

  // urgent: the page is being left or hidden; send now even while a save is on its way.
  async function save(urgent) {
    clearTimeout(saveTimer);
    if (conflict !== null || leaving) return;
    if (inFlight && urgent !== true) {
      saveTimer = setTimeout(save, 300);
      return;
    }
    // A save still on its way moves the revision one forward when it lands.
    const base = revision + inFlight;
    const sent = edits;
    inFlight++;
    showSave("saving", strings.saving);
    try {
      const response = await send(base, sent);
      const data = await response.json();
      if (response.status === 409 && data.conflict) {
        showConflict(data.revision);
        return;
      }
      if (!response.ok) throw new Error(data.error || strings.failed);
      revision = Math.max(revision, data.revision);
      showStatus(data);
      if (edits === sent) {
        dirty = false;
        if (data.errors && data.errors.length) showSave("error", fmt(strings.notSaved, data.errors[0].message));
        else showSave("saved", fmt(strings.savedAt, data.saved_at));
      }
    } catch (error) {
      if (leaving) return;
      showSave("error", error instanceof TypeError ? strings.offline : fmt(strings.notSaved, error.message));
      saveTimer = setTimeout(save, 5000);
    } finally {
      inFlight--;
    }
  }

  // What the autosave has not sent yet goes now, in a request that outlives the page:
  // confirming "leave the page" right after typing loses nothing.
  function flush() {
    if (readOnly || !dirty || flushedEdits === edits) return;
    save(true);
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });

  window.addEventListener("beforeunload", (event) => {
    if (!leaving && (dirty || inFlight)) {
      event.preventDefault();
      event.returnValue = strings.leave;
    }
  });

  // Back or Forward can show this page again from the back-forward cache, as it was when
  // left: another page may have saved a newer draft since. Load it again from the server
  // before a keystroke can save the old one.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    leaving = true;
    clearTimeout(saveTimer);
    window.location.reload();
  });

  ed.actions["conflict-reload"] = () => {
    leaving = true;
    window.location.reload();
  };
  ed.actions["conflict-keep-mine"] = () => {
    revision = conflict;
    conflict = null;
    conflictBanner.hidden = true;
    flushedEdits = -1;
    save();
  };

  /* ---- The same template open in another tab of this browser ---- */
  if (!readOnly && "BroadcastChannel" in window) {
    const otherTabs = new Set();
    const note = document.getElementById("editor-other-tab");
    const me = Math.random().toString(36).slice(2);
    const channel = new BroadcastChannel("relais-editor:" + cfg.saveUrl);
    const say = (type) => channel.postMessage({ type, from: me });
    channel.addEventListener("message", (event) => {
      const { type, from } = event.data || {};
      if (type === "open") {
        otherTabs.add(from);
        say("here");
      } else if (type === "here") otherTabs.add(from);
      else if (type === "closed") otherTabs.delete(from);
      note.hidden = otherTabs.size === 0;
    });
    say("open");
    window.addEventListener("pagehide", () => say("closed"));
  }

  /* Publish, or (brands that require approval) submit for review with a note: both save the
     state first; a submission reloads the page, which then shows the template locked. */
  async function publish(url, extra) {
    clearTimeout(saveTimer);
    if (conflict !== null) return;
    const button = document.getElementById("publish-button");
    button.disabled = true;
    alertBox("info", strings.publishing);
    try {
      const sent = edits;
      const response = await ed.post(url || cfg.publishUrl, Object.assign({}, state, extra, { revision: revision + inFlight }));
      const data = await response.json();
      if (response.ok && data.reload) {
        dirty = false;
        window.location.reload();
      } else if (response.ok) {
        revision = Math.max(revision, data.revision);
        if (edits === sent) dirty = false;
        showStatus(data);
        showSave("saved", strings.saved);
        document.getElementById("versions-list").outerHTML = data.versions_html;
        alertBox("success", data.message);
      } else if (response.status === 409 && data.conflict) {
        alertBox("", "");
        showConflict(data.revision);
      } else {
        ed.showAllIssues();
        alertBox("danger", data.error || strings.failed);
        await ed.refreshPreview();
      }
    } catch (error) {
      alertBox("danger", strings.failed);
    } finally {
      button.disabled = false;
    }
  }

  /* ---- While the SMS fallback is being written, the phones scroll down to its bubble ---- */
  const smsSection = document.getElementById("sms-section");
  function showSms(behavior) {
    document.querySelectorAll("#phones .chat-body").forEach((el) => el.scrollTo({ top: el.scrollHeight, behavior }));
  }
  smsSection.addEventListener("focusin", () => showSms("smooth"));
  ed.hooks.preview.push(() => {
    if (smsSection.contains(document.activeElement)) showSms("auto");
  });

  /* ---- Narrow screens show one phone at a time ---- */
  document.querySelectorAll("[data-show-phone]").forEach((button) => {
    button.addEventListener("click", () => {
      document.getElementById("phones").dataset.show = button.dataset.showPhone;
      document.querySelectorAll("[data-show-phone]").forEach((other) => {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", String(other === button));
      });
    });
  });


  /* ---- Card images: pick one from the media library (uploads: editor-framing.js) ---- */
  let pickFor = null;
  const modal = document.getElementById("media-modal");
  ed.actions.upload = (el) => el.parentElement.querySelector("input[type=file]").click();
  ed.actions["pick-media"] = (el) => {
    pickFor = JSON.parse(el.dataset.target);
    bootstrap.Modal.getOrCreateInstance(modal).show();
    htmx.ajax("GET", cfg.libraryUrl, { target: "#media-modal-body", swap: "innerHTML" });
  };
  modal.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-action=choose-media]");
    if (!choice || !pickFor) return;
    const asset = JSON.parse(choice.dataset.asset);
    ed.editor.useAsset(pickFor, asset);
    bootstrap.Modal.getOrCreateInstance(modal).hide();
    ed.structural(fmt(strings.imageAdded, asset.name), "upload:" + JSON.stringify(pickFor));
  });

  ed.actions["generate-fallback"] = () => fallbackTool(cfg.generateUrl, state);
  ed.actions["to-gsm"] = () => fallbackTool(cfg.gsmUrl, { sms_fallback: state.sms_fallback });
  ed.actions["remove-emoji"] = () =>
    fallbackTool(cfg.withoutEmojiUrl, { sms_fallback: state.sms_fallback });
  ed.actions.publish = () => publish();
  ed.actions["submit-review"] = () => {
    const modal = document.getElementById("review-submit-modal");
    bootstrap.Modal.getOrCreateInstance(modal).hide();
    publish(cfg.submitUrl, { note: document.getElementById("review-note").value });
  };
  ed.hooks.changed.push(markDirty);
  ed.hooks.input.push((path) => {
    if (path[0] === "variables") renderVariableInsert();
  });
  if (!readOnly) renderVariableInsert();
})();
