"""The progress rules, in one place. docs/progress.md explains them to users; the pages quote them.

Pure functions of plain values, so the models, the QuerySet annotations and the tests share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")

# An initiative is at risk when time runs ahead of progress by this many points, off track beyond the next.
AT_RISK_GAP = 15
OFF_TRACK_GAP = 30
# A milestone this many days overdue puts its initiative off track rather than at risk.
OFF_TRACK_OVERDUE_DAYS = 30


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def indicator_progress(
    *, baseline: Decimal, target: Decimal, current: Decimal | None, decreasing: bool
) -> Decimal | None:
    """Share of the way from baseline to target, in the indicator's direction, 0 to 100.

    Burglaries 120 → target 90, now 105: 50. Worse than the baseline is 0; beyond the target is 100
    (``indicator_overshoot`` tells the two apart from exactly on target). No measurement: None.
    A target equal to the baseline is 100 once the value is at it or better, else 0.
    """
    if current is None:
        return None
    gained = (baseline - current) if decreasing else (current - baseline)
    needed = (baseline - target) if decreasing else (target - baseline)
    if needed <= 0:
        return HUNDRED if gained >= 0 else Decimal(0)
    share = gained / needed * HUNDRED
    return _round(min(max(share, Decimal(0)), HUNDRED))


def indicator_overshoot(*, target: Decimal, current: Decimal | None, decreasing: bool) -> bool:
    """True when the latest value is past the target in the good direction."""
    if current is None:
        return False
    return current < target if decreasing else current > target


def milestone_progress(
    *, done_weight: int, total_weight: int, done_count: int, total_count: int
) -> Decimal | None:
    """Done share of the milestones' weights; equal shares when every weight is zero; None without any.

    Cancelled milestones are left out of both sums before this is called.
    """
    if total_count == 0:
        return None
    if total_weight > 0:
        return _round(Decimal(done_weight) / Decimal(total_weight) * HUNDRED)
    return _round(Decimal(done_count) / Decimal(total_count) * HUNDRED)


def initiative_progress(
    *,
    done_weight: int,
    total_weight: int,
    done_count: int,
    total_count: int,
    latest_update_percent: int | None,
    is_completed: bool = False,
) -> Decimal:
    """Milestones decide where there are any; otherwise the latest progress update; otherwise 0.

    A completed initiative is 100 whatever its milestones say.
    """
    if is_completed:
        return HUNDRED
    by_milestones = milestone_progress(
        done_weight=done_weight, total_weight=total_weight, done_count=done_count, total_count=total_count
    )
    if by_milestones is not None:
        return by_milestones
    if latest_update_percent is not None:
        return _round(Decimal(latest_update_percent))
    return Decimal(0)


def plan_progress(initiative_progresses: Iterable[Decimal]) -> Decimal | None:
    """Plain average of the plan's initiatives (cancelled ones are left out by the caller); None if none."""
    values = list(initiative_progresses)
    if not values:
        return None
    return _round(sum(values, Decimal(0)) / len(values))


def time_elapsed(*, start: dt.date | None, end: dt.date | None, today: dt.date) -> Decimal | None:
    """Share of the initiative's period that has passed, 0 to 100; None without both dates."""
    if start is None or end is None:
        return None
    if today <= start:
        return Decimal(0)
    if today >= end or end == start:
        return HUNDRED
    return _round(Decimal((today - start).days) / Decimal((end - start).days) * HUNDRED)


@dataclass(frozen=True)
class Health:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    CANCELLED = "cancelled"

    state: str
    # The reason is written when a page shows it, not before: a donor's portfolio sorts thousands of
    # initiatives by their state and shows the reasons of ten.
    explain: Callable[[], str] = field(compare=False, repr=False)

    @property
    def reason(self) -> str:
        return self.explain()

    @property
    def label(self) -> str:
        return str(HEALTH_LABELS[self.state])


HEALTH_LABELS = {
    Health.ON_TRACK: _("On track"),
    Health.AT_RISK: _("At risk"),
    Health.OFF_TRACK: _("Off track"),
    Health.DONE: _("Completed"),
    Health.CANCELLED: _("Cancelled"),
}


def initiative_health(
    *,
    status: str,
    progress: Decimal,
    start: dt.date | None,
    end: dt.date | None,
    overdue_count: int,
    oldest_overdue_due: dt.date | None,
    today: dt.date,
) -> Health:
    """On track, at risk or off track, with the reason a person can check on the page.

    Off track: reported delayed; past its end and not completed; a milestone more than 30 days overdue; or
    time elapsed ahead of progress by more than 30 points. At risk: any overdue milestone, or time ahead
    of progress by more than 15 points.
    """
    if status == "completed":
        return Health(Health.DONE, lambda: str(_("Completed.")))
    if status == "cancelled":
        return Health(Health.CANCELLED, lambda: str(_("Cancelled; left out of the plan's progress.")))
    if status == "delayed":
        return Health(Health.OFF_TRACK, lambda: str(_("Reported as delayed in the latest update.")))
    if end is not None and today > end:
        return Health(
            Health.OFF_TRACK,
            lambda: str(_("Its end date %(end)s has passed.") % {"end": date_format(end, "DATE_FORMAT")}),
        )
    if oldest_overdue_due is not None and (today - oldest_overdue_due).days > OFF_TRACK_OVERDUE_DAYS:
        days = (today - oldest_overdue_due).days
        return Health(
            Health.OFF_TRACK,
            lambda: (
                ngettext(
                    "A milestone is %(days)d day overdue.", "A milestone is %(days)d days overdue.", days
                )
                % {"days": days}
            ),
        )
    elapsed = time_elapsed(start=start, end=end, today=today)
    gap = (elapsed - progress) if elapsed is not None else Decimal(0)
    if gap > OFF_TRACK_GAP:
        return Health(
            Health.OFF_TRACK,
            lambda: (
                str(_("%(elapsed)s%% of the time has passed but only %(progress)s%% is done."))
                % {"elapsed": elapsed, "progress": progress}
            ),
        )
    if overdue_count:
        return Health(
            Health.AT_RISK,
            lambda: (
                ngettext(
                    "%(count)d milestone is overdue.", "%(count)d milestones are overdue.", overdue_count
                )
                % {"count": overdue_count}
            ),
        )
    if gap > AT_RISK_GAP:
        return Health(
            Health.AT_RISK,
            lambda: (
                str(_("%(elapsed)s%% of the time has passed and %(progress)s%% is done."))
                % {"elapsed": elapsed, "progress": progress}
            ),
        )
    return Health(Health.ON_TRACK, lambda: str(_("Progress keeps pace with time and nothing is overdue.")))
