"""A browser test's steps, each with a screenshot, for the report of a failed test.

Page helpers record every action as a step (``Steps.record`` or the ``@step`` decorator):
after the step, a full-page screenshot is kept in memory. When the test fails, the browser
conftest writes the screenshots of every step taken so far to
``var/browser-failures/<test name>/NN-<step>.png`` and puts each open page's address and
visible text into the test report.
"""

import functools
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Shot:
    title: str
    url: str
    png: bytes | None  # None when the page could not be photographed (closed, crashed)


@dataclass(repr=False)
class Steps:
    """The steps of one test, in order, and the pages they were taken on."""

    shots: list[Shot] = field(default_factory=list)
    pages: list[tuple[str, Page]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught script errors of the pages
    _depth: int = 0

    def __repr__(self) -> str:
        return f"<Steps: {len(self.shots)} taken>"

    def watch(self, page: Page, who: str) -> None:
        """Report ``page`` (of ``who``: "applicant", a username) when the test fails."""
        self.pages.append((who, page))

    @contextmanager
    def record(self, title: str, page: Page) -> Iterator[None]:
        """One step on ``page``: photographed when it ends, also when it fails. A step inside
        another (a helper calling a helper) is part of the outer one."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.shots.append(Shot(title, _url(page), _screenshot(page)))

    def photograph_pages(self, title: str) -> None:
        """One more screenshot of every watched page, as it is now (at a failure)."""
        for who, page in self.pages:
            if not page.is_closed():
                self.shots.append(Shot(f"{title} {who}", _url(page), _screenshot(page)))

    def write(self, folder: Path) -> list[Path]:
        """Write the screenshots into ``folder`` (emptied first), one file a step."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, shot in enumerate(self.shots, start=1):
            if shot.png is None:
                continue
            path = folder / f"{number:02d}-{slug(shot.title)}.png"
            path.write_bytes(shot.png)
            written.append(path)
        return written

    def page_texts(self) -> str:
        """The address and visible text of every page the test watched, as it is now."""
        parts = []
        for who, page in self.pages:
            try:
                text = page.inner_text("body", timeout=2000)
            except PlaywrightError as exc:
                text = f"(the page could not be read: {exc.message.splitlines()[0]})"
            parts.append(f"--- {who}: {_url(page)} ---\n{text.strip()}")
        return "\n\n".join(parts)

    def summary(self) -> str:
        return "\n".join(
            f"{number:02d} {shot.title} · {shot.url}"
            for number, shot in enumerate(self.shots, start=1)
        )


class _HasSteps(Protocol):
    steps: Steps
    page: Page


def step(title: str) -> Callable[[F], F]:
    """Record a page helper's method as one step titled ``title`` (on ``self.page``)."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapped(self: _HasSteps, *args: Any, **kwargs: Any) -> Any:
            with self.steps.record(title, self.page):
                return method(self, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def slug(text: str, *, limit: int = 60) -> str:
    """A file-name-safe form of ``text`` (letters, digits, hyphens)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:limit] or "step"


def _url(page: Page) -> str:
    try:
        return page.url
    except PlaywrightError:
        return "(closed)"


def _screenshot(page: Page) -> bytes | None:
    try:
        return page.screenshot(full_page=True, timeout=5000)
    except PlaywrightError:
        return None
