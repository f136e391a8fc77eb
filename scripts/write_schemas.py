"""Write the JSON Schema of every YAML data file into docs/schemas/ from macros/contract.py.

Run after changing the contract: `python scripts/write_schemas.py` (a test fails until the files match).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.checks import CHECKS  # noqa: E402
from macros.contract import FILES, TRANSLATIONS_FOLDER, json_schema, schema_file, translations_schema  # noqa: E402

OUT = ROOT / "docs" / "schemas"


def render_schemas() -> dict[str, str]:
    """File name -> JSON text of each data file's schema."""
    names = tuple(sorted(CHECKS))
    schemas = {schema_file(spec): json_schema(spec, names) for spec in FILES}
    schemas[TRANSLATIONS_FOLDER + ".schema.json"] = translations_schema()  # data/translations/<language>.yml
    return {name: json.dumps(body, indent=2, ensure_ascii=False) + "\n" for name, body in schemas.items()}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render_schemas().items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"Wrote {len(render_schemas())} schemas to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
