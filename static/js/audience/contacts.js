// The contacts screen's bulk bar: ticking rows (or every one on the page), "all matching",
// and the fields each action needs. The server counts and confirms before anything changes.
(function () {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const rows = Array.from(document.querySelectorAll("[data-select-row]"));
  const pageBox = document.querySelector("[data-select-page]");
  const scopeAll = form.querySelector("[data-scope-all]");
  const text = form.querySelector("[data-selection-text]");
  const action = form.querySelector("[data-bulk-action]");
  const list = form.querySelector("[data-bulk-list]");
  const listField = form.querySelector("[data-list-field]");
  const newListField = form.querySelector("[data-new-list-field]");
  const newOption = form.querySelector("[data-new-list-option]");
  const submit = form.querySelector("[data-bulk-submit]");

  function refresh() {
    const ticked = rows.filter((box) => box.checked).length;
    if (scopeAll.checked) {
      text.textContent = form.dataset.textAll;
    } else if (ticked === 0) {
      text.textContent = form.dataset.textNone;
    } else if (ticked === 1) {
      text.textContent = form.dataset.textOne;
    } else {
      text.textContent = form.dataset.textMany.replace("{count}", ticked);
    }
    rows.forEach((box) => {
      box.closest("tr").classList.toggle("table-active", box.checked || scopeAll.checked);
    });
    if (pageBox) {
      pageBox.checked = rows.length > 0 && ticked === rows.length;
      pageBox.indeterminate = ticked > 0 && ticked < rows.length;
    }
    const adding = action.value === "add_to_list";
    listField.hidden = action.value === "opt_out";
    newOption.hidden = !adding;
    if (!adding && list.value === "new") {
      const first = Array.from(list.options).find((option) => option.value !== "new");
      list.value = first ? first.value : "";
    }
    if (adding && !list.value) list.value = "new";
    newListField.hidden = !(adding && list.value === "new");
    submit.disabled = !(scopeAll.checked || ticked > 0);
    // On a phone the action fields wait until something is selected.
    form.classList.toggle("bulk-idle", submit.disabled);
  }

  rows.forEach((box) => box.addEventListener("change", refresh));
  if (pageBox) {
    pageBox.addEventListener("change", () => {
      rows.forEach((box) => (box.checked = pageBox.checked));
      refresh();
    });
  }
  scopeAll.addEventListener("change", refresh);
  action.addEventListener("change", refresh);
  list.addEventListener("change", refresh);
  // Back to this page after an action: start from nothing ticked.
  window.addEventListener("pageshow", refresh);
  refresh();
})();
