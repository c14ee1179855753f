from django.urls import path

from silvershield.ads import views

app_name = "ads"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.ad_detail, name="ad"),
    path("findings/<int:pk>/review/", views.review, name="review"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("list/", views.ad_list, name="list"),
    path("list/export.xlsx", views.export_ads, name="export"),
    path("figures/", views.figures, name="figures"),
    path("figures/export.xlsx", views.export_figures, name="figures_export"),
    path("rules/", views.rules, name="rules"),
]
