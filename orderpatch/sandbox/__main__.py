"""Entry point of ``python -m orderpatch.sandbox``."""

from orderpatch.sandbox import main

raise SystemExit(main())
