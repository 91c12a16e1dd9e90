"""How the API takes a step: with the page's own form and the page's own service, and for a
step of a flow, through the flow's task as its task page does.

- ``form_serializer(Form)``: the input serializer of a page's form, field for field, for the
  OpenAPI schema and for the types (a wrong type or an unknown field is refused before the
  form sees the data). The form then validates the same data with the page's rules.
- ``validated_form(Form, Serializer, request, **kwargs)``: the bound, valid page form (the
  serializer checks types and unknown fields first), or 400 naming the fields.
- ``run_flow_step(...)``: the open task of a process at one node, taken from the pool when
  free (as the task's "take" page does: ``activation.assign``, audited) and worked by its
  owner only (``can_execute``), under the flow's lock; the step's service runs in a
  savepoint and the task is completed (``activation.execute``), so the flow goes on exactly
  as after the task page. A refusal rolls everything back, the taking of the task too.
"""

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from api.errors import Conflict, Unavailable, from_django
from api.serializers import MAX_ID, StrictSerializer
from workflows.services import local_time, person
from workflows.views import TASK_FAILURES, failure_message

logger = logging.getLogger(__name__)

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)


def _field(form_field: forms.Field) -> serializers.Field:
    common: dict[str, Any] = {
        "required": form_field.required,
        "help_text": str(form_field.label or ""),
    }
    if isinstance(form_field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, max_value=MAX_ID, **common)
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(**common)
    if isinstance(form_field, forms.ChoiceField):
        return serializers.ChoiceField(choices=list(form_field.choices), **common)  # type: ignore[arg-type]
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(form_field, forms.CharField):
        return serializers.CharField(
            max_length=form_field.max_length,
            allow_blank=not form_field.required,
            trim_whitespace=False,
            **common,
        )
    raise TypeError(f"No serializer field for {type(form_field).__name__}")


def form_serializer(
    form_class: type[forms.BaseForm], name: str, **overrides: serializers.Field
) -> type[StrictSerializer]:
    """A serializer with the fields of ``form_class`` (``overrides`` for fields of the
    project's own kinds), refusing unknown fields."""
    fields: dict[str, Any] = {
        field_name: overrides.get(field_name) or _field(form_field)
        for field_name, form_field in form_class.base_fields.items()  # type: ignore[attr-defined]
    }
    fields["Meta"] = type("Meta", (), {"ref_name": name})
    return type(name, (StrictSerializer,), fields)


def _as_form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return value if isinstance(value, str) else str(value)


def validated_form(form_class, serializer_class, request, **form_kwargs):
    """The page's form bound to the request's data, valid; else 400 naming the fields."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = {
        key: _as_form_value(request.data[key]) for key in serializer.fields if key in request.data
    }
    form = form_class(data, **form_kwargs)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                (key if key != "__all__" else "non_field_errors"): [str(m) for m in messages]
                for key, messages in form.errors.items()
            }
        )
    return form


def refusal(exc: Exception) -> exceptions.APIException:
    """The API's answer to a service's refusal (``api.errors.from_django``)."""
    mapped = from_django(exc)
    if mapped is None:
        raise exc
    return mapped


def run_service(perform: Callable[[], Any], errors: tuple[type[Exception], ...]) -> Any:
    """``perform()`` in a savepoint; a refusal becomes a 4xx, a technical failure 503."""
    try:
        with transaction.atomic():
            return perform()
    except errors as exc:
        raise refusal(exc) from exc
    except TASK_FAILURES as exc:
        logger.exception("An API step failed")
        raise Unavailable(failure_message()) from exc


def open_task(flow_task, **process_lookup) -> Task:
    """The open task of the node ``flow_task`` in the process found by ``process_lookup``;
    409 when there is none (the record is not at that step)."""
    task = (
        Task.objects.filter(flow_task=flow_task, status__in=OPEN_STATUSES, **process_lookup)
        .order_by("-created", "-pk")
        .first()
    )
    if task is None:
        raise Conflict(
            _("“%(task)s” is not open for this record: it is not at that step.")
            % {"task": flow_task.task_title}
        )
    return task


def run_flow_step(
    *,
    request,
    flow_task,
    task: Task,
    already_done: Callable[[], bool],
    perform: Callable[[], Any],
    errors: tuple[type[Exception], ...],
) -> None:
    """Work ``task`` (of the node ``flow_task``) as ``request.user``, as its task page does."""
    user = request.user
    flow_class = flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("owner").get(pk=task.pk)
        if task.status not in OPEN_STATUSES:
            raise Conflict(
                _("“%(task)s” was already completed by %(person)s at %(time)s.")
                % {
                    "task": flow_task.task_title,
                    "person": person(task.owner),
                    "time": local_time(task.finished or task.created),
                }
            )
        activation = flow_task.activation_class(task)
        if task.owner_id is None:
            if not flow_task.can_assign(user, task):
                raise exceptions.PermissionDenied(_("You may not take this task."))
            activation.assign(user)
        elif not flow_task.can_execute(user, task):
            raise exceptions.PermissionDenied(
                _("This task is assigned to %(person)s.") % {"person": person(task.owner)}
            )
        request.activation = activation  # what the page's task view reads
        activation.start(request)
        if already_done():
            # Done meanwhile elsewhere: the task closes and the flow goes on (the task page).
            activation.execute()
            return
        run_service(perform, errors)
        activation.execute()
