"""Run every bench module (or those named on the command line) and print its figures as
``name: value unit``, one a line, as soon as each is measured. A figure a module cannot
measure on this machine comes as ``(name, None, why)`` and prints as a note line,
``# name: why``."""

import importlib
import os
import pkgutil
import sys
from collections.abc import Iterator

Figure = tuple[str, float | None, str]


def area_names() -> list[str]:
    import bench

    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )


def format_figure(name: str, value: float | None, unit: str) -> str:
    if value is None:
        return f"# {name}: {unit}"
    if isinstance(value, float):
        text = f"{value:.2f}" if unit == "ratio" else f"{value:.1f}"
    else:
        text = str(value)
    return f"{name}: {text} {unit}"


def figures(areas: list[str]) -> Iterator[Figure]:
    for area in areas:
        module = importlib.import_module(f"bench.{area}")
        yield from module.run()


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    known = area_names()
    unknown = [a for a in argv if a not in known]
    if unknown:
        print(
            f"unknown bench area(s): {', '.join(unknown)}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    for name, value, unit in figures(argv or known):
        print(format_figure(name, value, unit), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
