// The campaign wizard: all steps are one form, so Back and Next only show another section and
// nothing typed is ever lost; without JavaScript every step shows at once. It also hides the
// fields an answer makes irrelevant (the content test's version B, the rollout's thresholds).
// The server validates everything; a step holding an error opens first.
(function () {
  const form = document.getElementById("campaign-wizard");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("[data-step]"));
  const links = Array.from(form.querySelectorAll("[data-step-link]"));
  const back = form.querySelector("[data-wizard=back]");
  const next = form.querySelector("[data-wizard=next]");
  const save = form.querySelector("[data-wizard=save]");
  let current = 0;

  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => { step.hidden = i !== current; });
    links.forEach((link, i) => {
      link.classList.toggle("btn-primary", i === current);
      link.classList.toggle("btn-light", i !== current);
      if (i === current) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    });
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    save.classList.toggle("btn-primary", current === steps.length - 1);
    save.classList.toggle("btn-outline-secondary", current !== steps.length - 1);
  }

  function value(name) {
    const checked = form.querySelector(`input[name=${name}]:checked`);
    if (checked) return checked.value;
    const input = form.elements[name];
    return input ? input.value : "";
  }

  function toggle(selector, visible) {
    form.querySelectorAll(selector).forEach((element) => { element.hidden = !visible; });
  }

  function refresh() {
    const experiment = value("experiment");
    toggle(".experiment-split", experiment !== "none");
    toggle(".experiment-content", experiment === "content");
    const share = Number(value("first_share") || 100);
    toggle(".rollout-auto", share < 100 && value("continuation") === "auto");
    form.querySelectorAll("[name=continuation]").forEach((radio) => { radio.disabled = share >= 100; });
    toggle(".schedule-later", value("schedule") === "later");
    form.querySelectorAll(".variable-row").forEach((row) => {
      const source = row.querySelector("select[name$=_source]").value;
      row.querySelector(".variable-field").hidden = source !== "field";
      row.querySelector(".variable-key").hidden = source === "field";
      row.querySelector(".variable-default").hidden = source === "value";
    });
  }

  links.forEach((link, i) => link.addEventListener("click", () => show(i)));
  back.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  document.body.addEventListener("htmx:afterSettle", refresh);

  const firstError = steps.findIndex((step) => step.dataset.step === form.dataset.firstError);
  show(firstError >= 0 ? firstError : 0);
  refresh();
})();
