/* Card images in the editor: uploading with the progress on the image slot, and framing.
 *
 * Framing: each image slot with one of our images ([data-framing], editor/_media.html) shows
 * the uncut image, a frame per media height (data-cuts: key, label, ratio, current) and a
 * focal point (data-focus, thousandths of the width and height). Dragging the point, or
 * moving it with the arrow keys, moves every frame; letting go asks the server to cut the
 * image around it (data-frame-url of #editor) and points the card at those cuts, which the
 * preview and the sent message then use. Needs editor.js and editor-state.js first.
 */
(function () {
  "use strict";

  const ed = window.RelaisEditor;
  if (!ed) return;
  const root = document.getElementById("editor");
  const { cfg, alertBox, announce, fmt } = ed;
  const text = (name) => root.dataset["framing" + name] || "";
  const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const STEP = 25;

  /* ---- Where a height cuts the image: the same rule as editor/framing.py crop_box ---- */
  function cropBox(width, height, ratio, focus) {
    let cropWidth = width;
    let cropHeight = height;
    if (width / height > ratio) cropWidth = Math.max(1, Math.round(height * ratio));
    else cropHeight = Math.max(1, Math.round(width / ratio));
    const centreX = (focus[0] / 1000) * width;
    const centreY = (focus[1] / 1000) * height;
    const left = Math.min(Math.max(0, Math.round(centreX - cropWidth / 2)), width - cropWidth);
    const top = Math.min(Math.max(0, Math.round(centreY - cropHeight / 2)), height - cropHeight);
    return { left, top, width: cropWidth, height: cropHeight };
  }

  const pct = (value, total) => (100 * value / total).toFixed(3) + "%";

  function draw(frame) {
    const image = frame.querySelector(".frame-image");
    if (!image.complete || !image.naturalWidth) return;
    const width = image.naturalWidth;
    const height = image.naturalHeight;
    const focus = JSON.parse(frame.dataset.focus);
    JSON.parse(frame.dataset.cuts).forEach((cut) => {
      const el = frame.querySelector('[data-cut="' + cut.key + '"]');
      const box = cropBox(width, height, cut.ratio, focus);
      el.style.left = pct(box.left, width);
      el.style.top = pct(box.top, height);
      el.style.width = pct(box.width, width);
      el.style.height = pct(box.height, height);
      el.dataset.box = [box.left, box.top, box.width, box.height].join(",");
      el.hidden = false;
    });
    const point = frame.querySelector(".frame-point");
    if (point) {
      point.style.left = focus[0] / 10 + "%";
      point.style.top = focus[1] / 10 + "%";
      point.hidden = false;
    }
  }

  function setFocus(frame, focus) {
    const clamped = focus.map((v) => Math.min(1000, Math.max(0, Math.round(v))));
    frame.dataset.focus = JSON.stringify(clamped);
    draw(frame);
  }

  // Cut the image around the frame's focal point and point the card at those cuts.
  async function commit(frame) {
    const focus = JSON.parse(frame.dataset.focus);
    const path = JSON.parse(frame.dataset.target);
    frame.dataset.framing = "saving";
    try {
      const response = await ed.post(cfg.frameUrl, { file: frame.dataset.file, x: focus[0], y: focus[1] });
      const data = await response.json().catch(() => ({ error: ed.strings.failed }));
      if (!response.ok) {
        alertBox("warning", data.error || ed.strings.failed);
        return;
      }
      if (!ed.editor.useFocus(path, data.focus)) return;
      const info = window.RelaisEditorState.getAt(ed.state, [...path, "contentInfo"]);
      if (info) frame.dataset.file = info.fileUrl;
      ed.touched.add(JSON.stringify(path));
      ed.changed();
      announce(text("Saved"));
    } finally {
      frame.dataset.framing = "";
    }
  }

  function focusAt(frame, event) {
    const rect = frame.querySelector(".frame-image").getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * 1000,
      ((event.clientY - rect.top) / rect.height) * 1000,
    ];
  }

  function bind(frame) {
    if (frame.dataset.bound) return;
    frame.dataset.bound = "true";
    const image = frame.querySelector(".frame-image");
    image.addEventListener("load", () => draw(frame));
    draw(frame);
    if (frame.dataset.readOnly === "true" || ed.readOnly) return;
    let dragging = false;
    frame.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      dragging = true;
      frame.setPointerCapture(event.pointerId);
      frame.classList.add("is-dragging");
      setFocus(frame, focusAt(frame, event));
    });
    frame.addEventListener("pointermove", (event) => {
      if (dragging) setFocus(frame, focusAt(frame, event));
    });
    const stop = (event) => {
      if (!dragging) return;
      dragging = false;
      frame.classList.remove("is-dragging");
      if (event.type === "pointerup") setFocus(frame, focusAt(frame, event));
      commit(frame);
    };
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);
    let keyTimer = null;
    frame.querySelector(".frame-point").addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const step = event.shiftKey ? STEP * 4 : STEP;
      const focus = JSON.parse(frame.dataset.focus);
      setFocus(frame, [focus[0] + move[0] * step, focus[1] + move[1] * step]);
      clearTimeout(keyTimer);
      keyTimer = setTimeout(() => commit(frame), 500);
    });
  }

  function bindAll() {
    root.querySelectorAll("[data-framing]").forEach(bind);
  }
  ed.hooks.canvas.push(bindAll);
  window.addEventListener("resize", () => root.querySelectorAll("[data-framing]").forEach(draw));

  /* ---- Uploads: the progress shows on the image slot itself ---- */
  function showProgress(slot, fraction) {
    const bar = slot.querySelector(".media-progress");
    if (!bar) return;
    const percent = Math.round(fraction * 100);
    bar.hidden = fraction === null;
    slot.classList.toggle("is-uploading", fraction !== null);
    if (fraction === null) return;
    bar.setAttribute("aria-valuenow", String(percent));
    bar.querySelector(".media-progress-bar").style.width = percent + "%";
    // "45 %" in French, "45%" in English: the page's language decides.
    const share = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
    bar.querySelector(".media-progress-text").textContent =
      percent < 100 ? text("Uploading") + " " + share.format(fraction) : text("Processing");
  }

  function send(file, slot) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("POST", cfg.uploadUrl);
      request.setRequestHeader("X-CSRFToken", csrf());
      request.responseType = "json";
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) showProgress(slot, event.loaded / event.total);
      });
      request.upload.addEventListener("load", () => showProgress(slot, 1));
      request.addEventListener("load", () => resolve({ ok: request.status === 201, data: request.response }));
      request.addEventListener("error", () => resolve({ ok: false, data: null }));
      const body = new FormData();
      body.append("image", file);
      request.send(body);
    });
  }

  async function upload(input) {
    const file = input.files[0];
    if (!file) return;
    const path = JSON.parse(input.dataset.upload);
    const slot = input.closest(".media-slot");
    showProgress(slot, 0);
    announce(ed.strings.uploading);
    const { ok, data } = await send(file, slot);
    input.value = "";
    showProgress(slot, null);
    if (!ok) {
      alertBox("warning", (data && data.error) || ed.strings.failed);
      announce("");
      return;
    }
    alertBox(data.note ? "info" : "", data.note || "");
    ed.editor.useAsset(path, data);
    ed.structural(fmt(ed.strings.imageAdded, data.name), "upload:" + JSON.stringify(path));
  }

  root.addEventListener("change", (event) => {
    if (event.target.matches("input[data-upload]")) upload(event.target);
  });
})();
