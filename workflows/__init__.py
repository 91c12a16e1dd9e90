"""Viewflow flows and their task views: who must act, by when, and what happens on timeout."""
