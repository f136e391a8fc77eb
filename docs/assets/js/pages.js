/* Handbook pages: keep manual checklist ticks in this browser, and the print button.
   Material's instant navigation swaps pages without reloading: document$ fires on every page. */
(function () {
  "use strict";
  var PREFIX = "handbook.checklist.";

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null; // private mode or storage disabled: ticks last as long as the page
    }
  }

  function setup() {
    var store = storage();
    document.querySelectorAll("input[data-hb-item]").forEach(function (box) {
      var key = PREFIX + box.getAttribute("data-hb-item");
      if (store) box.checked = store.getItem(key) === "1";
      if (box.dataset.hbBound) return;
      box.dataset.hbBound = "1";
      box.addEventListener("change", function () {
        if (!store) return;
        if (box.checked) store.setItem(key, "1");
        else store.removeItem(key);
      });
    });
    document.querySelectorAll("[data-hb-print]").forEach(function (button) {
      if (button.dataset.hbBound) return;
      button.dataset.hbBound = "1";
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
