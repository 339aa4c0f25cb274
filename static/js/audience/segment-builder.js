// The segment builder: the server draws the rows (templates/audience/_segment_*.html, one
// <template> per condition kind); this script adds, removes and retypes rows, writes the rules
// as JSON into the form's hidden input, and asks htmx for a new count after each change
// (#segment-preview debounces with "delay"). It never counts or filters contacts itself.
(function () {
  const builder = document.getElementById("segment-builder");
  if (!builder || builder.dataset.editable !== "true") return;
  const form = builder.closest("form");
  const rulesInput = document.getElementById("id_rules");
  const preview = document.getElementById("segment-preview");
  const maxDepth = Number(builder.dataset.maxDepth || 4);
  const VALUE_KINDS = { within_days: "days", is_set: "bool" };
  const NUMBER = /^-?[0-9]+([.,][0-9]+)?$/;

  function join(path, part) {
    return path ? path + "." + part : part;
  }

  function typed(text) {
    // A number typed for a free attribute compares as a number ("42" matches 42 and "42,0").
    return NUMBER.test(text) ? Number(text.replace(",", ".")) : text;
  }

  function readGroup(group, path) {
    group.dataset.path = path;
    const match = group.querySelector(":scope > .rule-group-head [data-role=match]").value;
    const conditions = [];
    const items = group.querySelector(":scope > .rule-items").children;
    let index = 0;
    for (const item of items) {
      const itemPath = join(path, "conditions") + "[" + index + "]";
      if (item.matches("[data-group]")) conditions.push(readGroup(item, itemPath));
      else if (item.matches("[data-condition]")) conditions.push(readCondition(item, itemPath));
      else continue;
      index += 1;
    }
    return { match: match, conditions: conditions };
  }

  function readCondition(row, path) {
    row.dataset.path = path;
    if (row.dataset.raw) return JSON.parse(row.dataset.raw);
    const kind = row.dataset.kind;
    const condition = { kind: kind };
    if (kind === "attribute") return readAttribute(row, condition);
    row.querySelectorAll("[data-param]").forEach(function (input) {
      const name = input.dataset.param;
      const type = input.dataset.type;
      if (type === "codes") {
        condition[name] = input.value.split(/[\s,;]+/).filter(Boolean).map(function (code) {
          return code.toUpperCase();
        });
      } else if (type === "int") {
        // Anything not a whole number goes as typed: the server names the problem.
        condition[name] = input.value === "" ? null : Number(input.value);
      } else {
        condition[name] = input.value;
      }
    });
    return condition;
  }

  function readAttribute(row, condition) {
    let field = row.querySelector("[data-param=field]").value;
    if (field === "attributes.") field += row.querySelector("[data-param=key]").value.trim();
    const op = row.querySelector("[data-param=op]").value;
    condition.field = field;
    condition.op = op;
    const onAttribute = field.startsWith("attributes.");
    const valueKind = VALUE_KINDS[op] || "text";
    if (valueKind === "days") {
      const days = row.querySelector("[data-value-for=days]").value;
      condition.value = days === "" ? null : Number(days);
    } else if (valueKind === "bool") {
      condition.value = row.querySelector("[data-value-for=bool]").value === "true";
    } else {
      const text = row.querySelector("[data-value-for=text]").value;
      if (op === "in") {
        condition.value = text.split(",").map(function (item) { return item.trim(); })
          .filter(Boolean).map(function (item) { return onAttribute ? typed(item) : item; });
      } else if (op === "contains") {
        condition.value = text.trim();
      } else {
        condition.value = onAttribute ? typed(text.trim()) : text.trim();
      }
    }
    return condition;
  }

  function showAttributeInputs(row) {
    const field = row.querySelector("[data-param=field]");
    if (!field) return;
    row.querySelector("[data-param=key]").hidden = field.value !== "attributes.";
    const valueKind = VALUE_KINDS[row.querySelector("[data-param=op]").value] || "text";
    row.querySelector("[data-value-for=text]").hidden = valueKind !== "text";
    row.querySelector("[data-value-for=days-wrap]").hidden = valueKind !== "days";
    row.querySelector("[data-value-for=bool]").hidden = valueKind !== "bool";
  }

  function depthOf(element) {
    let depth = 0;
    for (let node = element; node && node !== builder; node = node.parentElement) {
      if (node.matches("[data-group]")) depth += 1;
    }
    return depth;
  }

  function refreshGroups() {
    builder.querySelectorAll("[data-group]").forEach(function (group) {
      const addGroup = group.querySelector(":scope > .rule-group-actions [data-action=add-group]");
      if (addGroup) addGroup.hidden = depthOf(group) >= maxDepth;
      const empty = group.querySelector(":scope > .rule-items > [data-empty]");
      if (empty) empty.hidden = group.querySelector(":scope > .rule-items > [data-condition], :scope > .rule-items > [data-group]") !== null;
    });
  }

  function changed() {
    refreshGroups();
    rulesInput.value = JSON.stringify(readGroup(builder.querySelector("[data-group]"), ""));
    htmx.trigger(preview, "rules-changed");
  }

  function cloneTemplate(selector) {
    const template = form.querySelector(selector);
    return template.content.firstElementChild.cloneNode(true);
  }

  function placeErrors() {
    const data = document.getElementById("segment-rule-errors");
    if (!data) return;
    const errors = JSON.parse(data.textContent || "{}");
    builder.querySelectorAll("[data-errors]").forEach(function (box) { box.replaceChildren(); });
    builder.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    const holders = {};
    builder.querySelectorAll("[data-path]").forEach(function (el) { holders[el.dataset.path] = el; });
    Object.keys(errors).forEach(function (path) {
      // "conditions[1].op" belongs to the row "conditions[1]"; "conditions[1].match" to its group.
      let where = path;
      while (!(where in holders) && /\.[a-z_]+$/.test(where)) where = where.replace(/\.[a-z_]+$/, "");
      const holder = holders[where in holders ? where : ""];
      const field = path.slice(where.length + 1);
      const input = field && holder.querySelector("[data-param=" + field + "], [data-value-for=" + (field === "value" ? "text" : field) + "]");
      if (input) input.classList.add("is-invalid");
      const box = holder.querySelector(":scope > [data-errors], :scope > .rule-group-head > [data-errors]");
      errors[path].forEach(function (message) {
        const line = document.createElement("div");
        line.className = "invalid-feedback d-block";
        line.textContent = message;
        box.appendChild(line);
      });
    });
  }

  builder.addEventListener("click", function (event) {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const group = button.closest("[data-group]");
    if (button.dataset.action === "remove") {
      button.closest("[data-condition], [data-group]").remove();
    } else if (button.dataset.action === "add-condition") {
      const row = cloneTemplate("template[data-kind-template=attribute]");
      group.querySelector(":scope > .rule-items").appendChild(row);
      row.querySelector("select, input").focus();
    } else if (button.dataset.action === "add-group") {
      const nested = cloneTemplate("template[data-group-template]");
      group.querySelector(":scope > .rule-items").appendChild(nested);
    }
    changed();
  });

  builder.addEventListener("change", function (event) {
    const target = event.target;
    if (target.dataset.role === "kind") {
      const old = target.closest("[data-condition]");
      const row = cloneTemplate("template[data-kind-template=" + CSS.escape(target.value) + "]");
      old.replaceWith(row);
      row.querySelector("[data-role=kind]").focus();
    } else {
      const row = target.closest("[data-condition]");
      if (row && row.dataset.kind === "attribute") showAttributeInputs(row);
    }
    changed();
  });

  builder.addEventListener("input", function (event) {
    if (event.target.matches("input")) changed();
  });

  preview.addEventListener("htmx:afterSwap", placeErrors);
  form.addEventListener("submit", function () {
    rulesInput.value = JSON.stringify(readGroup(builder.querySelector("[data-group]"), ""));
  });
  refreshGroups();
})();
