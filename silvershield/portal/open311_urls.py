from django.urls import path, re_path

from silvershield.portal import open311

app_name = "open311"

urlpatterns = [
    re_path(r"^services\.(?P<fmt>json|xml)$", open311.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]+)\.(?P<fmt>json|xml)$", open311.service_definition, name="service"),
    re_path(r"^requests\.(?P<fmt>json|xml)$", open311.requests_collection, name="requests"),
    re_path(r"^requests/(?P<request_id>[\w-]+)\.(?P<fmt>json|xml)$", open311.request_detail, name="request"),
]

__all__ = ["path"]
