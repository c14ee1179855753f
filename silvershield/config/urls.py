from django.contrib import admin
from django.urls import include, path

from silvershield.config.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("silvershield.core.urls")),
    # The public portal and the partner endpoints need no sign-in (issue 3).
    path("portal/", include("silvershield.portal.urls")),
    path("open311/v2/", include("silvershield.portal.open311_urls")),
    path("intake/", include("silvershield.intake.urls")),
    path("ads/", include("silvershield.ads.urls")),
    path("leads/", include("silvershield.leads.urls")),
    path("screening/", include("silvershield.screening.urls")),
    path("board/", include("silvershield.board.urls")),
    path("cases/", include("silvershield.cases.urls")),
    path("entities/", include("silvershield.entities.urls")),
]
