// The test panel sends the draft as saved. When the editor holds changes not saved yet (its
// autosave waits for a pause in typing), the test waits for that save, so the phone gets
// what the marketer sees; after a failed save or 15 s it goes with the last saved draft.
(function () {
  if (window.relaisTestSendReady) return;
  window.relaisTestSendReady = true;
  const PENDING = ["unsaved", "saving"];
  const WAIT_MS = 15000;

  document.addEventListener("htmx:confirm", function (event) {
    const form = event.target.closest && event.target.closest("#test-send-panel form");
    const saveStatus = document.getElementById("save-status");
    if (!form || !saveStatus || !PENDING.includes(saveStatus.dataset.state)) return;
    event.preventDefault();
    const note = form.querySelector("[data-waiting-save]");
    if (note) note.hidden = false;
    let done = false;
    let timer = null;
    const observer = new MutationObserver(function () {
      if (!PENDING.includes(saveStatus.dataset.state)) go();
    });
    function go() {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      event.detail.issueRequest(true);
    }
    observer.observe(saveStatus, { attributes: true, attributeFilter: ["data-state"] });
    timer = setTimeout(go, WAIT_MS);
  });
})();
