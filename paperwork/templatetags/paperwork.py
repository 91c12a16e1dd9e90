"""Filters for document templates: dates and money written as Chinese official papers do."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026年11月22日 (GB/T 9704-2012: Arabic numerals, no leading zeros). A datetime is
    first turned into the local (Asia/Shanghai) date."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, datetime.date):
        return str(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_money(value) -> str:
    """1700 → 1700元; 1700.5 → 1700.50元; 12345.6 → 12,345.60元. Half-up to the fen."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}" if abs(amount) >= 10000 else f"{int(amount)}"
    else:
        text = f"{amount:,.2f}" if abs(amount) >= 10000 else f"{amount:.2f}"
    return f"{text}元"


# How a document says "the whole township" of each kind (organisation.constants.TownshipKind).
WHOLE_TOWNSHIP = {"township": "全乡", "town": "全镇", "subdistrict": "全街道"}


@register.filter
def cn_whole(township) -> str:
    """全乡 / 全镇 / 全街道, as the township's kind says."""
    return WHOLE_TOWNSHIP.get(getattr(township, "kind", ""), "全乡（镇）")
