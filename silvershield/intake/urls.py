from django.urls import path

from silvershield.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.index, name="index"),
    path("hotline/", views.hotline, name="hotline"),
    path("channel/<str:channel>/", views.other_channel, name="other_channel"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/export.xlsx", views.referrals_export, name="referrals_export"),
    path("report/", views.informant_submit, name="informant_submit"),
    path("network/stations/", views.stations, name="stations"),
    path("network/stations/export.xlsx", views.stations_export, name="stations_export"),
    path("network/stations/new/", views.station_edit, name="station_new"),
    path("network/stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("network/informants/", views.informants, name="informants"),
    path("network/informants/export.xlsx", views.informants_export, name="informants_export"),
    path("network/informants/new/", views.informant_edit, name="informant_new"),
    path("network/informants/<int:pk>/edit/", views.informant_edit, name="informant_edit"),
    path("network/stats/", views.stats, name="stats"),
    path("network/stats/export.xlsx", views.stats_export, name="stats_export"),
    path("network/stats/leads/", views.stats_leads, name="stats_leads"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
