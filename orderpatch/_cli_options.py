"""Options the command's subcommands share: ``--vendor``, ``--config`` and the call options.

``--vendor`` is checked by argparse itself, so a wrong name is reported against the flag
(``argument --vendor: unknown vendor 'sprre'; choose one of …``) rather than against the
``ORDERPATCH_VENDOR`` variable it overrides.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._config import Config

__all__ = ["add_connection_options", "call_options", "load_config", "positive_seconds", "retries", "vendor_flag"]


def vendor_flag(text: str) -> str:
    """``--vendor``'s type: a vendor the facade knows (the name is checked here, naming the flag)."""
    from ._config import VENDORS

    name = text.strip().lower()
    if name not in VENDORS:
        raise argparse.ArgumentTypeError(f"unknown vendor {text!r}; choose one of: {', '.join(VENDORS)}")
    return name


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def retries(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 10, got {text!r}") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 10, got {text!r}")
    return value


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """``--vendor``, ``--config``, ``--timeout``, ``--max-retries``, ``--deadline``."""
    parser.add_argument("--vendor", type=vendor_flag, help="the vendor, overriding the configuration")
    parser.add_argument("--config", metavar="FILE", help="a TOML configuration file (default: $ORDERPATCH_CONFIG)")
    parser.add_argument("--timeout", type=positive_seconds, metavar="SECONDS", help="per-attempt timeout")
    parser.add_argument("--max-retries", type=retries, metavar="N", help="retries of a retryable failure (0-10)")
    parser.add_argument("--deadline", type=positive_seconds, metavar="SECONDS",
                        help="bound on the whole call, retries included")


def load_config(args: argparse.Namespace) -> Config:
    """The configuration: ``--config`` (or ``$ORDERPATCH_CONFIG``) and the environment, ``--vendor`` on top."""
    from ._config import ENV_VENDOR, Config

    env = dict(os.environ)
    if getattr(args, "vendor", None):
        env[ENV_VENDOR] = args.vendor
    return Config.load(getattr(args, "config", None), env=env)


def call_options(args: argparse.Namespace) -> dict[str, float | int]:
    """``timeout``, ``max_retries`` and ``deadline`` as given on the command line."""
    return {name: getattr(args, name) for name in ("timeout", "max_retries", "deadline")
            if getattr(args, name, None) is not None}
