from django.urls import path

from silvershield.leads import views

app_name = "leads"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.export_ledger, name="export"),
    path("new/", views.new_lead, name="new"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_lead, name="edit"),
    path("<int:pk>/transition/", views.lead_transition, name="transition"),
    path("<int:pk>/reveal/", views.reveal_lead_reporter, name="reveal"),
    path("<int:pk>/form/", views.print_form, name="print_form"),
    path("<int:pk>/form.docx", views.form_docx, name="form_docx"),
    path("<int:pk>/link-entity/", views.link_entity, name="link_entity"),
    path("<int:pk>/duplicates/<int:other>/dismiss/", views.dismiss_duplicate_view, name="dismiss_duplicate"),
]
