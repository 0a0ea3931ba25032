"""Who may see and change what. The one place that decides; pages, admin sites and exports ask it.

The rules, from the user's memberships:

- administrator (superuser): everything;
- official: reads and changes everything of the plans of the districts of the membership, verifies
  activity logs there;
- police: reads the plans of their districts; changes the initiatives a police organisation of theirs
  leads or implements (with their milestones and progress updates); logs activities; enters crime
  statistics and hotspots for their districts;
- partner: reads the plans of their districts; logs activities on initiatives their organisation is a
  partner of; changes their organisation's logs until they are verified;
- donor: reads, never writes, the initiatives with a funding line from their organisation, what hangs
  under them (their own funding lines and spending; activity logs once verified);
- a membership with no districts sees nothing; police and partners see other organisations' activity
  logs only once verified (unverified logs may carry names and details not yet checked).

Outside the scope an object does not exist (404); inside it but read-only is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, Q, Value, When
from django.http import Http404

from accounts.models import Membership, Organisation

if TYPE_CHECKING:
    from accounts.models import User

Role = Membership.Role
M = TypeVar("M", bound=models.Model)

# Where each model hangs from an initiative, for donors' reads; models absent here are not donors'.
_INITIATIVE_PATH = {
    "Initiative": "pk",
    "InitiativePartner": "initiative",
    "Milestone": "initiative",
    "ProgressUpdate": "initiative",
    "FundingLine": "initiative",
    "Spending": "funding_line__initiative",
    "ActivityLog": "initiative",
    "Attachment": "activity_log__initiative",
    "Indicator": "initiative",
    "Measurement": "indicator__initiative",
}
# Donors see the money their own organisation gave, not other funders' lines.
_FUNDER_PATH = {"FundingLine": "funder", "Spending": "funding_line__funder"}
# Activity logs count for outsiders (donors; other organisations' police and partners) once verified.
_LOG_PATH = {"ActivityLog": "", "Attachment": "activity_log__"}
# What police change in their districts besides their own initiatives.
_POLICE_DISTRICT_MODELS = {"CrimeStatistic", "Hotspot"}
_INITIATIVE_CHILDREN = {"Milestone": "initiative", "ProgressUpdate": "initiative"}
_NOTHING = Q(pk__in=[])


@dataclass
class Scope:
    """What one user's memberships amount to, read once per request."""

    is_admin: bool = False
    districts: dict[str, set[int]] = field(default_factory=dict)  # role -> district ids
    organisations: dict[str, set[int]] = field(default_factory=dict)  # role -> organisation ids
    police_organisations: set[int] = field(default_factory=set)

    def district_ids(self, *roles: str) -> set[int]:
        roles = roles or tuple(Role.values)
        return set().union(*(self.districts.get(role, set()) for role in roles))

    def organisation_ids(self, *roles: str) -> set[int]:
        roles = roles or tuple(Role.values)
        return set().union(*(self.organisations.get(role, set()) for role in roles))

    def has_role(self, role: str) -> bool:
        return self.is_admin or bool(self.organisations.get(role))

    @property
    def roles(self) -> list[str]:
        return [role for role in Role.values if self.organisations.get(role)]


def scope_for(user: User) -> Scope:
    """The user's scope, cached on the user object so a request reads memberships once."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    scope = Scope(is_admin=user.is_superuser)
    rows = Membership.objects.filter(user=user).values_list(
        "role", "organisation_id", "organisation__kind", "districts"
    )
    for role, organisation_id, kind, district_id in rows:
        scope.organisations.setdefault(role, set()).add(organisation_id)
        if district_id is not None and role != Role.DONOR:
            scope.districts.setdefault(role, set()).add(district_id)
        if role == Role.POLICE and kind == Organisation.Kind.POLICE:
            scope.police_organisations.add(organisation_id)
    user._access_scope = scope
    return scope


def forget_scope(user: User) -> None:
    """Drop the cached scope, e.g. after memberships changed within one request or test."""
    if hasattr(user, "_access_scope"):
        del user._access_scope


def _in_districts(model: type[models.Model], district_ids: set[int]) -> Q:
    custom = getattr(model, "district_scope", None)
    if custom is not None:
        return custom(district_ids)
    path = model.district_path
    return Q(**{f"{path}__in": district_ids})


def _funded_initiatives(organisation_ids: set[int]):
    from prevention.models import FundingLine

    return FundingLine.objects.filter(funder__in=organisation_ids).values("initiative_id")


def _donor_q(model: type[models.Model], organisation_ids: set[int]) -> Q:
    name = model.__name__
    if not organisation_ids or name not in _INITIATIVE_PATH:
        return _NOTHING
    q = Q(**{f"{_INITIATIVE_PATH[name]}__in": _funded_initiatives(organisation_ids)})
    if name in _FUNDER_PATH:
        q &= Q(**{f"{_FUNDER_PATH[name]}__in": organisation_ids})
    if name in _LOG_PATH:
        q &= Q(**{f"{_LOG_PATH[name]}review_state": "verified"})
    return q


def _scoped_q(model: type[models.Model], user: User, others: Callable[[type[models.Model], Scope], Q]) -> Q:
    """What reads and writes share: administrators get everything, a model without a district
    nothing, a district's officials everything in it; ``others`` gives what the other roles get."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    if not hasattr(model, "district_path"):
        return _NOTHING
    official = scope.district_ids(Role.OFFICIAL)
    return (_in_districts(model, official) if official else _NOTHING) | others(model, scope)


def visible_q(model: type[models.Model], user: User) -> Q:
    return _scoped_q(model, user, _readable_by_others)


def editable_q(model: type[models.Model], user: User) -> Q:
    return _scoped_q(model, user, _writable_by_others)


def _readable_by_others(model: type[models.Model], scope: Scope) -> Q:
    q = _NOTHING
    others = scope.district_ids(Role.POLICE, Role.PARTNER) - scope.district_ids(Role.OFFICIAL)
    if others:
        in_their_districts = _in_districts(model, others)
        log_prefix = _LOG_PATH.get(model.__name__)
        if log_prefix is not None:
            own = scope.organisation_ids(Role.POLICE, Role.PARTNER)
            in_their_districts &= Q(**{f"{log_prefix}review_state": "verified"}) | Q(
                **{f"{log_prefix}organisation__in": own}
            )
        q |= in_their_districts
    return q | _donor_q(model, scope.organisation_ids(Role.DONOR))


def _writable_by_others(model: type[models.Model], scope: Scope) -> Q:
    name = model.__name__
    q = _NOTHING
    police_districts = scope.district_ids(Role.POLICE)
    if police_districts:
        if name in _POLICE_DISTRICT_MODELS:
            q |= _in_districts(model, police_districts)
        elif name == "Initiative":
            q |= _in_districts(model, police_districts) & Q(pk__in=_police_initiatives(scope))
        elif name in _INITIATIVE_CHILDREN:
            q |= _in_districts(model, police_districts) & Q(
                **{f"{_INITIATIVE_CHILDREN[name]}__in": _police_initiatives(scope)}
            )
    writers = scope.district_ids(Role.POLICE, Role.PARTNER)
    if writers and name in _LOG_PATH:
        prefix = _LOG_PATH[name]
        own = scope.organisation_ids(Role.POLICE, Role.PARTNER)
        q |= (
            _in_districts(model, writers)
            & Q(**{f"{prefix}organisation__in": own})
            & ~Q(**{f"{prefix}review_state": "verified"})
        )
    return q


def _police_initiatives(scope: Scope) -> models.QuerySet:
    """Initiatives a police organisation of the user leads or implements."""
    from prevention.models import Initiative

    organisations = scope.police_organisations
    return Initiative.objects.filter(
        Q(lead_organisation__in=organisations)
        | Q(partnerships__organisation__in=organisations, partnerships__role__in=["lead", "implementing"])
    ).values("pk")


def visible(queryset: models.QuerySet[M], user: User) -> models.QuerySet[M]:
    return queryset.filter(visible_q(queryset.model, user))


def editable(queryset: models.QuerySet[M], user: User) -> models.QuerySet[M]:
    # Only what one can read can be changed, whatever the write rule says.
    return queryset.filter(visible_q(queryset.model, user)).filter(editable_q(queryset.model, user))


def get_for_user(user: User, queryset: models.QuerySet[M] | type[M], *, write: bool = False, **lookup) -> M:
    """Fetch one object through the user's scope: 404 outside it, 403 if read-only and ``write``."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    if write:
        # Whether it may be changed comes with the object, rather than from a second query.
        queryset = queryset.annotate(_may_change=change_flag(queryset.model, user))
    try:
        obj = visible(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    if write and not obj._may_change:
        raise PermissionDenied
    return obj


def _flag(q: Q) -> models.Expression:
    """A rule as an expression to annotate rows with: the page knows it from the query that fetches them."""
    return Value(True) if not q else Case(When(q, then=True), default=False)


def change_flag(model: type[models.Model], user: User) -> models.Expression:
    """Whether the user may change a row of ``model`` (``editable_q``), as an annotation."""
    return _flag(editable_q(model, user))


def can_change(user: User, obj: models.Model) -> bool:
    model = type(obj)
    return editable(model._default_manager.filter(pk=obj.pk), user).exists()


def reporting_q(user: User) -> Q:
    """Initiatives the user may post a progress update on, as a filter of initiatives: those they may
    change (officials; the police on those their unit leads or implements), and those a partner
    organisation of theirs leads. A progress update is "an official's or lead's report"; leading does
    not let a partner edit the initiative itself."""
    from prevention.models import Initiative, InitiativePartner

    scope = scope_for(user)
    if scope.is_admin:
        return Q()  # everything (an empty Q or-ed with another would narrow it to that other)
    q = editable_q(Initiative, user)
    partner_districts = scope.district_ids(Role.PARTNER)
    own = scope.organisation_ids(Role.PARTNER)
    if partner_districts and own:
        led = InitiativePartner.objects.filter(organisation__in=own, role="lead").values("initiative")
        q |= _in_districts(Initiative, partner_districts) & (Q(lead_organisation__in=own) | Q(pk__in=led))
    return q


def reporting_flag(user: User) -> models.Expression:
    """Whether the user may post a progress update on an initiative (``reporting_q``), as an annotation."""
    return _flag(reporting_q(user))


# Activity logs: who may log on which initiative, for which organisation, and who reviews.

# Partnership roles whose organisation carries out work and so logs it; a funder does not.
LOGGING_PARTNER_ROLES = ("lead", "implementing", "supporting")


def _taking_part_q(organisation_ids: set[int]) -> Q:
    """Initiatives an organisation leads or carries out as a partner."""
    from prevention.models import InitiativePartner

    partnered = InitiativePartner.objects.filter(
        organisation__in=organisation_ids, role__in=LOGGING_PARTNER_ROLES
    ).values("initiative")
    return Q(lead_organisation__in=organisation_ids) | Q(pk__in=partnered)


def loggable_initiatives(user: User) -> models.QuerySet:
    """Initiatives the user may log an activity on.

    Officials: any initiative of their districts. Police and partners: initiatives of their districts
    that one of their organisations leads or carries out (lead, implementing or supporting partner).
    """
    from prevention.models import Initiative

    scope = scope_for(user)
    initiatives = Initiative.objects.all()
    if scope.is_admin:
        return initiatives
    q = _NOTHING
    official = scope.district_ids(Role.OFFICIAL)
    if official:
        q |= _in_districts(Initiative, official)
    writers = scope.district_ids(Role.POLICE, Role.PARTNER)
    own = scope.organisation_ids(Role.POLICE, Role.PARTNER)
    if writers and own:
        q |= _in_districts(Initiative, writers) & _taking_part_q(own)
    return initiatives.filter(q)


def logging_organisations(user: User) -> models.QuerySet:
    """Organisations the user may log for, on some initiative (``may_log_for`` decides per initiative)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Organisation.objects.exclude(kind=Organisation.Kind.DONOR)
    return Organisation.objects.filter(
        pk__in=scope.organisation_ids(Role.OFFICIAL, Role.POLICE, Role.PARTNER)
    )


def may_log_for(user: User, initiative: models.Model, organisation: Organisation) -> bool:
    """Whether the user may log an activity of ``organisation`` on ``initiative``.

    An official logs for their own organisation on any initiative of their districts; police and
    partners log for an organisation of theirs that takes part in the initiative.
    """
    from prevention.models import Initiative

    scope = scope_for(user)
    if scope.is_admin:
        return organisation.kind != Organisation.Kind.DONOR
    district_id = initiative.priority.plan.district_id
    if organisation.pk in scope.organisations.get(Role.OFFICIAL, set()):
        return district_id in scope.district_ids(Role.OFFICIAL)
    if organisation.pk not in scope.organisation_ids(Role.POLICE, Role.PARTNER):
        return False
    if district_id not in scope.district_ids(Role.POLICE, Role.PARTNER):
        return False
    return Initiative.objects.filter(pk=initiative.pk).filter(_taking_part_q({organisation.pk})).exists()


def can_review_log(user: User, log: models.Model) -> bool:
    """Verify or return: an official of the log's district (or an administrator), never its author."""
    scope = scope_for(user)
    if not user.is_authenticated or log.author_id == user.pk:
        return False
    return scope.is_admin or log.district_id in scope.district_ids(Role.OFFICIAL)


def can_resubmit_log(user: User, log: models.Model) -> bool:
    """Resubmit a returned log: someone of the log's organisation who may still change it.

    Whether the log is in the returned state is the service's business, not a permission.
    """
    scope = scope_for(user)
    if scope.is_admin:
        return True
    return log.organisation_id in scope.organisation_ids(
        Role.OFFICIAL, Role.POLICE, Role.PARTNER
    ) and can_change(user, log)


# Creating under a district: who may start a plan, who records the district's crime figures and hotspots.


def can_plan_in(user: User, district: models.Model) -> bool:
    """A new plan for the district: its officials and administrators."""
    scope = scope_for(user)
    return scope.is_admin or district.pk in scope.district_ids(Role.OFFICIAL)


def can_record_in(user: User, district: models.Model) -> bool:
    """The district's crime statistics and hotspots: its officials and police, and administrators."""
    scope = scope_for(user)
    return scope.is_admin or district.pk in scope.district_ids(Role.OFFICIAL, Role.POLICE)
