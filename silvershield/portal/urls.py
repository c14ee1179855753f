from django.urls import path

from silvershield.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("report/done/", views.done, name="done"),
    path("status/", views.status, name="status"),
]
