"""`python -m search` runs the `warta` command."""

import sys

from search.cli import main

sys.exit(main())
