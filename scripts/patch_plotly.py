"""Remove the remote addresses plotly.js carries as defaults from the vendored bundle (idempotent).

The handbook must request nothing outside its own origin. plotly.js (basic bundle, vendored under
docs/assets/vendor/plotly/) has two fetchable defaults: `topojsonURL` (map data for geo traces, which the basic
bundle cannot draw) and `plotlyServerURL` (the "edit in Chart Studio" target, whose button the site never shows).
Neither is used, and charts.js overrides the first anyway; this script blanks both in the file itself, so the
site's files hold no address an intranet would try to reach. Run it again after replacing the bundle:

    python scripts/patch_plotly.py
"""

from __future__ import annotations

import sys
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent.parent / "docs" / "assets" / "vendor" / "plotly" / "plotly-basic.min.js"
PATCHES = {
    'topojsonURL:{valType:"string",noBlank:!0,dflt:"https://cdn.plot.ly/un/"}':
        'topojsonURL:{valType:"string",noBlank:!0,dflt:"./"}',
    'plotlyServerURL:{valType:"string",dflt:"https://cloud.plotly.com/newchart"}':
        'plotlyServerURL:{valType:"string",dflt:""}',
}
MARK = "/* Remote defaults (topojsonURL, plotlyServerURL) blanked by scripts/patch_plotly.py. */\n"


def patch(text: str) -> str:
    for old, new in PATCHES.items():
        if old in text:
            text = text.replace(old, new)
        elif new not in text:
            raise SystemExit(f"patch_plotly: neither the original nor the patched default is in the bundle: {old[:40]}...")
    return text if text.startswith(MARK) else MARK + text


def main() -> int:
    text = BUNDLE.read_text(encoding="utf-8")
    patched = patch(text)
    if patched != text:
        BUNDLE.write_text(patched, encoding="utf-8")
        print(f"patched {BUNDLE}")
    else:
        print(f"already patched: {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
