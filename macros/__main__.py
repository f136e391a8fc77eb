"""Run the handbook's command line: python -m macros check | status | diff."""

import sys

from .cli import main

sys.exit(main())
