from django.urls import path

from silvershield.entities import views

app_name = "entities"

urlpatterns = [
    path("", views.entity_list, name="list"),
    path("export.xlsx", views.export_entities, name="export"),
    path("<int:pk>/", views.entity_detail, name="detail"),
]
