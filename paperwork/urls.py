from django.urls import path

from paperwork import views

app_name = "paperwork"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/download/", views.document_download, name="download"),
]
