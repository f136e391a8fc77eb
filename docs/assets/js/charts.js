/*
 * Charts and sortable tables for the handbook.
 *
 * Charts: every `.hb-chart[data-figure]` holds a plain plotly figure ({data, layout}) as JSON in a data
 * attribute (never an inline script: Material's instant navigation re-runs those). On each page, including
 * pages reached by instant navigation (`document$`), this script loads the site's own copy of plotly.js once,
 * only if the page has charts, applies the shared template below (fonts, colours, margins), and draws. Colours
 * come from CSS custom properties (teams.css), so light and dark mode follow the palette; a change of
 * `body[data-md-color-scheme]` redraws the charts in the new colours.
 *
 * Data tables: each chart's `details.hb-chart__data` gets a table of the figure's actual values (and the
 * trajectory from `customdata` on target charts), built here from the figure rather than shipped as thousands
 * of tags per page (see macros/render/charts.py, render_chart).
 *
 * Tables: a `table[data-sortable]` gets a button in each column heading; the buttons sort by each cell's
 * `data-sort` (else its text), numerically when every key is a number, and set `aria-sort` on the heading.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  // The site root: this file is <root>/assets/js/charts.js. Material's __md_scope is the fallback.
  var root = script && script.src
    ? new URL("../../", script.src)
    : (window.__md_scope ? new URL(".", window.__md_scope) : new URL("/", window.location.href));
  var PLOTLY_URL = new URL("assets/vendor/plotly/plotly-basic.min.js", root).href;

  var plotlyPromise = null;
  var drawn = [];

  // plotly's own words and formats (axes, hover, mode bar) in the page's language (<html lang>): its locale file,
  // vendored beside plotly.js, is loaded only on a page in a language the site carries one for.
  var LOCALES = ["fr"];
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase().split("-")[0];
  var LOCALE = LOCALES.indexOf(lang) >= 0 ? lang : null;

  function loadScript(url, attr) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = url;
      tag.async = true;
      tag.setAttribute(attr, "");
      tag.onload = function () { resolve(); };
      tag.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(tag);
    });
  }

  function loadPlotly() {
    if (window.Plotly && (!LOCALE || CONFIG.locale === LOCALE)) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = (window.Plotly ? Promise.resolve() : loadScript(PLOTLY_URL, "data-hb-plotly"))
        .then(function () {
          if (!LOCALE) return null;
          return loadScript(new URL("assets/vendor/plotly/plotly-locale-" + LOCALE + ".js", root).href,
                            "data-hb-plotly-locale").then(function () { CONFIG.locale = LOCALE; });
        })
        .then(function () { return window.Plotly; }, function (err) {
          plotlyPromise = null;
          throw err;
        });
    }
    return plotlyPromise;
  }

  function cssVar(style, name, fallback) {
    var value = style.getPropertyValue(name).trim();
    return value || fallback;
  }

  function palette() {
    var s = getComputedStyle(document.body);
    return {
      font: s.fontFamily,
      fg: cssVar(s, "--md-default-fg-color", "#222"),
      bg: cssVar(s, "--md-default-bg-color", "#fff"),
      muted: cssVar(s, "--md-default-fg-color--light", "#666"),
      grid: cssVar(s, "--md-default-fg-color--lightest", "#ddd"),
      actual: cssVar(s, "--hb-chart-actual", "#1f5fa8"),
      trajectory: cssVar(s, "--hb-chart-trajectory", "#666"),
      target: cssVar(s, "--hb-chart-target", "#1b6e2e"),
      baseline: cssVar(s, "--hb-chart-baseline", "#8a5a00"),
      limit: cssVar(s, "--hb-chart-limit", "#b3261e"),
      note: cssVar(s, "--hb-chart-note", "#1a1a1a"),
      projection: cssVar(s, "--hb-chart-projection", "#1f5fa8"),
      band: cssVar(s, "--hb-chart-band", "rgba(31, 95, 168, 0.15)"),
      // Lines of different teams in one chart (meta "team"): each also has its own dash and marker symbol.
      teams: [1, 2, 3, 4, 5, 6, 7, 8].map(function (i, k) {
        return cssVar(s, "--hb-chart-team-" + i, ["#1f5fa8", "#c2410c", "#1b6e2e", "#7b2d8e", "#8a5a00", "#0e7490", "#b3261e", "#4b5563"][k]);
      }),
    };
  }

  function isObject(x) { return x && typeof x === "object" && !Array.isArray(x); }

  function merge(base, over) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(over || {}).forEach(function (k) {
      out[k] = isObject(base[k]) && isObject(over[k]) ? merge(base[k], over[k]) : over[k];
    });
    return out;
  }

  // The shared template: one place, applied to every figure at draw time.
  function template(p, node) {
    var small = node.classList.contains("hb-chart--small");
    var axis = {
      gridcolor: p.grid, linecolor: p.grid, zerolinecolor: p.grid, tickcolor: p.grid,
      automargin: true, tickfont: { color: p.muted }, title: { font: { color: p.muted, size: 11 } },
    };
    return {
      font: { family: p.font, size: 12, color: p.fg },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      height: node.clientHeight || 320,
      margin: { l: 8, r: 12, t: 24, b: 8 },
      hovermode: "x unified",
      hoverlabel: { font: { family: p.font } },
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.18, yanchor: "top", font: { color: p.fg } },
      xaxis: merge(axis, { nticks: small ? 4 : 8 }),
      yaxis: merge(axis, { nticks: small ? 4 : 6 }),
    };
  }

  function styleTraces(data, p) {
    var team = 0;
    return data.map(function (trace) {
      if (trace.meta === "team") {
        var c = p.teams[team++ % p.teams.length];
        return merge(trace, { line: { color: c, width: 2 }, marker: { color: c } });
      }
      if (trace.meta === "note") {
        // A figure with a note: a star outlined in the page colour, on top of the line's own marker.
        return merge(trace, { marker: { color: p.note, line: { color: p.bg, width: 1 } } });
      }
      if (trace.meta === "band") {
        // The range at the pace kept: a shaded shape with no outline, drawn under the line.
        return merge(trace, { line: { color: p.band, width: 0 }, fillcolor: p.band });
      }
      var colour = p[trace.meta] || p.actual;
      return merge(trace, { line: { color: colour, width: trace.meta === "actual" ? 2.5 : 2 }, marker: { color: colour } });
    });
  }

  function styleLayout(layout, p, node) {
    var out = merge(template(p, node), layout);
    out.shapes = (layout.shapes || []).map(function (s) { return merge(s, { line: { color: p.muted } }); });
    out.annotations = (layout.annotations || []).map(function (a) { return merge(a, { font: { color: p.muted, size: 11 } }); });
    return out;
  }

  // topojsonURL: map data for geo traces, which the basic bundle cannot draw. Its remote default is blanked in the
  // vendored file (scripts/patch_plotly.py); pointing it at the site as well keeps it local even with a new bundle.
  var CONFIG = { responsive: true, displayModeBar: false, displaylogo: false, topojsonURL: "assets/vendor/plotly/" };

  function draw(Plotly, node) {
    var figure;
    try {
      figure = JSON.parse(node.getAttribute("data-figure"));
    } catch (err) {
      node.setAttribute("data-chart-error", "bad figure");
      return null;
    }
    node.hbFigure = figure;
    var p = palette();
    return Plotly.newPlot(node, styleTraces(figure.data, p), styleLayout(figure.layout || {}, p, node), CONFIG)
      .then(function () {
        node.classList.add("hb-chart--drawn");
        drawn.push(node);
      });
  }

  function redrawAll() {
    if (!window.Plotly) return;
    var p = palette();
    drawn.forEach(function (node) {
      if (!node.isConnected || !node.hbFigure) return;
      window.Plotly.react(node, styleTraces(node.hbFigure.data, p), styleLayout(node.hbFigure.layout || {}, p, node), CONFIG);
    });
  }

  // Charts of a page left by instant navigation are gone from the document: release them.
  function purgeDetached() {
    drawn = drawn.filter(function (node) {
      if (node.isConnected) return true;
      if (window.Plotly) window.Plotly.purge(node);
      return false;
    });
  }

  function renderCharts() {
    purgeDetached();
    var nodes = Array.prototype.slice.call(document.querySelectorAll(".hb-chart[data-figure]:not(.hb-chart--drawn)"));
    if (!nodes.length) return Promise.resolve();
    return loadPlotly().then(function (Plotly) {
      return Promise.all(nodes.map(function (node) { return draw(Plotly, node); }));
    }).catch(function (err) {
      // The summary and data table stay on the page: say why the drawing is missing, once.
      nodes.forEach(function (node) { node.setAttribute("data-chart-error", String(err && err.message)); });
    });
  }

  // --- Data tables: every chart's figures as a table, built from the same figure data -----------------------

  function numberFormat(layout) {
    // The figure's y axis carries the indicator's precision as a d3 format: ",.1f" means one decimal.
    var m = /\.(\d+)f/.exec((layout && layout.yaxis && layout.yaxis.hoverformat) || "");
    var digits = m ? Number(m[1]) : 0;
    // The page's language writes the numbers ("1,234.5"; French "1 234,5"), as the handbook does (macros/i18n.py).
    var lang = document.documentElement.lang || "en-US";
    var f = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return function (v) { return typeof v === "number" && isFinite(v) ? f.format(v) : "–"; };
  }

  // Notes reach plotly as hover text ("Note: ...", French "Note : ...", wrapped with <br>, with <, > and & from data
  // written as entities: hover_note in charts.py): read them back as plain text for a table cell (set with
  // textContent, never as HTML).
  function plainText(s) {
    return String(s || "").replace(/^[^:]{1,20}[\u00a0 ]?: /, "").replace(/<br>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function buildTable(details, figure) {
    if (details.querySelector("table")) return;
    var columns;
    try { columns = JSON.parse(details.getAttribute("data-columns") || "[]"); } catch (err) { columns = []; }
    var actual = (figure.data || []).filter(function (t) { return t.meta === "actual"; })[0];
    if (!actual || !columns.length) return;
    var fmt = numberFormat(figure.layout);
    // The note column: the last, when the chart's figures carry notes (its name is in the page's language).
    var noteAttr = details.getAttribute("data-note-column");
    var noteColumn = noteAttr !== null ? Number(noteAttr) : (columns[columns.length - 1] === "Note" ? columns.length - 1 : -1);
    var table = document.createElement("table");
    table.className = "hb-table hb-table--chart";
    var head = table.createTHead().insertRow();
    columns.forEach(function (name, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      if (i === noteColumn) th.className = "hb-chart__text";
      head.appendChild(th);
    });
    var body = table.createTBody();
    var hasNote = noteColumn === columns.length - 1;
    var valueColumns = hasNote ? columns.length - 1 : columns.length;
    for (var i = 0; i < actual.x.length; i++) {
      var row = body.insertRow();
      row.insertCell().textContent = actual.x[i];
      // A null is a period with no figure: the line breaks there, and the table says so.
      row.insertCell().textContent = actual.y[i] === null ? (details.getAttribute("data-missing") || "no figure")
        : fmt(actual.y[i]);
      if (valueColumns > 2) row.insertCell().textContent = fmt(actual.customdata ? actual.customdata[i] : null);
      if (hasNote) {
        var note = row.insertCell();
        note.className = "hb-chart__text";
        note.textContent = plainText(actual.hovertext ? actual.hovertext[i] : "");
      }
    }
    details.insertBefore(table, details.querySelector(".hb-chart__csv"));
  }

  function buildTables() {
    document.querySelectorAll(".hb-figure").forEach(function (fig) {
      var chart = fig.querySelector(".hb-chart[data-figure]");
      var details = fig.querySelector("details.hb-chart__data");
      if (!chart || !details || details.querySelector("table")) return;
      try {
        buildTable(details, JSON.parse(chart.getAttribute("data-figure")));
      } catch (err) {
        details.setAttribute("data-table-error", String(err && err.message));
      }
    });
  }

  // --- Sortable tables ---------------------------------------------------------------------------------

  function sortKey(cell) {
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim().toLowerCase() : key;
  }

  function sortTable(table, col, dir) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var keys = rows.map(function (r) { return sortKey(r.cells[col]); });
    var numeric = keys.every(function (k) { return k === "" || !isNaN(Number(k)); });
    var order = rows.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (x === "" || y === "") return (x === "") - (y === "") || a - b; // blanks last, either direction
      var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      return (dir === "descending" ? -c : c) || a - b;
    });
    var frag = document.createDocumentFragment();
    order.forEach(function (i) { frag.appendChild(rows[i]); });
    body.appendChild(frag);
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) {
      if (i === col) heads[i].setAttribute("aria-sort", dir);
      else heads[i].removeAttribute("aria-sort");
    }
  }

  function enhanceTables() {
    document.querySelectorAll("table[data-sortable]:not([data-sort-ready])").forEach(function (table) {
      if (!table.tHead || !table.tHead.rows.length) return;
      table.setAttribute("data-sort-ready", "");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "hb-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        var icon = document.createElement("span");
        icon.className = "hb-sort__icon";
        icon.setAttribute("aria-hidden", "true");
        button.appendChild(icon);
        th.appendChild(button);
        button.addEventListener("click", function () {
          sortTable(table, col, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
        });
      });
    });
  }

  // --- Print: the drawings print (plotly draws SVG); fit them to the paper's width -------------------------

  // Print CSS gives every chart a fixed width and height that fit A4 and Letter; when the print media applies (a
  // print, a PDF, or emulation), each drawing is laid out at that size, and at its screen size again after.
  function fitForPrint(event) {
    if (!window.Plotly || !window.matchMedia) return;
    var printing = event && typeof event.matches === "boolean" ? event.matches : window.matchMedia("print").matches;
    drawn.forEach(function (node) {
      if (!node.isConnected || !node.clientWidth) return;
      if (printing) window.Plotly.relayout(node, { width: node.clientWidth, height: node.clientHeight });
      else window.Plotly.relayout(node, { width: null, autosize: true, height: node.clientHeight });
    });
  }
  if (window.matchMedia) {
    var printMedia = window.matchMedia("print");
    if (printMedia.addEventListener) printMedia.addEventListener("change", fitForPrint);
  }
  window.addEventListener("beforeprint", function () { fitForPrint(); });
  window.addEventListener("afterprint", function () { fitForPrint({ matches: false }); });

  // --- Wiring -----------------------------------------------------------------------------------------------

  function onPage() {
    buildTables();
    enhanceTables();
    renderCharts();
  }

  new MutationObserver(redrawAll).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }

  // For tests and other scripts: draw charts (and build data tables) added after load.
  window.hbCharts = { render: renderCharts, sortTable: sortTable, buildTables: buildTables };
})();
