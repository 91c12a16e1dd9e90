"""Staff pages of recruitment, mounted in the staff site at /recruitment/."""

from recruitment import urls_campaign, urls_exam, urls_review

app_name = "recruitment"

urlpatterns = [
    *urls_campaign.urlpatterns,
    *urls_review.urlpatterns,
    *urls_exam.urlpatterns,
]
