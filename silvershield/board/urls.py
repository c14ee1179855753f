from django.urls import path

from silvershield.board import views

app_name = "board"

urlpatterns = [
    path("", views.board, name="board"),
    path("column/<slug:key>/", views.column_more, name="more"),
    path("map.json", views.map_json, name="map_json"),
    path("screen/", views.screen, name="screen"),
    path("export.xlsx", views.export_board, name="export"),
    path("<str:kind>/<int:pk>/progress/", views.progress, name="progress"),
    path("<str:kind>/<int:pk>/progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("<str:kind>/<int:pk>/strike-off/", views.strike_off, name="strike_off"),
]
