/*
 * The language switcher of an organization that publishes in several languages (organization.yml, `languages`).
 *
 * Each language's site has the same pages at the same addresses under its own root (site/ for the organization's
 * language, site/fr/ for French...). Material's switcher links to the other site's home page (and its own
 * same-page lookup cannot tell apart a language at the root from one in a folder under it), so a click on a
 * language leads to the page being read, in the other language: the current address relative to this site's root,
 * under the other site's root. If that page is missing there, the other site's home page.
 */
(function () {
  "use strict";

  function siteRoot() {
    // Material writes the relative address of the site's root into every page (`__config`).
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (err) {
      base = ".";
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var link = event.target instanceof Element ? event.target.closest("a.md-select__link[hreflang]") : null;
    if (!link) return;
    var root = siteRoot();
    var here = new URL(window.location.href);
    if (here.pathname.indexOf(root.pathname) !== 0) return;
    var other = new URL(link.href);
    var page = new URL(here.pathname.slice(root.pathname.length) + here.search + here.hash, other);
    event.preventDefault();
    event.stopImmediatePropagation();
    fetch(page.href, { method: "HEAD" })
      .then(function (response) { window.location.href = response.ok ? page.href : other.href; })
      .catch(function () { window.location.href = other.href; });
  }, true);
})();
