"""The JSON API under /api/v1/: one NinjaAPI, one router per app (each app's api.py)."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="SilverShield API",
    version="1.0.0",
    description="银盾 — 养老诈骗线索与案件管理系统接口。Bearer token (POST /api/v1/auth/token) or session.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
