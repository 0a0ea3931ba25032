"""Personas shared by the suite.

Two districts, A and B, each with a plan, a priority and an initiative led by the district's police and
carried out with an NGO. In each district: an official, a police officer and a partner (NGO staff).
A donor (INL-like) funds district A's initiative; another donor funds nothing. The administrator sees all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import Membership, Organisation, User
from prevention import models as m
from tests import factories as f


@dataclass
class DistrictWorld:
    district: m.District
    plan: m.ActionPlan
    priority: m.PlanPriority
    initiative: m.Initiative
    police_unit: Organisation
    ngo: Organisation
    administration: Organisation
    official: User
    police: User
    partner: User


@dataclass
class World:
    a: DistrictWorld
    b: DistrictWorld
    donor_org: Organisation
    donor: User
    idle_donor: User
    admin: User
    funding: m.FundingLine


def _district_world(label: str) -> DistrictWorld:
    district = f.DistrictFactory(name=f"District {label}")
    plan = f.ActionPlanFactory(district=district, title=f"Plan {label}")
    priority = f.PlanPriorityFactory(plan=plan, rank=1, issue=f.PriorityIssueFactory(name="Burglary"))
    police_unit = f.OrganisationFactory(name=f"Police {label}", kind=Organisation.Kind.POLICE)
    ngo = f.OrganisationFactory(name=f"NGO {label}", kind=Organisation.Kind.NGO)
    administration = f.OrganisationFactory(
        name=f"Administration {label}", kind=Organisation.Kind.DISTRICT_ADMINISTRATION
    )
    initiative = f.InitiativeFactory(
        priority=priority, title=f"Initiative {label}", lead_organisation=police_unit
    )
    f.InitiativePartnerFactory(initiative=initiative, organisation=police_unit, role="lead")
    f.InitiativePartnerFactory(initiative=initiative, organisation=ngo, role="implementing")
    lower = label.lower()
    official = f.MembershipFactory(
        user__username=f"official_{lower}",
        organisation=administration,
        role=Membership.Role.OFFICIAL,
        districts=[district],
    ).user
    police = f.MembershipFactory(
        user__username=f"police_{lower}",
        organisation=police_unit,
        role=Membership.Role.POLICE,
        districts=[district],
    ).user
    partner = f.MembershipFactory(
        user__username=f"partner_{lower}",
        organisation=ngo,
        role=Membership.Role.PARTNER,
        districts=[district],
    ).user
    return DistrictWorld(
        district, plan, priority, initiative, police_unit, ngo, administration, official, police, partner
    )


@pytest.fixture
def world(db) -> World:
    a = _district_world("A")
    b = _district_world("B")
    donor_org = f.OrganisationFactory(name="INL", kind=Organisation.Kind.DONOR, country=None)
    funding = f.FundingLineFactory(initiative=a.initiative, funder=donor_org)
    donor = f.MembershipFactory(
        user__username="donor", organisation=donor_org, role=Membership.Role.DONOR
    ).user
    idle_org = f.OrganisationFactory(name="Idle Fund", kind=Organisation.Kind.DONOR, country=None)
    idle_donor = f.MembershipFactory(
        user__username="idle_donor", organisation=idle_org, role=Membership.Role.DONOR
    ).user
    admin = User.objects.create_superuser("admin", "admin@example.org", "correct-horse-battery")
    return World(a, b, donor_org, donor, idle_donor, admin, funding)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
