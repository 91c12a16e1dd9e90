"""Shared helpers below every app: text normalisation, spreadsheets, files written with the
transaction, service checks (lock, role, state, transition and audit), admin support.

``core`` imports nothing from the project's apps, so any app may import it without a cycle.
"""
