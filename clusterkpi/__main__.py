"""Entry point for ``python -m clusterkpi``."""

from __future__ import annotations

import sys

from clusterkpi.cli import main

sys.exit(main())
