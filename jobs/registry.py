"""Handlers of background jobs, by kind.

A handler is ``handler(job, progress)``: it does the work named by ``job.params``, calls
``progress(done, total)`` as it goes, and returns its result, shown on the job's page. It must
be idempotent: run again after a failure or a retry, it does not repeat what was done (no
second document for the same subject and period); issue documents in slices of a few dozen
(``paperwork.services.documents_issue``), each slice its own transaction, skipping the
subjects that already have theirs.

The result is a dict the page reads, never shows raw::

    {
        "lines": [{"label": "Slips issued", "value": 1987}, ...],  # label: value, in order
        "documents": [12, 13, ...],  # ids of the documents produced, listed with links
    }

Labels are stored as written by the handler: write them in Chinese (gettext under
``translation.override("zh-hans")``) or as English msgids marked for translation, which the
page translates.

``size(params)``, if given, says how many items a job of these parameters has; a job of at
most ``settings.JOBS_EAGER_MAX_ITEMS`` items runs at once in the submitting request instead
of waiting for a worker.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Any]
Sizer = Callable[[dict], int | None]


@dataclass(frozen=True)
class _Registered:
    handler: Handler
    size: Sizer | None


_handlers: dict[str, _Registered] = {}


def job_handler(kind: str, *, size: Sizer | None = None) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[kind] = _Registered(func, size)
        return func

    return register


def handler_for(kind: str) -> Handler:
    return _handlers[kind].handler


def size_for(kind: str, params: dict) -> int | None:
    sizer = _handlers[kind].size
    return None if sizer is None else sizer(params)
