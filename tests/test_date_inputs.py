"""A date field shown as ``<input type="date">`` must carry its value as 2026-11-30: the
browser drops any other form (the Chinese locale's 2026/11/30), leaving a required field
empty and the form impossible to send."""

import datetime

import pytest
from django.utils import translation

from appraisal.forms import SettleForm
from training.forms import CourseForm


@pytest.mark.parametrize(
    ("form_class", "kwargs", "field"),
    [
        (SettleForm, {}, "settled_on"),
        (CourseForm, {"county_kinds": True}, "starts_on"),
        (CourseForm, {"county_kinds": True}, "ends_on"),
    ],
)
def test_date_inputs_carry_iso_values(form_class, kwargs, field):
    with translation.override("zh-hans"):
        form = form_class(initial={field: datetime.date(2026, 11, 30)}, **kwargs)
        html = str(form[field])
    assert 'value="2026-11-30"' in html
