"""The request desk inside the self-inspection: open requests past their answer deadline, and
those about to pass it (annual/desk.py computes both; `gkml requests` shows the whole desk)."""
from __future__ import annotations

from ..annual.desk import OVERDUE, SOON, build_desk
from .context import AuditContext


def open_requests(ctx: AuditContext) -> None:
    desk = build_desk(ctx.catalogue, ctx.as_of, ctx.config.warn_days)
    desk.units = [(u.id, u.name) for u in ctx.units]
    ctx.desk = desk
    for uid, _ in desk.units:
        for o in desk.open.get(uid, []):
            if o.state not in (OVERDUE, SOON):
                continue
            if o.estimated:
                ctx.estimated.setdefault(uid, set()).update(o.estimated)
            what = (f"答复期限 {o.due_text} 已过，{o.left_text}" if o.state == OVERDUE
                    else f"答复期限 {o.due_text}，{o.left_text}")
            ctx.add("request-overdue" if o.state == OVERDUE else "request-due-soon", uid,
                    f"申请「{o.request.number}」（{o.request.received} 收到）{what}，尚未登记答复日期；"
                    "办结后请填写「答复日期」和「办理结果」",
                    file=desk.rel(o.request), line=o.request.line, number=o.request.number,
                    received=o.request.received.isoformat(), due=o.due.isoformat(), left=o.left,
                    estimated=list(o.estimated))
