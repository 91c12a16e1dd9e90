"""Benchmarks: ``python -m bench`` (or ``make bench``) prints one figure a line.

Each module ``bench/<area>.py`` (names starting with "_" are skipped) has a ``run()`` that yields
``(name, value, unit)`` tuples (``(name, None, why)`` for a figure it cannot measure here,
printed as a note line ``# name: why``) and explains in its docstring how each figure is
measured.
A new area adds a module; nothing else changes. ``python -m bench paperwork`` runs one area.
Settings come from DJANGO_SETTINGS_MODULE (config.settings.test unless set).
"""
