// The mapping screen: the note "no consent will be imported" shows while the chosen columns
// cannot prove consent (a status, where it was collected and the wording shown).
(function () {
  const form = document.querySelector("[data-import-mapping]");
  const note = document.querySelector("[data-consent-note]");
  if (!form || !note) return;
  const NEEDED = ["consent_status", "consent_source", "consent_wording"];

  function update() {
    const chosen = Array.from(form.querySelectorAll("select"), function (select) {
      return select.value;
    });
    note.hidden = NEEDED.every(function (field) {
      return chosen.includes(field);
    });
  }

  form.addEventListener("change", update);
  update();
})();
