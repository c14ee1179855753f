"""The machinery every lifecycle shares (DESIGN.md section 4, STYLE.md "Workflows").

An app's workflow module declares its transitions as data (`Transition` rows in a table) and calls
`TransitionTable.run`, which does, in this order: role → table (state) → object rule → precondition →
compare-and-swap on (state, version) → event row → on-commit effects. The same table answers
`available_transitions`, so pages render exactly the buttons the server will accept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from silvershield.core.audit import record_event
from silvershield.core.errors import PermissionDenied, StaleState, TransitionNotAllowed
from silvershield.core.models import AuditEvent, User

Params = dict[str, Any]


@dataclass(frozen=True)
class Transition:
    """One row of a transition table.

    `allowed(obj, user)` is the object rule beyond the role (e.g. "an officer assigned to it");
    `check(obj, actor, params)` raises TransitionNotAllowed / InvalidInput naming the field at fault;
    `apply(obj, actor, params)` returns the extra column values written together with the new state
    (it may write other rows too; it runs inside the transaction, after the checks);
    `after(obj, actor, params)` runs inside the transaction once the state has changed (m2m, children);
    `effects(obj, actor, params)` runs after commit (notifications).
    """

    name: str
    label: Any
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    allowed: Callable[[Any, User], bool] | None = None
    check: Callable[[Any, User, Params], None] | None = None
    apply: Callable[[Any, User, Params], dict[str, Any]] | None = None
    after: Callable[[Any, User, Params], None] | None = None
    effects: Callable[[Any, User, Params], None] | None = None
    reason_required: bool = False
    fields: tuple[str, ...] = ()
    style: str = "primary"


@dataclass
class TransitionTable:
    model: type[models.Model]
    transitions: list[Transition] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.transitions}

    def get(self, name: str) -> Transition:
        try:
            return self.by_name[name]
        except KeyError as exc:
            raise TransitionNotAllowed(f"未知的操作：{name}", field="transition") from exc

    def may(self, transition: Transition, obj: Any, user: User) -> bool:
        """Whether `user` may take `transition` on `obj` in its current state (ignoring parameters)."""
        if obj.state not in transition.sources:
            return False
        if user.role not in transition.roles:
            return False
        return transition.allowed is None or transition.allowed(obj, user)

    def available(self, obj: Any, user: User) -> list[Transition]:
        return [t for t in self.transitions if self.may(t, obj, user)]

    def run(
        self,
        *,
        obj: Any,
        name: str,
        actor: User,
        reason: str = "",
        params: Params | None = None,
        expected_version: int | None = None,
    ) -> Any:
        """Take transition `name` on `obj` as `actor`; returns the refreshed object.

        Raises PermissionDenied, TransitionNotAllowed, InvalidInput or StaleState; on any of them
        nothing has been written.
        """
        params = dict(params or {})
        transition = self.get(name)
        if actor.role not in transition.roles:
            raise PermissionDenied("您的角色不能执行该操作", field="transition")
        if expected_version is not None and expected_version != obj.version:
            raise StaleState("此事项已被他人修改，请刷新后重试")
        if obj.state not in transition.sources:
            raise TransitionNotAllowed(
                f"当前状态“{obj.get_state_display()}”下不能执行“{transition.label}”", field="transition"
            )
        if transition.allowed is not None and not transition.allowed(obj, actor):
            raise PermissionDenied("您不是此事项的承办人员或负责人，不能执行该操作", field="transition")
        reason = (reason or "").strip()
        if transition.reason_required and not reason:
            raise TransitionNotAllowed("请填写理由", field="reason")
        if transition.check is not None:
            transition.check(obj, actor, params)
        from_state = obj.state
        with transaction.atomic():
            updates = transition.apply(obj, actor, params) if transition.apply else {}
            updates.update(state=transition.target, version=F("version") + 1, updated_at=timezone.now())
            rows = type(obj).objects.filter(pk=obj.pk, state=from_state, version=obj.version).update(**updates)
            if rows == 0:
                raise StaleState("此事项已被他人修改，请刷新后重试")
            obj.refresh_from_db()
            if transition.after is not None:
                transition.after(obj, actor, params)
            changes = {k: (None, v) for k, v in updates.items() if k not in {"state", "version", "updated_at"}}
            record_event(
                subject=obj,
                actor=actor,
                action=AuditEvent.Action.TRANSITION,
                transition=transition.name,
                from_state=from_state,
                to_state=transition.target,
                reason=reason,
                changes=changes,
            )
            if transition.effects is not None:
                transaction.on_commit(lambda: transition.effects(obj, actor, params))
        return obj


def state_labels(choices: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return dict(choices)
