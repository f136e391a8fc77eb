"""The page `mkdocs serve` shows while the data does not pass `check`: the same report, as text, and nothing else.

A live preview must not keep showing the last good page (nor hang) when a save breaks the data: every page of the
preview becomes this one until the data is fixed, and then the preview comes back by itself. A built site never
uses it: `mkdocs build` fails on a data error and publishes nothing.
"""

from __future__ import annotations

import html

from ..i18n import _, current

# mkdocs serve adds its live-reload script to the pages it serves, but not to its 404 page: that one polls the same
# endpoint itself (first for the current build's number, then until a newer build is visible) and reloads.
_POLL = """<script>
(function () {
  function poll(epoch) {
    fetch("/livereload/" + epoch + "/" + Date.now(), {cache: "no-store"})
      .then(function (r) { return r.text(); })
      .then(function (t) { var now = parseFloat(t) || 0; if (epoch && now > epoch) { location.reload(); } else { poll(now || epoch); } })
      .catch(function () { setTimeout(function () { poll(epoch); }, 2000); });
  }
  poll(0);
})();
</script>"""

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f; background: #fff; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; color: #9b1c1c; }
.hb-report { background: #fdf2f2; border-left: 0.3rem solid #c81e1e; padding: 1rem; overflow-x: auto;
  white-space: pre-wrap; font-size: 0.9rem; line-height: 1.5; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8ea; background: #1e2129; } h1 { color: #f8b4b4; }
  .hb-report { background: #2d1f24; border-left-color: #f05252; }
}
"""


def render_error_page(report: str, site_name: str, folder: str, poll: bool = False) -> str:
    """Return a complete HTML page showing the data error report (`check`'s text, escaped)."""
    lines = report.splitlines()
    head = lines[0].rstrip(":") if lines else _("The handbook data has problems")
    body = "\n".join(line.strip() for line in lines[1:])
    name = html.escape(site_name)
    where = html.escape(folder or ".")
    # The report itself is `check`'s text, in English; the page's own words are in the build's language.
    title = _("Data error · {site}").format(site=name)
    explain = _("The live preview of <strong>{site}</strong> shows this page until the problems below, in "
                "<code>{folder}</code>,\nare fixed (<code>make check</code> lists the same). Save the fix: the preview "
                "rebuilds and comes back by itself.").format(site=name, folder=where)
    # check's report stays English: say so to screen readers on a page in another language.
    report_lang = "" if current() == "en" else ' lang="en"'
    return f"""<!doctype html>
<html lang="{html.escape(current())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>{html.escape(head)}</h1>
<p>{explain}</p>
<pre class="hb-report" id="hb-data-errors"{report_lang}>{html.escape(body)}</pre>
</main>
{_POLL if poll else ""}
</body>
</html>
"""
