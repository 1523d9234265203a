"""`python -m warta` runs the `warta` command."""

import sys

from warta.cli import main

sys.exit(main())
