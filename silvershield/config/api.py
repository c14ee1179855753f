"""The JSON API under /api/v1/: one NinjaAPI, one router per app (each app's api.py).

Authentication: a bearer token (POST /api/v1/auth/token) or the browser's session with its CSRF token.
The docs page uses ninja's own Swagger UI files from /static/ninja/ (ninja is in INSTALLED_APPS), so
nothing loads from a CDN — government intranets are closed (DESIGN.md section 5).
"""

from ninja import NinjaAPI

from silvershield.ads.api import router as ads_router
from silvershield.board.api import router as board_router
from silvershield.cases.api import router as cases_router
from silvershield.core.api import ReadableJSONRenderer, install_error_handlers
from silvershield.core.api import router as core_router
from silvershield.core.api_auth import API_AUTH
from silvershield.entities.api import router as entities_router
from silvershield.leads.api import router as leads_router
from silvershield.screening.api import router as screening_router

api = NinjaAPI(
    title="SilverShield API",
    version="1.0.0",
    description=(
        "银盾 — 养老诈骗线索与案件管理系统接口。认证：`POST /api/v1/auth/token` 取得令牌后在请求头中加"
        " `Authorization: Bearer <token>`；浏览器中也可使用已登录的会话（写操作须带 CSRF 令牌）。"
        '所有错误均为 JSON：`{"code", "message", "field"}`；不存在与不在辖区内的记录都返回 404。'
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=API_AUTH,
    renderer=ReadableJSONRenderer(),
)
install_error_handlers(api)
api.add_router("", core_router)
api.add_router("", leads_router)
api.add_router("", cases_router)
api.add_router("", entities_router)
api.add_router("", ads_router)
api.add_router("", screening_router)
api.add_router("", board_router)
