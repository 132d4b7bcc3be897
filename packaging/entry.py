"""Entry script of the frozen build: the `branchdesk` command (desktop/branchdesk/__main__.py imports relatively)."""

import sys

from branchdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
