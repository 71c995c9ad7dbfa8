"""``orderpatch action ORDER_ID NAME``: Spree's order actions and Commerce Layer's triggers from the shell.

* Spree: ``next``, ``advance``, ``complete``, ``empty``, ``approve``, ``cancel``,
  ``apply_coupon_code`` (``--value CODE``) and ``use_store_credit`` (``--value AMOUNT``): the
  Platform API's action endpoints, which run Spree's checkout logic.
* Commerce Layer: any trigger of ``commercelayer.OrderUpdate`` (``place``, ``approve``,
  ``capture``, ``refund``, ``add_tags`` with ``--value a,b``, …), sent as ``{"_place": true}``.

A non-idempotent action is sent once: the SDK never repeats it on a failure it cannot rule out.
"""

from __future__ import annotations

import argparse
import typing
from typing import TYPE_CHECKING, Any, Final, TextIO

from ._cli_options import add_connection_options, call_options, load_config
from ._cli_output import CliUsageError, add_output_options, write_order

if TYPE_CHECKING:
    from ._config import Config

__all__ = ["SPREE_ACTIONS", "register"]

#: Spree's order actions: name → what ``--value`` is (``None``: takes none).
SPREE_ACTIONS: Final = {
    "next": None, "advance": None, "complete": None, "empty": None, "approve": None, "cancel": None,
    "apply_coupon_code": "the coupon code", "use_store_credit": "the amount",
}

_EPILOG = """\
actions:
  spree          next advance complete empty approve cancel
                 apply_coupon_code --value CODE      use_store_credit --value AMOUNT
  commercelayer  the triggers: place approve cancel capture refund fulfill archive unarchive
                 authorize refresh update_taxes start_editing stop_editing … (see docs)
                 add_tags / remove_tags --value a,b   authorization_amount_cents --value N
                 billing_address_clone_id / shipping_address_clone_id --value ID

examples:
  orderpatch action R123456789 complete --vendor spree
  orderpatch action R123456789 apply_coupon_code --value SAVE10
  orderpatch action NgojhKoyYN place --vendor commercelayer --fields id,status

exit codes: 0 ok, 2 usage or configuration, 3 validation (nothing sent), 4 vendor error, 5 transport
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``action`` to the command's subcommands."""
    parser = commands.add_parser(
        "action",
        help="run a Spree order action or a Commerce Layer trigger and print the order",
        description="Run an order action (Spree) or trigger (Commerce Layer) and print the order.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("order_id", metavar="ORDER_ID", help="the vendor's order id or number")
    parser.add_argument("action", metavar="ACTION", help="the action or trigger name (see below)")
    parser.add_argument("--value", help="the action's value, for the actions that take one")
    add_connection_options(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def _commercelayer_update(name: str, value: str | None) -> object:
    import attrs

    from .commercelayer import OrderUpdate
    from .commercelayer._update import TRIGGER

    triggers = {f.name: f for f in attrs.fields(OrderUpdate) if f.metadata.get(TRIGGER)}
    field = triggers.get(name)
    if field is None:
        raise CliUsageError(f"ACTION {name!r}: not a Commerce Layer trigger; choose one of: {', '.join(triggers)}")
    attrs.resolve_types(OrderUpdate)
    kinds = set(typing.get_args(field.type))
    kind = "bool" if bool in kinds else "int" if int in kinds else "str"
    given: Any
    if kind == "bool":
        if value is not None:
            raise CliUsageError(f"--value: the trigger {name} takes no value")
        given = True
    elif value is None:
        raise CliUsageError(f"--value: the trigger {name} needs one, e.g. --value {'1000' if kind == 'int' else 'x'}")
    elif kind == "int":
        try:
            given = int(value)
        except ValueError:
            raise CliUsageError(f"--value {value!r}: the trigger {name} takes a whole number") from None
    else:
        given = value
    kwargs: dict[str, Any] = {name: given}
    return OrderUpdate(**kwargs)


def _spree_call(name: str, value: str | None) -> tuple[str, tuple[object, ...]]:
    if name not in SPREE_ACTIONS:
        raise CliUsageError(f"ACTION {name!r}: not a Spree order action; choose one of: {', '.join(SPREE_ACTIONS)}")
    needs = SPREE_ACTIONS[name]
    if needs is None:
        if value is not None:
            raise CliUsageError(f"--value: the action {name} takes no value")
        return name, ()
    if value is None:
        raise CliUsageError(f"--value: the action {name} needs {needs}")
    if name == "use_store_credit":
        from decimal import Decimal, InvalidOperation  # here: `orderpatch --help` stays light

        try:
            return name, (Decimal(value),)
        except InvalidOperation:
            raise CliUsageError(f"--value {value!r}: the action {name} takes an amount, e.g. 15.00") from None
    return name, (value,)


def _run_spree(config: Config, args: argparse.Namespace) -> object:
    from ._facade._registry import adapter_for

    method, extra = _spree_call(args.action, args.value)
    adapter = adapter_for("spree")
    with adapter.open_sync(config) as client:
        orders: Any = client.orders  # type: ignore[attr-defined]
        order = getattr(orders, method)(args.order_id, *extra, **call_options(args))
    return adapter.normalize(order)


def run(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    """Run the action at the configured vendor and print the order."""
    config = load_config(args)
    if config.vendor == "spree":
        order: Any = _run_spree(config, args)
    elif config.vendor == "commercelayer":
        from ._facade import update_order
        from ._facade._pool import SYNC_POOL

        changes: Any = _commercelayer_update(args.action, args.value)
        try:
            order = update_order(args.order_id, changes, config=config, **call_options(args))  # type: ignore[arg-type]
        finally:
            SYNC_POOL.close()
    else:
        raise CliUsageError(f"{config.vendor} has no order actions; they exist for spree and commercelayer "
                            "(use 'orderpatch update' to change fields)")
    write_order(order, args, stdout)
    return 0
