"""Entity linking: which registered market entities a lead's party may be (issue 3, item 3).

A party is named the way a caller or an elderly person names it — "顺康养生馆", "顺康公司", "赤峰顺康健康科技有限
公司红山分公司", "顺康(赤峰)健康科技有限责任公司" — while the registry holds "赤峰顺康健康科技有限公司". This module
finds the candidates and says, for each, why it is one.

Speed against a million entities: candidates come only from indexed look-ups (the USCC's unique index,
exact names through the name index, *prefix ranges* of the core name through `name_core`'s index (the
registered name without region words, branch, legal form or shop word, stored with each entity), prefix
ranges of its pinyin initials through `core_initials`' index, and the phone when that column is indexed);
rapidfuzz then ranks the few hundred rows found. Nothing scans the table. Prefix ranges (col >= p AND
col < p') rather than LIKE, because a B-tree serves a range under any collation.

Rules (each yields a reason shown to the officer):
- the USCC is the same (统一社会信用代码一致);
- the names are the same once normalised: full-/half-width brackets and digits (NFKC), spaces,
  "有限责任公司" ⇄ "有限公司", "有限" dropped ("顺康科技公司"), a branch ("…赤峰分公司", "…红山分店") → its parent;
- the name is a short form: the region ("赤峰市", "内蒙古", county names) and the legal form left out,
  or the registered name starts with it ("顺康公司" → "赤峰顺康健康科技有限公司");
- a store name sharing the company's trade name (字号): "顺康养生馆" ↔ "赤峰顺康健康科技有限公司"; when the entity
  model has a shop/trade-name column (`trade_name` or `shop_name`), that is compared too;
- the same pinyin initials ("舜康" typed for "顺康");
- address similarity and the same phone raise a candidate's score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from silvershield.core.sql import instance_from_row, param_marks, prepared_cursor
from silvershield.entities.models import Entity
from silvershield.entities.services import char_initials

# Legal forms, longest first: stripped from the end of a name to reach its core.
LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "股份公司", "农民专业合作社",
    "专业合作社", "合作社", "个体工商户", "公司", "集团",
)
# What shops and outlets are called; a store name is a trade name + industry words + one of these.
SHOP_SUFFIXES = (
    "健康体验馆", "体验中心", "体验店", "体验馆", "养生馆", "养生堂", "养生会所", "专卖店", "连锁店", "旗舰店",
    "大药房", "药房", "药店", "经营部", "门市部", "商行", "工作室", "服务部", "服务中心", "会所", "门店",
    "超市", "店", "馆", "部", "中心",
)
BRANCH_RE = re.compile(r"^(?P<parent>.+?(?:公司|集团))(?P<place>[^()]{0,12}?)(?:分公司|分店|分部|营业部|办事处|分中心|门店)$")
# Industry words between a trade name and the legal form: "顺康|健康科技|有限公司".
INDUSTRY_WORDS = (
    "生物科技", "健康科技", "健康管理", "健康咨询", "信息咨询", "信息技术", "网络科技", "电子商务", "文化传媒",
    "文化传播", "养老服务", "养生服务", "医疗器械", "医药连锁", "医药", "保健品", "保健食品", "保健", "食品",
    "商贸", "贸易", "科技", "投资管理", "资产管理", "投资", "房地产开发", "房地产", "置业", "保险代理",
    "保险经纪", "旅游", "旅行社", "养老", "养生", "健康", "实业", "发展", "咨询", "服务", "管理", "传媒",
)
PROVINCE_PREFIXES = ("内蒙古自治区", "内蒙古", "赤峰市", "赤峰")

# How many rows each look-up may return before ranking; enough for any real name, bounded for speed.
PREFIX_LIMIT = 120
INITIALS_LIMIT = 60


@dataclass
class EntityCandidate:
    entity: Entity
    score: int
    reasons: list[str] = field(default_factory=list)

    def add(self, score: float, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.score = max(self.score, round(score))


# --- normalisation --------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Full-width brackets, letters and digits to half-width (NFKC); no spaces; Chinese brackets kept as ()."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
    return re.sub(r"\s+", "", text).upper()


@lru_cache(maxsize=1)
def region_prefixes() -> tuple[str, ...]:
    """Region words a name may start with: the province and city, and every division's name, with and
    without its 市/区/县/旗 (longest first, so "赤峰市红山区" goes before "赤峰市")."""
    from silvershield.core.models import Division

    names = set(PROVINCE_PREFIXES)
    for name in Division.objects.values_list("name", flat=True):
        names.add(name)
        if len(name) > 2 and name[-1] in "市区县旗盟":
            names.add(name[:-1])
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _region_re() -> re.Pattern[str]:
    """Region words at the start of a name, repeated ("赤峰市红山区…"), leaving at least two characters."""
    alternatives = "|".join(re.escape(p) for p in region_prefixes())
    return re.compile(rf"^(?:{alternatives})+(?=..)")


def strip_region(name: str) -> str:
    """"赤峰市顺康…" → "顺康…"; also "顺康(赤峰)…" → "顺康…" (a region in brackets)."""
    name = _region_re().sub("", name, count=1)
    return re.sub(r"\((?:[^()]{1,12})\)", "", name) or name


def branch_parent(name: str) -> str | None:
    """"XX有限公司赤峰分公司" → "XX有限公司"; None when the name is not a branch's."""
    match = BRANCH_RE.match(normalise(name))
    return match.group("parent") if match else None


def strip_legal_form(name: str) -> str:
    for form in LEGAL_FORMS:
        if name.endswith(form) and len(name) > len(form):
            return name[: -len(form)]
    return name


@lru_cache(maxsize=100_000)
def core_name(name: str) -> str:
    """The distinctive part: no region, no branch, no legal form, no shop word.

    赤峰顺康健康科技有限公司 → 顺康健康科技; 顺康养生馆 → 顺康; 顺康(赤峰)健康科技有限责任公司 → 顺康健康科技.
    """
    text = normalise(name)
    text = branch_parent(text) or text
    text = strip_region(text)
    text = strip_legal_form(text)
    for suffix in SHOP_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return strip_legal_form(text)


@lru_cache(maxsize=100_000)
def trade_name(name: str) -> str:
    """The trade name (字号): the core without its industry words. 顺康健康科技 → 顺康; 顺康养生 → 顺康."""
    text = core_name(name)
    changed = True
    while changed:
        changed = False
        for word in INDUSTRY_WORDS:
            if text.endswith(word) and len(text) >= len(word) + 2:
                text, changed = text[: -len(word)], True
                break
    return text


def name_variants(name: str) -> dict[str, str]:
    """Registered names this one may stand for, each with the rule that produced it (exact look-ups)."""
    base = normalise(name)
    variants: dict[str, str] = {}

    def add(text: str, reason: str) -> None:
        if text and text not in variants:
            variants[text] = reason

    add(base, "名称一致")
    parent = branch_parent(base)
    if parent:
        add(parent, "分支机构名称，对应总公司")
    for form in [base] + ([parent] if parent else []):
        if form.endswith("有限责任公司"):
            add(form[: -len("有限责任公司")] + "有限公司", "“有限责任公司”与“有限公司”")
        elif form.endswith("有限公司"):
            add(form[: -len("有限公司")] + "有限责任公司", "“有限责任公司”与“有限公司”")
        elif form.endswith("公司"):
            add(form[: -len("公司")] + "有限公司", "名称省略了“有限”")
            add(form[: -len("公司")] + "有限责任公司", "名称省略了“有限”")
    # Both bracket widths: the registry holds what the registration clerk typed.
    for text, reason in list(variants.items()):
        full = text.replace("(", "（").replace(")", "）")
        if full != text:
            variants.setdefault(full, reason if reason != "名称一致" else "全角/半角括号不同")
    if name.strip() != base:
        variants.setdefault(name.strip(), "名称一致")
    return variants


def _upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _prefix_range(
    prefix: str, scope: str, scope_params: list, *, column: str = "name_core", limit: int = PREFIX_LIMIT
) -> tuple[str, list]:
    """Ids of entities whose core name (or, with column="core_initials", its initials) starts with `prefix`,
    in the divisions of `scope`: one range of the (column, division) index, the division checked in the
    index, so a trade name shared by hundreds of entities in other counties costs no row reads."""
    sql = f"{column} >= %s AND {column} < %s{scope} LIMIT {int(limit)}"
    return sql, [prefix, _upper(prefix), *scope_params]


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@lru_cache(maxsize=1)
def _shop_name_fields() -> tuple[str, ...]:
    names = {f.name for f in Entity._meta.get_fields()}
    return tuple(n for n in ("trade_name", "shop_name", "shop_names") if n in names)


@lru_cache(maxsize=1)
def _phone_indexed() -> bool:
    """Whether the phone can be looked up through an index (of its own or leading a declared one)."""
    f = Entity._meta.get_field("phone")
    return bool(f.db_index or f.unique) or any(i.fields and i.fields[0] == "phone" for i in Entity._meta.indexes)


# --- the look-up ----------------------------------------------------------------------------------


def find_entity_candidates(
    *,
    name: str = "",
    uscc: str = "",
    address: str = "",
    phone: str = "",
    divisions: Iterable[str] | None = None,
    limit: int = 10,
) -> list[EntityCandidate]:
    """Registered entities the party may be, best first, each with its reasons (Chinese, for the page).

    `divisions`: the division codes to look in (`entity_divisions_visible_to(user)`); None looks
    everywhere. All look-ups go to the database as one statement written here: this runs in every
    POST /api/v1/leads, where the ORM's compiler cost more than the look-ups themselves."""
    found: dict[int, EntityCandidate] = {}
    scope, scope_params = "", []
    if divisions is not None:
        codes = sorted(set(divisions))
        if not codes:
            return []
        scope, scope_params = f" AND division_id IN ({param_marks(codes)})", codes

    uscc = normalise(uscc)
    name = (name or "").strip()
    parts: list[str] = []
    params: list = []
    exact, exact_params = [], []
    if uscc:
        exact.append("uscc = %s")
        exact_params.append(uscc)
    variants = name_variants(name) if name else {}
    if variants:
        exact.append(f"name IN ({param_marks(variants)})")
        exact_params += list(variants)
    if phone and _phone_indexed():
        exact.append("phone = %s")
        exact_params.append(phone.strip())
    if exact:
        parts.append(f"({' OR '.join(exact)}){scope} LIMIT 50")
        params += [*exact_params, *scope_params]

    core = core_name(name) if name else ""
    trade = trade_name(name) if name else ""
    if len(core) >= 2:
        # Registered names whose own core starts with this one: "顺康" finds 赤峰市顺康健康科技有限公司
        # (core 顺康健康科技) whatever region words or brackets the registered name carries.
        sql, more = _prefix_range(core, scope, scope_params)
        parts.append(sql)
        params += more
    _fetch(found, parts, params, exact_kind=0 if exact else -1, uscc=uscc, variants=variants)
    address_n = normalise(address)
    phone_n = re.sub(r"\D", "", phone or "")
    shop_fields = _shop_name_fields()

    def rank_new(before: set[int]) -> None:
        for pk, c in found.items():
            if pk not in before:
                _rank(c, name=name, core=core, trade=trade, address=address_n, phone=phone_n, shop_fields=shop_fields)
            elif "拼音首字母相同" in c.reasons:
                _initials_floor(c, fuzz.ratio(core, core_name(c.entity.name)))

    rank_new(set())

    # The looser look-ups come in later rounds, only while no registered name has matched outright
    # (score ≥ 90): a trade name of two characters ("顺康") starts hundreds of names, and initials of
    # two or three letters match even more, so they are fallbacks, not look-ups worth making for every
    # party. First names sharing the trade name (a store "顺康养生馆" of "赤峰顺康健康科技有限公司"), then
    # homophones by pinyin initials ("舜康" typed for "顺康").
    if len(trade) >= 2 and trade != core and not any(c.score >= 90 for c in found.values()):
        before = set(found)
        sql, more = _prefix_range(trade, scope, scope_params)
        _fetch(found, [sql], more)
        rank_new(before)
    initials = char_initials(trade if len(trade) >= 2 else core) if len(core) >= 2 else ""
    if len(initials) >= 2 and not any(c.score >= 90 for c in found.values()):
        before = set(found)
        sql, more = _prefix_range(initials, scope, scope_params, column="core_initials", limit=INITIALS_LIMIT)
        _fetch(found, [sql], more, initials_kind=0)
        rank_new(before)

    ranked = sorted(
        (c for c in found.values() if c.score >= 50 or "统一社会信用代码一致" in c.reasons),
        key=lambda c: (-c.score, c.entity.name, c.entity.pk),
    )[:limit]
    for c in ranked:
        c.entity = instance_from_row(Entity, c.entity)  # type: ignore[arg-type]
    return ranked


class _Row(dict):
    """An entity row read by `_fetch`, its columns as attributes (what `_rank` reads)."""

    __getattr__ = dict.get

    @property
    def pk(self) -> int:
        return self["id"]


def _fetch(
    found: dict[int, EntityCandidate],
    parts: list[str],
    params: list,
    *,
    exact_kind: int = -1,
    initials_kind: int = -1,
    uscc: str = "",
    variants: dict[str, str] | None = None,
) -> None:
    """Run the look-ups `parts` (WHERE clauses over entities_entity) as one statement; add what they find
    to `found`, with the reasons the exact look-up (part `exact_kind`) and the initials (`initials_kind`) give."""
    if not parts:
        return
    columns = ["id", "uscc", "name", "address", "phone", "division_id", "name_initials", *_shop_name_fields()]
    select = f"SELECT {', '.join(columns)}, {{kind}} AS kind FROM entities_entity WHERE "
    statement = " UNION ALL ".join(
        f"SELECT * FROM ({select.format(kind=i)}{part}) AS part{i}" for i, part in enumerate(parts)
    )
    with prepared_cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    for *values, kind in rows:
        pk = values[0]
        if pk not in found:  # a light row while ranking; the few shown become Entity instances at the end
            found[pk] = EntityCandidate(entity=_Row(zip(columns, values, strict=True)), score=0)  # type: ignore[arg-type]
        c = found[pk]
        if kind == initials_kind and "拼音首字母相同" not in c.reasons:
            c.reasons.append("拼音首字母相同")
        if kind == exact_kind:
            if uscc and c.entity.uscc == uscc:
                c.add(100, "统一社会信用代码一致")
            reason = (variants or {}).get(c.entity.name) or (variants or {}).get(normalise(c.entity.name))
            if reason:
                c.add(97 if reason == "名称一致" else 92, reason)


def _initials_floor(c: EntityCandidate, similarity: float) -> None:
    """Same pinyin initials make a weak candidate worth showing (55–65, by how alike the names are)."""
    if c.score < 60:
        c.score = max(c.score, 55 + round(similarity / 10))


def _rank(
    c: EntityCandidate, *, name: str, core: str, trade: str, address: str, phone: str, shop_fields: tuple[str, ...]
) -> None:
    entity = c.entity
    if core:
        entity_core = core_name(entity.name)
        entity_trade = trade_name(entity.name)
        similarity = fuzz.ratio(core, entity_core)
        if entity_core == core:
            c.add(90, "名称主体一致（省略了地区或组织形式）")
        elif entity_core.startswith(core) or (len(core) >= 2 and _is_subsequence(core, entity_core) and len(core) < len(entity_core)):
            c.add(80, f"可能是简称（“{core}”）")
        elif similarity >= 70:
            c.add(similarity * 0.9, f"名称相似（{similarity:.0f}%）")
        if trade and len(trade) >= 2 and entity_trade == trade and entity_core != core:
            c.add(75, f"字号相同（“{trade}”），可能是其门店或简称")
        for field_name in shop_fields:
            value = getattr(entity, field_name, "") or ""
            names = value if isinstance(value, list | tuple) else re.split(r"[,，;；、\s]+", str(value))
            if any(n and (normalise(n) == normalise(name) or core_name(n) == core) for n in names):
                c.add(90, "与登记的门店名称/字号一致")
        if "拼音首字母相同" in c.reasons:
            _initials_floor(c, similarity)
    if address and entity.address:
        similarity = fuzz.partial_ratio(address, normalise(entity.address))
        if similarity >= 70:
            c.reasons.append(f"地址相近（{similarity:.0f}%）")
            c.score = min(100, c.score + round((similarity - 60) / 4))
    if phone and entity.phone and re.sub(r"\D", "", entity.phone) == phone:
        c.reasons.append("电话一致")
        c.score = min(100, max(c.score, 70) + 10)
