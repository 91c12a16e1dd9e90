"""The arithmetic of the month: totals, competition ranks and pay after the deduction.

Pure functions, no database: the services and the tests use the same ones.

- A total is the sum of the scored and bonus items minus the deduction items, rounded to two
  decimals half-up (79.995 → 80.00).
- Ranks are competition ranks (1, 2, 2, 4): equal totals share a rank, and the next rank
  counts every director above. Within a rank the listing follows the pinyin of the name.
- The deduction band is the first band of the policy (highest first) whose ``min_score`` the
  rounded total reaches (以上 includes the number: 90.00 is in the 90 band, 89.99 is not); the
  deduction is the band's percentage of the base pay, to the fen half-up, and the pay is the
  base pay minus the deduction.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def score_round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def band_percent(total: Decimal, bands: Sequence[dict]) -> Decimal:
    """The deduction percentage of the band the (rounded) ``total`` falls in; the lowest
    band's when the total is below every band's minimum."""
    total = score_round(total)
    ordered = sorted(bands, key=lambda b: Decimal(str(b["min_score"])), reverse=True)
    for band in ordered:
        if total >= Decimal(str(band["min_score"])):
            return Decimal(str(band["deduction_percent"]))
    return Decimal(str(ordered[-1]["deduction_percent"])) if ordered else Decimal(0)


def pay_after_deduction(
    total: Decimal, *, base: Decimal, bands: Sequence[dict]
) -> tuple[Decimal, Decimal, Decimal]:
    """(deduction percentage, deduction in yuan, pay) for ``total``."""
    percent = band_percent(total, bands)
    deduction = money(Decimal(base) * percent / Decimal(100))
    return percent, deduction, money(Decimal(base) - deduction)


def competition_ranks(totals: Iterable[Decimal | None]) -> list[int]:
    """Ranks of ``totals`` given highest first: 1, 2, 2, 4 for ties."""
    ranks: list[int] = []
    previous = None
    for position, total in enumerate(totals, start=1):
        if previous is not None and total == previous:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
        previous = total
    return ranks
