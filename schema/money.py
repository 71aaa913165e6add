"""`Money`: an amount with its currency, for the money fields added beside the contract's `Float` dollars.

The contract's fees are `Float` Canadian dollars (a binary float cannot hold 0.1 exactly, and says no currency);
a `Money` carries the amount as a decimal string and as integer cents, both exact, and the currency, so a client
never rounds or assumes. Every amount the rules hold is in whole cents (`solver/rules/params/fees.toml`).
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_EVEN, Decimal

import strawberry

CENT = Decimal("0.01")


@strawberry.enum(description="An ISO 4217 currency code.")
class Currency(enum.Enum):
    CAD = strawberry.enum_value("CAD", description="Canadian dollar (every amount the rules hold is in CAD).")


@strawberry.type(description="An amount of money, exact: a decimal string and integer cents, with its currency.")
class Money:
    amount: str = strawberry.field(
        description='The amount as a decimal string with two decimals, e.g. "155.00" (never a float).'
    )
    cents: int = strawberry.field(description="The amount in cents (hundredths of the currency unit), e.g. 15500.")
    currency: Currency = strawberry.field(description="The currency; always CAD today.")

    @classmethod
    def cad(cls, dollars: float) -> Money:
        """The exact amount of a dollar figure the rules computed (as a float), to the cent.

        The float is read through its shortest repr (`str`), which is the decimal the rules wrote (e.g. 155.0,
        246.25), so summing fees in floats does not leak a binary tail into the cents.
        """
        exact = Decimal(str(dollars)).quantize(CENT, rounding=ROUND_HALF_EVEN)
        return cls(amount=f"{exact:.2f}", cents=int(exact * 100), currency=Currency.CAD)
