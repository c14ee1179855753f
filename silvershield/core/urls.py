from django.urls import path

from silvershield.core import views

app_name = "core"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
]
