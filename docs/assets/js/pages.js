/* Handbook pages: keep manual checklist ticks in this browser, the print button, and the scoreboard's filters.
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

  // The scoreboard: filter its grid by unit and by status. Without script every unit shows, with a list of units
  // to jump to and lists of the pairs by status below; `?unit=<slug>&status=<status>` in the URL sets the filters
  // (the home page's counts link to `?status=...`).
  var STATUSES = [["met", "Met"], ["on-track", "On track"], ["at-risk", "At risk"], ["off-track", "Off track"],
    ["stale", "Stale"], ["no-data", "No data"]];

  function select(label, name, options) {
    var wrap = document.createElement("label");
    wrap.appendChild(document.createTextNode(label + " "));
    var box = document.createElement("select");
    box.name = name;
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      box.appendChild(opt);
    });
    wrap.appendChild(box);
    return [wrap, box];
  }

  function setupBoard() {
    var host = document.querySelector("[data-hb-board]");
    if (!host || host.dataset.hbBound) return;
    host.dataset.hbBound = "1";
    var units = Array.prototype.slice.call(document.querySelectorAll(".hb-board__unit, .hb-board__none"));
    var unitOptions = [["", "All units"]];
    units.forEach(function (u) {
      var h = u.previousElementSibling;
      var name = h && /^H[1-6]$/.test(h.tagName) ? h.textContent.replace(/\u00b6$/, "").trim() : u.getAttribute("data-unit");
      unitOptions.push([u.getAttribute("data-unit"), name]);
    });
    var unitSel = select("Unit", "unit", unitOptions);
    var statusSel = select("Status", "status", [["", "All statuses"]].concat(STATUSES));
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    host.appendChild(unitSel[0]);
    host.appendChild(statusSel[0]);
    host.appendChild(count);
    var jump = document.querySelector("[data-hb-board-units]");
    if (jump) jump.hidden = true;
    var params = new URLSearchParams(window.location.search);
    unitSel[1].value = params.get("unit") || "";
    statusSel[1].value = params.get("status") || "";
    if (unitSel[1].selectedIndex < 0) unitSel[1].value = "";
    if (statusSel[1].selectedIndex < 0) statusSel[1].value = "";

    function apply(update) {
      var unit = unitSel[1].value, status = statusSel[1].value.replace(/-/g, " ");
      var shown = 0, total = 0;
      units.forEach(function (u) {
        var rowsShown = 0;
        u.querySelectorAll("tbody tr").forEach(function (tr) {
          var match = 0;
          tr.querySelectorAll("td[data-status]").forEach(function (td) {
            total += 1;
            var ok = !status || td.getAttribute("data-status") === status;
            td.classList.toggle("hb-dim", !ok);
            if (ok) match += 1;
          });
          var visible = (!unit || u.getAttribute("data-unit") === unit) && (!status || match > 0);
          tr.hidden = !visible;
          if (visible) { rowsShown += 1; shown += match; }
        });
        var on = (!unit || u.getAttribute("data-unit") === unit) && (!status || rowsShown > 0);
        u.hidden = !on;
        var h = u.previousElementSibling;
        if (h && /^H[1-6]$/.test(h.tagName)) h.hidden = !on;
      });
      count.textContent = (unit || status) ? "Showing " + shown + " of " + total + " team-and-target pairs" : "";
      if (update) {
        var q = new URLSearchParams(window.location.search);
        if (unit) q.set("unit", unit); else q.delete("unit");
        if (statusSel[1].value) q.set("status", statusSel[1].value); else q.delete("status");
        var search = q.toString();
        window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : ""));
      }
    }
    unitSel[1].addEventListener("change", function () { apply(true); });
    statusSel[1].addEventListener("change", function () { apply(true); });
    apply(false);
    if (params.get("status") || params.get("unit")) host.scrollIntoView();
  }

  // Links within the site print as their text only (print CSS shows the address of links that leave it);
  // instant navigation makes their hrefs absolute, so mark them by where they lead.
  function markInternalLinks() {
    document.querySelectorAll("a[href]:not([data-hb-internal])").forEach(function (a) {
      if (a.host === window.location.host) a.setAttribute("data-hb-internal", "");
    });
  }

  // "Report this period" on a team page: copy the CSV rows. The button is hidden until this script shows it.
  // The clipboard API needs a secure origin (an intranet may serve plain http): fall back to selecting the rows
  // and the browser's copy command; either way, say what happened.
  function copyText(text, node, done) {
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(node);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok ? "Copied." : "Selected: press Ctrl+C (or \u2318+C) to copy.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("Copied."); }, fallback);
    } else {
      fallback();
    }
  }

  function setupCopy() {
    document.querySelectorAll("[data-hb-copy]").forEach(function (button) {
      if (button.dataset.hbBound) return;
      var node = document.getElementById(button.getAttribute("data-hb-copy"));
      if (!node) return;
      button.dataset.hbBound = "1";
      button.hidden = false;
      var status = button.parentNode.querySelector(".hb-copy__done");
      button.addEventListener("click", function () {
        copyText(node.textContent, node, function (message) {
          if (status) status.textContent = message;
        });
      });
    });
  }

  function setupAll() {
    markInternalLinks();
    setup();
    setupBoard();
    setupCopy();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setupAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
