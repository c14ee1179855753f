from django.urls import path

from silvershield.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", views.new_meeting, name="new_meeting"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/leads/<int:lead_pk>/decide/", views.decide, name="decide"),
    path("meetings/<int:pk>/decisions/<int:decision_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("meetings/<int:pk>/carry-out/", views.carry_out, name="carry_out"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("meetings/<int:pk>/agenda.xlsx", views.agenda_xlsx, name="agenda_xlsx"),
    path("urgent/<int:lead_pk>/", views.urgent, name="urgent"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/<str:key>/", views.cluster_detail, name="cluster"),
    path("conflicts/", views.conflicts, name="conflicts"),
]
