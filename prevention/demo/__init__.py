"""The Sverdlovsk demo: the story of the source documents as data (``manage.py load_demo``).

Sources: the UNODC press release of 19 December 2017 on the Sverdlovsk district crime prevention plan,
and the safety-and-security sections of travel advisories for Kyrgyzstan and Bolivia. Every name and
figure they give is used as given. Where the demo needs a figure they do not give (a population, a date,
a count, an amount), it is assumed and a comment says so; such figures also carry "assumed" in their
visible source so that nobody quotes them as facts.

Loading is idempotent (see ``Demo.put``): running it again writes nothing, not even history.
"""

from __future__ import annotations

from django.db import transaction

from prevention.demo import evidence, people, plan, safety, territory
from prevention.demo.base import DEMO_PASSWORD, Demo, DemoResult

__all__ = ["DEMO_PASSWORD", "DemoResult", "load_demo"]


def load_demo() -> DemoResult:
    demo = Demo()
    with transaction.atomic():
        territory.countries(demo)
        people.organisations(demo)
        people.users(demo)
        plan.issues(demo)
        plan.action_plan(demo)
        plan.initiatives(demo)
        plan.funding(demo)
        plan.milestones_and_updates(demo)
        evidence.activity_logs(demo)
        evidence.statistics(demo)
        evidence.assessment(demo)
        evidence.indicators(demo)
        evidence.meetings(demo)
        safety.risks(demo)
        safety.hotspots(demo)
        safety.safety_contacts(demo)
    return demo.result
