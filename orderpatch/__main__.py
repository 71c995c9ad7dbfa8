"""``python -m orderpatch``: the ``orderpatch`` command."""

import sys

from .cli import main

sys.exit(main())
