"""The access rules of accounts/access.py, model by model, for every persona."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import access
from accounts.models import Membership
from prevention import models as m
from tests import factories as f


def visible(model, user):
    return set(model.objects.visible_to(user))


def editable(model, user):
    return set(model.objects.editable_by(user))


def test_official_reads_and_changes_everything_of_own_district_only(world):
    a, b = world.a, world.b
    assert visible(m.Initiative, a.official) == {a.initiative}
    assert editable(m.Initiative, a.official) == {a.initiative}
    assert visible(m.ActionPlan, a.official) == {a.plan}
    assert editable(m.ActionPlan, a.official) == {a.plan}
    assert b.initiative not in visible(m.Initiative, a.official)


def test_police_change_initiatives_their_unit_leads_but_not_the_plan(world):
    a = world.a
    other = f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo)
    assert visible(m.Initiative, a.police) == {a.initiative, other}
    assert editable(m.Initiative, a.police) == {a.initiative}
    assert editable(m.ActionPlan, a.police) == set()


def test_police_change_initiatives_their_unit_implements(world):
    a = world.a
    implemented = f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo)
    f.InitiativePartnerFactory(initiative=implemented, organisation=a.police_unit, role="implementing")
    supported = f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo)
    f.InitiativePartnerFactory(initiative=supported, organisation=a.police_unit, role="supporting")
    assert implemented in editable(m.Initiative, a.police)
    assert supported not in editable(m.Initiative, a.police)


def test_police_change_milestones_of_their_initiatives_and_statistics_of_their_district(world):
    a = world.a
    milestone = f.MilestoneFactory(initiative=a.initiative)
    foreign = f.MilestoneFactory(initiative=f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo))
    statistic = f.CrimeStatisticFactory(district=a.district)
    assert editable(m.Milestone, a.police) == {milestone}
    assert foreign in visible(m.Milestone, a.police)
    assert editable(m.CrimeStatistic, a.police) == {statistic}
    assert editable(m.CrimeStatistic, a.partner) == set()


def test_partner_changes_own_organisations_logs_until_verified(world):
    a = world.a
    own = f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo)
    verified = f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, review_state="verified", reviewed_at="2018-04-01T10:00Z"
    )
    police_log = f.ActivityLogFactory(initiative=a.initiative, organisation=a.police_unit)
    assert editable(m.ActivityLog, a.partner) == {own}
    assert visible(m.ActivityLog, a.partner) == {own, verified}
    assert police_log not in visible(m.ActivityLog, a.partner)
    assert visible(m.ActivityLog, a.official) == {own, verified, police_log}


def test_partner_reads_plan_but_changes_no_plan_object(world):
    a = world.a
    assert visible(m.ActionPlan, a.partner) == {a.plan}
    for model in (m.ActionPlan, m.PlanPriority, m.Initiative, m.Milestone, m.CrimeStatistic):
        assert editable(model, a.partner) == set()


def test_donor_reads_only_what_it_funds_and_verified_logs(world):
    a = world.a
    unverified = f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo)
    verified = f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, review_state="verified", reviewed_at="2018-04-01T10:00Z"
    )
    other_funder_line = f.FundingLineFactory(initiative=a.initiative)
    unfunded = f.InitiativeFactory(priority=a.priority)
    assert visible(m.Initiative, world.donor) == {a.initiative}
    assert unfunded not in visible(m.Initiative, world.donor)
    assert visible(m.ActivityLog, world.donor) == {verified}
    assert unverified not in visible(m.ActivityLog, world.donor)
    assert visible(m.FundingLine, world.donor) == {world.funding}
    assert other_funder_line not in visible(m.FundingLine, world.donor)
    assert visible(m.ActionPlan, world.donor) == set()
    assert visible(m.CrimeStatistic, world.donor) == set()
    for model in (m.Initiative, m.ActivityLog, m.FundingLine):
        assert editable(model, world.donor) == set()


def test_donor_funding_nothing_sees_nothing(world):
    for model in (m.Initiative, m.ActivityLog, m.FundingLine, m.ActionPlan, m.Milestone):
        assert visible(model, world.idle_donor) == set()


def test_membership_without_districts_sees_nothing(world):
    lonely = f.MembershipFactory(organisation=world.a.administration, role=Membership.Role.OFFICIAL).user
    assert visible(m.Initiative, lonely) == set()
    assert visible(m.ActionPlan, lonely) == set()


def test_administrator_sees_and_changes_everything(world):
    assert visible(m.Initiative, world.admin) == {world.a.initiative, world.b.initiative}
    assert editable(m.ActionPlan, world.admin) == {world.a.plan, world.b.plan}


def test_anonymous_and_deactivated_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert visible(m.ActionPlan, AnonymousUser()) == set()
    world.a.official.is_active = False
    world.a.official.save()
    access.forget_scope(world.a.official)
    assert visible(m.ActionPlan, world.a.official) == set()


def test_region_wide_hotspot_is_seen_in_the_regions_districts(world):
    region_wide = f.HotspotFactory(district=None, region=world.a.district.region)
    assert region_wide in visible(m.Hotspot, world.a.official)
    assert region_wide not in visible(m.Hotspot, world.b.official)


def test_get_for_user_answers_404_outside_and_403_read_only(world):
    a, b = world.a, world.b
    assert access.get_for_user(a.official, m.Initiative, pk=a.initiative.pk, write=True) == a.initiative
    with pytest.raises(Http404):
        access.get_for_user(a.official, m.Initiative, pk=b.initiative.pk)
    with pytest.raises(PermissionDenied):
        access.get_for_user(a.partner, m.Initiative, pk=a.initiative.pk, write=True)
    assert access.get_for_user(a.partner, m.Initiative, pk=a.initiative.pk) == a.initiative


def test_get_for_user_decides_write_access_in_the_query_that_fetches(world, django_assert_num_queries):
    a = world.a
    for user in (a.official, a.partner, a.police):
        access.scope_for(user)
    with django_assert_num_queries(1):
        assert access.get_for_user(a.official, m.Initiative, pk=a.initiative.pk, write=True) == a.initiative
    with django_assert_num_queries(1), pytest.raises(PermissionDenied):
        access.get_for_user(a.partner, m.Initiative, pk=a.initiative.pk, write=True)
    assert access.get_for_user(a.police, m.Initiative, pk=a.initiative.pk, write=True) == a.initiative
    assert access.get_for_user(world.admin, m.Initiative, pk=a.initiative.pk, write=True) == a.initiative
    # A donor sees the initiative they fund and may change nothing: refused, not crashed on an empty rule.
    funded = world.funding.initiative
    assert access.get_for_user(world.donor, m.Initiative, pk=funded.pk) == funded
    with pytest.raises(PermissionDenied):
        access.get_for_user(world.donor, m.Initiative, pk=funded.pk, write=True)


def test_scope_is_read_once_per_user_object(world, django_assert_num_queries):
    user = world.a.official
    access.forget_scope(user)
    with django_assert_num_queries(1):
        access.scope_for(user)
        access.scope_for(user)


def test_districts_are_visible_only_to_their_members(world):
    assert visible(m.District, world.a.partner) == {world.a.district}
    assert visible(m.District, world.donor) == set()
    assert editable(m.District, world.a.official) == {world.a.district}


def test_only_officials_start_plans_and_officials_and_police_record_district_figures(world):
    a = world.a
    assert access.can_plan_in(a.official, a.district)
    assert not access.can_plan_in(a.police, a.district)
    assert not access.can_plan_in(world.b.official, a.district)
    assert access.can_record_in(a.police, a.district)
    assert access.can_record_in(a.official, a.district)
    assert not access.can_record_in(a.partner, a.district)
    assert not access.can_record_in(world.donor, a.district)
    assert access.can_plan_in(world.admin, a.district) and access.can_record_in(world.admin, a.district)
