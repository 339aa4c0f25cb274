/* The editor's state: the template being edited, and the operations that change its message.
 *
 * The message is kept as the stored content JSON (RBM contentMessage shape); every operation
 * here edits that JSON by path. No DOM, no network: editor.js wires these to the page.
 * Exposed as window.RelaisEditorState.
 */
(function () {
  "use strict";

  const CONTENT = "rcs_content";
  const STANDALONE = [CONTENT, "richCard", "standaloneCard"];
  const CAROUSEL = [CONTENT, "richCard", "carouselCard"];
  const CARDS = [...CAROUSEL, "cardContents"];
  const CHIPS = [CONTENT, "suggestions"];

  function getAt(obj, path) {
    for (const key of path) {
      if (obj === null || typeof obj !== "object") return undefined;
      obj = obj[key];
    }
    return obj;
  }

  function setAt(obj, path, value) {
    let node = obj;
    path.slice(0, -1).forEach((key, i) => {
      if (node[key] === null || typeof node[key] !== "object") {
        node[key] = typeof path[i + 1] === "number" ? [] : {};
      }
      node = node[key];
    });
    node[path[path.length - 1]] = value;
  }

  function deleteAt(obj, path) {
    const parent = getAt(obj, path.slice(0, -1));
    const key = path[path.length - 1];
    if (Array.isArray(parent)) parent.splice(key, 1);
    else if (parent && typeof parent === "object") delete parent[key];
    // An empty button list is left out rather than stored as [].
    if (Array.isArray(parent) && parent.length === 0 && path[path.length - 2] === "suggestions") {
      deleteAt(obj, path.slice(0, -1));
    }
  }

  function newCtaId() {
    const bytes = new Uint8Array(4);
    crypto.getRandomValues(bytes);
    return "cta_" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function newButton(kind, label) {
    const button = { ctaId: newCtaId() };
    if (kind === "reply") {
      button.reply = { text: label };
      return button;
    }
    const actions = {
      open_url: { openUrlAction: { url: "" } },
      dial: { dialAction: { phoneNumber: "" } },
      view_location: { viewLocationAction: { query: "" } },
      // The event title is what the phone's calendar shows: the marketer writes it, never the label.
      calendar: { createCalendarEventAction: { title: "", startTime: "", endTime: "" } },
      share_location: { shareLocationAction: {} },
    };
    button.action = Object.assign({ text: label }, actions[kind] || actions.open_url);
    return button;
  }

  function create(state, media) {
    const content = () => {
      if (!state[CONTENT] || typeof state[CONTENT] !== "object" || Array.isArray(state[CONTENT])) {
        state[CONTENT] = {};
      }
      return state[CONTENT];
    };

    function bodyKind() {
      const c = content();
      if ("text" in c) return "text";
      if (c.richCard && c.richCard.carouselCard) return "carousel";
      if (c.richCard && c.richCard.standaloneCard) return "card";
      if ("contentInfo" in c) return "media";
      return "empty";
    }

    function cardPaths() {
      const kind = bodyKind();
      if (kind === "card") return [[...STANDALONE, "cardContent"]];
      if (kind !== "carousel") return [];
      const cards = getAt(state, CARDS);
      return (Array.isArray(cards) ? cards : []).map((_, i) => [...CARDS, i]);
    }

    // The message becomes `kind`, keeping what it had: a text becomes a card's description,
    // an image the card's media, a card the first card of a carousel.
    function firstCardFromBody() {
      const c = content();
      const card = {};
      if (typeof c.text === "string" && c.text) card.description = c.text;
      if (c.contentInfo && c.contentInfo.fileUrl) {
        card.media = { height: "MEDIUM", contentInfo: c.contentInfo };
      }
      const standalone = getAt(state, [...STANDALONE, "cardContent"]);
      delete c.text;
      delete c.contentInfo;
      if (standalone) {
        delete c.richCard;
        return standalone;
      }
      return card;
    }

    function addBlock(kind, index) {
      const c = content();
      const was = bodyKind();
      if (kind === "text") {
        if (was === "empty") c.text = "";
        if (was === "media") {
          const card = firstCardFromBody();
          c.richCard = { standaloneCard: { cardOrientation: "VERTICAL", cardContent: card } };
        }
        return { focus: "text" };
      }
      if (kind === "image") {
        if (was === "empty") c.contentInfo = { fileUrl: "" };
        if (was === "text") {
          const card = firstCardFromBody();
          c.richCard = { standaloneCard: { cardOrientation: "VERTICAL", cardContent: card } };
        }
        return { focus: "image" };
      }
      if (kind === "card" && (was === "empty" || was === "text" || was === "media")) {
        const card = firstCardFromBody();
        c.richCard = { standaloneCard: { cardOrientation: "VERTICAL", cardContent: card } };
        return { focus: "card", card: 0 };
      }
      // A second card (or the carousel block) makes or grows a carousel.
      if (was !== "carousel") {
        const first = firstCardFromBody();
        c.richCard = { carouselCard: { cardWidth: "MEDIUM", cardContents: [first, {}] } };
        return was === "card" ? { focus: "card", card: 1, added: 2 } : { focus: "card", card: 0 };
      }
      return addCard(index);
    }

    function addCard(index) {
      const cards = getAt(state, CARDS);
      const at = index === undefined || index > cards.length ? cards.length : index;
      cards.splice(at, 0, {});
      return { focus: "card", card: at, added: at + 1 };
    }

    function buttonsPathFor(target) {
      const cards = cardPaths();
      if (!cards.length || (target && target.type === "chips")) return CHIPS;
      let index = target && target.type === "card" ? target.index : cards.length - 1;
      index = Math.min(Math.max(index, 0), cards.length - 1);
      return [...cards[index], "suggestions"];
    }

    function addButton(kind, label, listPath, index) {
      let list = getAt(state, listPath);
      if (!Array.isArray(list)) {
        list = [];
        setAt(state, listPath, list);
      }
      const at = index === undefined || index > list.length ? list.length : index;
      list.splice(at, 0, newButton(kind, label));
      return [...listPath, at];
    }

    function move(path, step) {
      const list = getAt(state, path.slice(0, -1));
      const from = path[path.length - 1];
      const to = from + step;
      if (!Array.isArray(list) || to < 0 || to >= list.length) return null;
      list.splice(to, 0, list.splice(from, 1)[0]);
      return [...path.slice(0, -1), to];
    }

    function moveTo(fromList, from, toList, to) {
      const source = getAt(state, fromList);
      if (!Array.isArray(source) || !source[from]) return;
      const [item] = source.splice(from, 1);
      let target = getAt(state, toList);
      if (!Array.isArray(target)) {
        target = [];
        setAt(state, toList, target);
      }
      target.splice(Math.min(to, target.length), 0, item);
      if (source.length === 0) deleteAt(state, fromList);
    }

    // --- Images: an asset has one crop per card width and media height (editor.media),
    // cut around the centre or around a focal point named in the file (editor.framing).
    const FOCUS_RE = /-at-(\d+)-(\d+)(-thumb)?\.jpg$/;
    const folderOf = (url) => (typeof url === "string" ? url.slice(0, url.lastIndexOf("/") + 1) : "");

    function assetFor(url) {
      if (!url) return null;
      const folder = folderOf(url);
      return media.find((asset) => asset.file === url || folderOf(asset.file) === folder) || null;
    }

    // The focal point [x, y] (thousandths) a card image reference was cut around, or null.
    function focusOf(url) {
      const match = typeof url === "string" && url.match(FOCUS_RE);
      return match ? [Number(match[1]), Number(match[2])] : null;
    }

    // The same cut around another focal point: "…/standalone-medium.jpg" -> "…-at-420-300.jpg".
    function framed(url, focus) {
      if (!url || !focus || (focus[0] === 500 && focus[1] === 500)) return url;
      return url.replace(/(-thumb)?\.jpg$/, (all, thumb) => "-at-" + focus[0] + "-" + focus[1] + (thumb || "") + ".jpg");
    }

    function widthOf(mediaPath) {
      if (mediaPath[1] === "contentInfo") return "FILE";
      if (mediaPath[2] === "carouselCard") return getAt(state, [...CAROUSEL, "cardWidth"]) || "MEDIUM";
      return getAt(state, [...STANDALONE, "cardOrientation"]) === "HORIZONTAL" ? "HORIZONTAL" : "STANDALONE";
    }

    function variantFor(asset, width, height, focus) {
      if (width === "FILE") return { file: asset.file, thumbnail: asset.thumbnail };
      let key = width === "HORIZONTAL" ? "HORIZONTAL" : width + ":" + height;
      if (key === "SMALL:TALL") key = "SMALL:MEDIUM";
      const plain = (asset.variants || {})[key];
      if (!plain) return { file: asset.file, thumbnail: asset.thumbnail };
      return { file: framed(plain.file, focus), thumbnail: framed(plain.thumbnail, focus) };
    }

    function useAsset(mediaPath, asset, focus) {
      if (!media.some((known) => known.id === asset.id)) media.push(asset);
      const width = widthOf(mediaPath);
      const variant = variantFor(asset, width, getAt(state, [...mediaPath, "height"]) || "MEDIUM", focus);
      const info = { fileUrl: variant.file };
      if (variant.thumbnail) info.thumbnailUrl = variant.thumbnail;
      if (width === "FILE") setAt(state, mediaPath, info);
      else setAt(state, mediaPath, { height: getAt(state, [...mediaPath, "height"]) || "MEDIUM", contentInfo: info });
    }

    // Cut a card's image around another focal point (its files exist: see media_frame).
    function useFocus(mediaPath, focus) {
      const info = getAt(state, [...mediaPath, "contentInfo"]);
      const asset = info && assetFor(info.fileUrl);
      if (!asset) return false;
      const variant = variantFor(asset, widthOf(mediaPath), getAt(state, [...mediaPath, "height"]) || "MEDIUM", focus);
      info.fileUrl = variant.file;
      if (variant.thumbnail) info.thumbnailUrl = variant.thumbnail;
      return true;
    }

    // After a change of card width, orientation or height, point each image at the right crop,
    // around the focal point it had.
    function refreshCrops() {
      cardPaths().forEach((cardPath) => {
        const mediaPath = [...cardPath, "media"];
        const info = getAt(state, [...mediaPath, "contentInfo"]);
        if (info) useFocus(mediaPath, focusOf(info.fileUrl));
      });
    }

    return {
      state, bodyKind, cardPaths, addBlock, addCard, addButton, buttonsPathFor, move, moveTo,
      useAsset, useFocus, focusOf, refreshCrops, CHIPS, CARDS,
    };
  }

  window.RelaisEditorState = { create, getAt, setAt, deleteAt, newCtaId };
})();
