from django.contrib import admin
from django.urls import include, path

from silvershield.config.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("silvershield.core.urls")),
    path("leads/", include("silvershield.leads.urls")),
    path("cases/", include("silvershield.cases.urls")),
    path("entities/", include("silvershield.entities.urls")),
]
