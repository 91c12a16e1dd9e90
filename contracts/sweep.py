"""The daily sweep (``manage.py sweep``): all date-driven work of the term, in one run.

Each step is a function ``step(*, today) -> int`` (how many records it changed or notices it
sent) registered with ``@sweep_step(name, order)`` in the module that owns the rule; the
modules are imported by ``contracts.apps.ContractsConfig.ready``. Every step is idempotent and
catches up: it looks at what is due on or before ``today`` and not done yet, so running the
sweep twice on a day changes nothing and running it after a gap does the missed days' work.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: Callable[..., int]
    # What the step does, as ``manage.py sweep`` prints it (translatable).
    label: object = None


_steps: dict[str, Step] = {}


def sweep_step(
    name: str, order: int, label: object = None
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register a step of the sweep; steps run by ``order`` (lower first). ``label`` says
    what it did, with ``%(count)s``, as the command prints it."""

    def register(func: Callable[..., int]) -> Callable[..., int]:
        _steps[name] = Step(name, order, func, label)
        return func

    return register


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def sweep(*, today: datetime.date) -> dict[str, int]:
    """Run every step for ``today``; returns what each did. Each step is its own
    transaction (a failing step leaves the others' work done and is reported)."""
    return {step.name: step.run(today=today) for step in steps()}
