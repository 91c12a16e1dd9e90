"""Handlers of background jobs, by kind.

A handler is ``handler(job, progress)``: it does the work named by ``job.params``, calls
``progress(done, total)`` as it goes, and returns a JSON-able result (shown on the job's
page). It must be idempotent: run again after a failure or a retry, it does not repeat
what was done (no second document for the same subject and period).
"""

from collections.abc import Callable
from typing import Any

Handler = Callable[..., Any]

_handlers: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler:
    return _handlers[kind]
