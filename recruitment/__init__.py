"""Recruitment campaigns: announcement, applications, eligibility, exams, ranking, hiring.

Built in the recruitment issue; the app exists from the start so that its migrations and
the others' can refer to it.
"""
