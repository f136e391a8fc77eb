"""Run the handbook's command line: python -m macros check | status | diff | generate."""

import os
import sys

from .cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader went away (`python -m macros status | head`): stop quietly, as other command-line tools do.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    code = 0
sys.exit(code)
