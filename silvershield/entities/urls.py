from django.urls import path

from silvershield.entities import views

app_name = "entities"

urlpatterns = [
    path("", views.entity_list, name="list"),
    path("export.xlsx", views.export_entities, name="export"),
    path("<int:pk>/", views.entity_detail, name="detail"),
    path("<int:pk>/hazards/", views.add_hazard_view, name="add_hazard"),
    path("hazards/", views.hazard_ledger, name="hazards"),
    path("hazards/export.xlsx", views.export_hazards, name="export_hazards"),
    path("hazards/<int:pk>/", views.update_hazard_view, name="update_hazard"),
    path("<int:pk>/inspections/new/", views.record_inspection_view, name="record_inspection"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/export.xlsx", views.export_inspections, name="export_inspections"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_action, name="alert_action"),
    path("import/", views.import_view, name="import"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
]
