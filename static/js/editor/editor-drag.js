/* Drag and drop of the editor (SortableJS): palette items onto the message, cards and buttons
 * reordered or moved between lists. Mouse events (forceFallback) so it behaves the same in every
 * browser; move up/down buttons do the same for keyboard users. Needs editor.js first.
 */
(function () {
  "use strict";

  const ed = window.RelaisEditor;
  if (!ed || ed.readOnly) return;
  const root = document.getElementById("editor");
  const canvas = ed.canvas;
  let sortables = [];

  const dragOptions = { animation: 150, forceFallback: true, fallbackOnBody: true, fallbackTolerance: 4 };

  function bindPalette() {
    root.querySelectorAll("[data-palette]").forEach((list) => {
      Sortable.create(list, Object.assign({}, dragOptions, {
        group: { name: "palette-" + list.dataset.palette, pull: "clone", put: false },
        sort: false,
        draggable: ".palette-item",
      }));
    });
  }

  function listPathOf(el) {
    return JSON.parse(el.dataset.blockPath);
  }

  function bindCanvas() {
    sortables.forEach((sortable) => sortable.destroy());
    sortables = [];
    const message = canvas.querySelector('[data-list="message"]');
    if (message) {
      sortables.push(Sortable.create(message, Object.assign({}, dragOptions, {
        group: { name: "message", pull: false, put: ["palette-blocks"] },
        draggable: ".palette-item",
        onAdd: (event) => {
          event.item.remove();
          ed.addBlock(event.item.dataset.block);
        },
      })));
    }
    const cards = canvas.querySelector('[data-list="cards"]');
    if (cards) {
      sortables.push(Sortable.create(cards, Object.assign({}, dragOptions, {
        group: { name: "cards", pull: false, put: (to, from, item) => ["card", "carousel"].includes(item.dataset.block) },
        draggable: ".card-block",
        handle: ".card-handle",
        onAdd: (event) => {
          event.item.remove();
          ed.addBlock("card", event.newIndex);
        },
        onUpdate: (event) => {
          ed.editor.moveTo(ed.editor.CARDS, event.oldIndex, ed.editor.CARDS, event.newIndex);
          ed.selectCard(event.newIndex);
          ed.structural(ed.strings.moved);
        },
      })));
    }
    canvas.querySelectorAll('[data-list="buttons"]').forEach((list) => {
      sortables.push(Sortable.create(list, Object.assign({}, dragOptions, {
        group: { name: "buttons", pull: true, put: ["buttons", "palette-buttons"] },
        draggable: ".button-block",
        handle: ".drag-handle",
        onAdd: (event) => {
          if (event.item.dataset.button) {
            event.item.remove();
            ed.addButton(event.item.dataset.button, event.item.dataset.label, listPathOf(list), event.newIndex);
          } else {
            ed.editor.moveTo(listPathOf(event.from), event.oldIndex, listPathOf(list), event.newIndex);
            ed.structural(ed.strings.moved);
          }
        },
        onUpdate: (event) => {
          const path = listPathOf(list);
          ed.editor.moveTo(path, event.oldIndex, path, event.newIndex);
          ed.structural(ed.strings.moved);
        },
      })));
    });
  }

  ed.hooks.canvas.push(bindCanvas);
  document.addEventListener("DOMContentLoaded", bindPalette);
})();
