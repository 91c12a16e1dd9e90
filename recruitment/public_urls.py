"""Public pages for applicants (no sign-in), mounted at /apply/."""

app_name = "apply"

urlpatterns: list = []
