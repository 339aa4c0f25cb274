/*
 * relais-conversion.js: for the shop's own pages (no build, no dependency).
 *
 * On every page: keeps the `rl_click` parameter Relais adds to a tracked link's landing URL,
 * in a first-party cookie and localStorage, for `data-days` days (5 by default; match
 * CONVERSION_CLICK_WINDOW_DAYS). A later click replaces an earlier one, as attribution does.
 *
 * On the order-confirmation page, with `data-order-id` and `data-endpoint`: sends
 * {"order_id", "click_id"} to the shop's OWN backend (same origin), once per order. The backend
 * then calls POST /api/v1/conversions with its API key and the order's value from its own
 * records: an API key must never reach a browser, where anyone can read it.
 *
 *   <script src="https://relais.example.com/static/js/analytics/relais-conversion.js"
 *           data-endpoint="/relais/conversion" data-order-id="CMD-2025-10412" defer></script>
 *
 * window.RelaisConversion.clickId() and .send(orderId, endpoint) do the same from code.
 */
(function () {
  "use strict";

  var NAME = "rl_click";
  var SENT = "rl_click_sent";
  // A click id is letters and digits: anything else in the URL is not one of ours.
  var CLICK_ID = /^[0-9A-Za-z]{9,64}$/;
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var days = parseFloat(data.days);
  if (!(days > 0 && days <= 90)) {
    days = 5;
  }

  function fromUrl() {
    var value = new URLSearchParams(window.location.search).get(NAME);
    return value && CLICK_ID.test(value) ? value : null;
  }

  function keep(value) {
    var seconds = Math.round(days * 86400);
    var cookie = NAME + "=" + value + "; Max-Age=" + seconds + "; Path=/; SameSite=Lax";
    if (window.location.protocol === "https:") {
      cookie += "; Secure";
    }
    document.cookie = cookie;
    try {
      window.localStorage.setItem(
        NAME,
        JSON.stringify({ id: value, expires: Date.now() + seconds * 1000 })
      );
    } catch (error) {
      // Storage refused (private browsing, a full quota): the cookie is enough.
    }
  }

  function fromCookie() {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i += 1) {
      var pair = parts[i].split("=");
      if (pair[0] === NAME && CLICK_ID.test(pair[1] || "")) {
        return pair[1];
      }
    }
    return null;
  }

  function fromStorage() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(NAME) || "null");
      if (kept && kept.expires > Date.now() && CLICK_ID.test(kept.id || "")) {
        return kept.id;
      }
      window.localStorage.removeItem(NAME);
    } catch (error) {
      // Unreadable or refused storage: nothing kept there.
    }
    return null;
  }

  /** The click id kept for this visitor, or null. */
  function clickId() {
    return fromCookie() || fromStorage();
  }

  function alreadySent(orderId) {
    try {
      return window.sessionStorage.getItem(SENT) === orderId;
    } catch (error) {
      return false;
    }
  }

  function markSent(orderId) {
    try {
      window.sessionStorage.setItem(SENT, orderId);
    } catch (error) {
      // A reload may send it again: the backend's post is deduplicated by order id anyway.
    }
  }

  /**
   * Send the order id and the kept click id to the shop's backend (same origin, with its
   * cookies). Resolves to true when sent; does nothing without a click id.
   */
  function send(orderId, endpoint) {
    var id = clickId();
    if (!orderId || !endpoint || !id || alreadySent(String(orderId))) {
      return Promise.resolve(false);
    }
    return window
      .fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ order_id: String(orderId), click_id: id }),
      })
      .then(function (response) {
        if (response.ok) {
          markSent(String(orderId));
        }
        return response.ok;
      })
      .catch(function () {
        return false;
      });
  }

  var landed = fromUrl();
  if (landed) {
    keep(landed);
  }
  window.RelaisConversion = { clickId: clickId, send: send };
  if (data.orderId && data.endpoint) {
    send(data.orderId, data.endpoint);
  }
})();
