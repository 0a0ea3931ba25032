"""The Sverdlovsk demo: the story of the source documents (``docs`` of the design, ``seeds/``) as data.

Sources: the UNODC press release of 19 December 2017 on the Sverdlovsk district crime prevention plan,
and the safety-and-security sections of travel advisories for Kyrgyzstan and Bolivia. Every name and
figure they give is used as given. Where the demo needs a figure they do not give (a population, a date,
a count, an amount), it is assumed and the line says so; such figures also carry "assumed" in their
visible source so that nobody quotes them as facts.

Loading is idempotent: each row is found by its natural key and created when missing; a row that
exists is saved only when one of the demo's values differs (which resets it to the demo's state), so a
second run writes nothing, not even history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from prevention import models as m
from prevention.models.base import Tracked

DEMO_PASSWORD = "safer-districts-demo"  # noqa: S105 - published on purpose; only set with DEBUG on
ASSUMED = "Demo figure (assumed)"
PRESS_RELEASE = "UNODC press release, Bishkek, 19 December 2017"

M = TypeVar("M", bound=models.Model)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str) -> dt.datetime:
    """An aware time in the project's zone (Bishkek), fixed so that a second run finds it unchanged."""
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@dataclass
class DemoAccount:
    username: str
    role: str
    organisation: str
    password_set: bool


@dataclass
class DemoResult:
    created: int = 0
    changed: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)
    kept_passwords: list[str] = field(default_factory=list)


class Loader:
    """Finds or creates rows by natural key, and saves an existing row only when a value differs."""

    def __init__(self) -> None:
        self.result = DemoResult()

    def put(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any] | None = None) -> M:
        values = values or {}
        try:
            obj = model._default_manager.get(**lookup)
        except model.DoesNotExist:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.result.created += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            if isinstance(obj, Tracked):
                # A form opened before the reset must not overwrite it silently (see editing.py).
                obj.version += 1
            obj.full_clean()
            obj.save()
            self.result.changed += 1
        return obj

    def link(self, manager: Any, objects: list[models.Model]) -> None:
        """Add what a many-to-many relation lacks; adding nothing sends no signal and writes no history."""
        present = set(manager.values_list("pk", flat=True))
        missing = [obj for obj in objects if obj.pk not in present]
        if missing:
            manager.add(*missing)
            self.result.created += len(missing)


def _same(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        return getattr(obj, model_field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def load_demo() -> DemoResult:
    with transaction.atomic():
        loader = Loader()
        _Demo(loader).build()
        return loader.result


class _Demo:
    def __init__(self, loader: Loader) -> None:
        self.put = loader.put
        self.link = loader.link
        self.result = loader.result

    def build(self) -> None:
        self.territory()
        self.organisations()
        self.users()
        self.catalogues()
        self.plan()
        self.initiatives()
        self.funding()
        self.milestones_and_updates()
        self.activity_logs()
        self.statistics()
        self.assessment()
        self.indicators()
        self.meetings()
        self.hotspots()
        self.safety_contacts()

    # Territory ----------------------------------------------------------------------------------

    def territory(self) -> None:
        self.kg = self.put(m.Country, {"iso_code": "KG"}, {"name": "Kyrgyzstan", "currency": "KGS"})
        self.bishkek = self.put(
            m.Region, {"country": self.kg, "name": "Bishkek"}, {"kind": m.Region.Kind.CITY}
        )
        self.batken = self.put(
            m.Region, {"country": self.kg, "name": "Batken"}, {"kind": m.Region.Kind.OBLAST}
        )
        # The population is assumed: 300,000 in 2016 is the figure at which the 4,023 crimes registered
        # that year give the press release's rate of 1,341 per 100,000 inhabitants.
        self.sverdlovsk = self.put(
            m.District,
            {"region": self.bishkek, "name": "Sverdlovsk district"},
            {"kind": m.District.Kind.CITY_DISTRICT, "population": 300_000, "population_year": 2016},
        )

        self.bo = self.put(m.Country, {"iso_code": "BO"}, {"name": "Bolivia", "currency": "BOB"})
        self.la_paz_department = self.put(
            m.Region, {"country": self.bo, "name": "La Paz"}, {"kind": m.Region.Kind.DEPARTMENT}
        )
        self.cochabamba_department = self.put(
            m.Region, {"country": self.bo, "name": "Cochabamba"}, {"kind": m.Region.Kind.DEPARTMENT}
        )
        # No population for the Bolivian municipalities: the advisory gives none, and a district
        # without one shows how rates read when the figure is missing.
        self.la_paz = self.put(
            m.District,
            {"region": self.la_paz_department, "name": "La Paz"},
            {"kind": m.District.Kind.MUNICIPALITY},
        )
        self.cochabamba = self.put(
            m.District,
            {"region": self.cochabamba_department, "name": "Cochabamba"},
            {"kind": m.District.Kind.MUNICIPALITY},
        )

    # Organisations and people -------------------------------------------------------------------

    def organisations(self) -> None:
        kind = Organisation.Kind

        def org(name: str, short_name: str, org_kind: str, country: m.Country | None) -> Organisation:
            return self.put(
                Organisation, {"name": name, "country": country}, {"short_name": short_name, "kind": org_kind}
            )

        self.administration = org(
            "Sverdlovsk district administration",
            "District administration",
            kind.DISTRICT_ADMINISTRATION,
            self.kg,
        )
        self.council = org("Bishkek City Council", "City council", kind.COUNCIL, self.kg)
        self.police = org("Sverdlovsk district police", "District police", kind.POLICE, self.kg)
        self.ministry = org(
            "Ministry of Internal Affairs of the Kyrgyz Republic",
            "Ministry of Internal Affairs",
            kind.MINISTRY,
            self.kg,
        )
        # The press release names school principals, local crime prevention centres and civil society
        # but no particular school, centre or NGO: these rows stand for them under descriptive names.
        self.schools = org("Sverdlovsk district schools", "Schools", kind.SCHOOL, self.kg)
        self.centres = org(
            "Local crime prevention centres of Sverdlovsk district",
            "Crime prevention centres",
            kind.CRIME_PREVENTION_CENTRE,
            self.kg,
        )
        self.ngo = org("Sverdlovsk civil society partner (NGO)", "Civil society partner", kind.NGO, self.kg)
        self.unodc = org("United Nations Office on Drugs and Crime (UNODC)", "UNODC", kind.UN_AGENCY, None)
        self.inl = org(
            "Bureau of International Narcotics and Law Enforcement Affairs (INL), U.S. Department of State",
            "INL",
            kind.DONOR,
            None,
        )

    def users(self) -> None:
        Role = Membership.Role
        self.admin = self._user("admin", "Demo", "Administrator", is_superuser=True)
        self.result.accounts.append(
            DemoAccount("admin", "administrator", "", self.admin.has_usable_password())
        )
        for username, last_name, organisation, role, districts in (
            ("official", "Official", self.administration, Role.OFFICIAL, [self.sverdlovsk]),
            ("police", "Police", self.police, Role.POLICE, [self.sverdlovsk]),
            ("partner", "Partner", self.ngo, Role.PARTNER, [self.sverdlovsk]),
            # Donors see what their organisation funds, wherever it is: their membership has no district.
            ("donor", "Donor", self.inl, Role.DONOR, []),
        ):
            user = self._user(username, "Demo", last_name)
            membership = self.put(Membership, {"user": user, "organisation": organisation, "role": role})
            self.link(membership.districts, districts)
            setattr(self, f"{username}_user", user)
            self.result.accounts.append(
                DemoAccount(username, role, organisation.name, user.has_usable_password())
            )

    def _user(self, username: str, first_name: str, last_name: str, *, is_superuser: bool = False) -> User:
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "is_active": True,
            "is_staff": is_superuser,
            "is_superuser": is_superuser,
        }
        UserModel = get_user_model()
        user = UserModel._default_manager.filter(username=username).first()
        if user is None:
            user = UserModel(username=username, **values)
            user.set_unusable_password()
            self.result.created += 1
            dirty = True
        else:
            changed = [name for name, value in values.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, values[name])
            dirty = bool(changed)
            if changed:
                self.result.changed += 1
        # Checking first keeps a second run from saving the user (and writing a history row).
        has_demo_password = user.check_password(DEMO_PASSWORD) if user.pk else False
        if settings.DEBUG:
            if not has_demo_password:
                user.set_password(DEMO_PASSWORD)
                dirty = True
        elif has_demo_password:
            # The demo password is public: outside development it must not open any account.
            user.set_unusable_password()
            dirty = True
        elif user.has_usable_password():
            # Someone gave this account a real password; the demo leaves it alone.
            self.result.kept_passwords.append(username)
        if dirty:
            user.save()
        return user

    # Catalogues ---------------------------------------------------------------------------------

    def catalogues(self) -> None:
        self.issues = {
            key: self.put(m.PriorityIssue, {"name": name}, {"description": description})
            for key, name, description in (
                (
                    "public_order",
                    "Public order crime",
                    "Offences against public order and safety in public places.",
                ),
                ("burglary", "Burglary", "Breaking into homes, shops and other premises to steal."),
                ("road", "Road traffic accidents", "Collisions causing injury or death on the roads."),
                ("juvenile", "Juvenile delinquency", "Offences committed by children and young people."),
                ("domestic", "Domestic violence", "Violence between partners or family members at home."),
                ("livestock", "Livestock theft", "Theft of cattle, sheep, horses and other animals."),
            )
        }
        # The risks the advisories name; descriptions and advice are theirs.
        self.risks = {
            key: self.put(m.Risk, {"name": name}, {"description": description})
            for key, name, description in (
                (
                    "pickpocketing",
                    "Pickpocketing",
                    "Common in crowded places such as markets, large department stores, internet cafes "
                    "and on public transport.",
                ),
                (
                    "mugging",
                    "Mugging",
                    "Street robbery. Attackers do not always avoid violent confrontation with their victims.",
                ),
                ("car_theft", "Car theft", "Theft of cars and other vehicles."),
                (
                    "impostors",
                    "Impostors posing as police",
                    "Criminals pose as police officers, or as crime victims, to rob bystanders. Never "
                    "voluntarily give your wallet to anybody; note the officer's name, badge number and "
                    "licence plate, and where the incident happened.",
                ),
                (
                    "express_kidnapping",
                    "Express kidnapping",
                    "Victims are robbed and forced to withdraw money from cash machines.",
                ),
                (
                    "bag_theft",
                    "Bag theft on buses",
                    "Theft of bags, wallets and backpacks, especially on overnight buses. Thieves distract "
                    "victims, e.g. by spraying water on their necks. Never leave personal items unattended.",
                ),
                (
                    "demonstrations",
                    "Demonstrations",
                    "Even demonstrations intended to be peaceful can turn confrontational and become violent. "
                    "Avoid areas around protests and demonstrations.",
                ),
                (
                    "border_tensions",
                    "Border tensions",
                    "Ethnic and cross-border tensions; a significant police and military presence.",
                ),
                ("drug_trafficking", "Drug trafficking", "Narco-trafficking routes run through the area."),
            )
        }

    # The plan -----------------------------------------------------------------------------------

    def plan(self) -> None:
        Status = m.ActionPlan.Status
        self.action_plan = self.put(
            m.ActionPlan,
            {"district": self.sverdlovsk, "title": "Sverdlovsk District Crime Prevention Action Plan"},
            {
                # The period and the approval are assumed; the press release gives only the public
                # presentation in Bishkek on 19 December 2017.
                "period_start": d("2018-01-01"),
                "period_end": d("2020-12-31"),
                "status": Status.IN_IMPLEMENTATION,
                "approved_on": d("2017-12-19"),
                "approval_body": "Sverdlovsk district administration",
                "presented_on": d("2017-12-19"),
                "summary": (
                    "Based on the findings of the crime prevention assessment that UNODC facilitated in "
                    "2017, local government officials, members of the city council, school principals, "
                    "police officers, and representatives of local crime prevention centres and civil "
                    "society developed this crime prevention action plan for their district. It "
                    "prioritises four crime and safety issues: public order crime, burglary, road traffic "
                    "accidents and juvenile delinquency."
                ),
                "is_published": True,
            },
        )
        Evidence = m.PlanPriority.Evidence
        # Problem statements and objectives are the demo's wording of the four priorities.
        self.priorities = {
            key: self.put(
                m.PlanPriority,
                {"plan": self.action_plan, "issue": self.issues[key]},
                {
                    "rank": rank,
                    "problem_statement": problem,
                    "evidence_source": evidence_source,
                    "evidence": evidence,
                    "objective": objective,
                },
            )
            for rank, key, problem, evidence_source, evidence, objective in (
                (
                    1,
                    "public_order",
                    "Sverdlovsk district has the highest crime rate in Bishkek: 1,341 crimes per 100,000 "
                    "inhabitants in 2016. Kelechek, a densely populated new settlement, had no police "
                    "station.",
                    Evidence.STATISTICS,
                    "Registered crime data gathered by the 2017 assessment.",
                    "More police presence and police-public partnership, so that residents feel safe in "
                    "public places.",
                ),
                (
                    2,
                    "burglary",
                    "Burglaries of flats weigh on residents' sense of safety.",
                    Evidence.SURVEY,
                    "The 2017 survey of people's perceptions of crime and safety.",
                    "Fewer burglaries, through residents who know how to protect their homes and apartment "
                    "blocks watched together with the police.",
                ),
                (
                    3,
                    "road",
                    "Road traffic accidents are among the district's main safety issues.",
                    Evidence.ASSESSMENT,
                    "The 2017 crime prevention assessment.",
                    "Fewer road traffic accidents.",
                ),
                (
                    4,
                    "juvenile",
                    "Youth inspectors and social workers had little training in crime prevention.",
                    Evidence.ASSESSMENT,
                    "The 2017 crime prevention assessment (risk factors).",
                    "Less juvenile delinquency, through youth inspectors and social workers trained in "
                    "crime prevention.",
                ),
            )
        }

    def initiatives(self) -> None:
        Status = m.Initiative.Status
        Role = m.InitiativePartner.Role

        def initiative(priority: str, title: str, partners: list[tuple], **values: Any) -> m.Initiative:
            obj = self.put(m.Initiative, {"priority": self.priorities[priority], "title": title}, values)
            for organisation, role, responsibility in partners:
                self.put(
                    m.InitiativePartner,
                    {"initiative": obj, "organisation": organisation},
                    {"role": role, "responsibility": responsibility},
                )
            return obj

        # Start and end dates are assumed: the press release says the initiatives ran "all throughout"
        # 2017 and the police station was open by 19 December 2017.
        self.station = initiative(
            "public_order",
            "Kelechek police station",
            [
                (self.police, Role.LEAD, "Runs the new police station."),
                (self.ministry, Role.SUPPORTING, "Staffs the station; police-public partnership."),
                (self.unodc, Role.SUPPORTING, "Supports community policing in Sverdlovsk district."),
                (self.inl, Role.FUNDING, "Funds the construction (2 million Kyrgyz soms)."),
            ],
            description=(
                "A newly constructed police station in Kelechek, a densely populated new settlement in "
                "Sverdlovsk district, to support implementation of the crime prevention plan."
            ),
            objective="Enhance the police presence and engage more actively with the population.",
            lead_organisation=self.police,
            starts_on=d("2017-03-01"),
            ends_on=d("2017-12-19"),
            location="Kelechek, Sverdlovsk district, Bishkek",
            planned_outputs="A police station built and opened in Kelechek.",
            budget=Decimal("2000000.00"),
            budget_currency="KGS",
            status=Status.COMPLETED,
            means_of_verification="The station open to the public; INL funding records.",
        )
        self.radio = initiative(
            "public_order",
            "Weekly radio show on crime prevention",
            [
                (self.ngo, Role.LEAD, "Produces the weekly show."),
                (self.police, Role.IMPLEMENTING, "Police officers speak on the show."),
                (self.unodc, Role.SUPPORTING, "Subject matter experts and technical support."),
                (self.inl, Role.FUNDING, "Funds the show through UNODC."),
            ],
            description=(
                "A radio show on crime prevention involving police officers and other subject matter "
                "experts, broadcast every week."
            ),
            objective="Residents know how to prevent crime and trust the police.",
            lead_organisation=self.ngo,
            starts_on=d("2017-03-01"),
            ends_on=d("2020-12-31"),
            location="Bishkek (radio)",
            planned_outputs="A weekly show reaching over 15,000 listeners.",
            status=Status.IN_PROGRESS,
            risks="Airtime depends on the broadcaster's schedule.",
            means_of_verification="Broadcast schedule; listener figures.",
        )
        self.video = initiative(
            "burglary",
            "Video cameras and inhabitants' engagement in an apartment block (pilot)",
            [
                (self.administration, Role.LEAD, "Leads the pilot with the inhabitants."),
                (self.ngo, Role.IMPLEMENTING, "Organises the inhabitants' meetings; installs the cameras."),
                (self.police, Role.IMPLEMENTING, "Meets the inhabitants; responds to what the cameras show."),
                (self.council, Role.SUPPORTING, "Local authority engagement with the inhabitants."),
                (self.unodc, Role.SUPPORTING, "Designs the pilot."),
                (self.inl, Role.FUNDING, "Funds the cameras through UNODC."),
            ],
            description=(
                "A pilot project focused on engagement of inhabitants with local authorities and police, "
                "and installation of video cameras in and around an apartment block."
            ),
            objective="Inhabitants, local authorities and police keep the apartment block safe together.",
            lead_organisation=self.administration,
            starts_on=d("2017-04-01"),
            ends_on=d("2018-12-31"),
            location="An apartment block in Sverdlovsk district",
            planned_outputs="Video cameras in and around the block; regular meetings of inhabitants with "
            "local authorities and police.",
            status=Status.DELAYED,
            risks="Inhabitants' consent for the cameras; maintenance after the pilot.",
            means_of_verification="Meeting records; installation report.",
        )
        self.leaflets = initiative(
            "burglary",
            "Burglary-prevention leaflets",
            [
                (self.police, Role.LEAD, "Writes the prevention advice."),
                (self.ngo, Role.IMPLEMENTING, "Hands out the leaflets."),
                (self.centres, Role.IMPLEMENTING, "Hands out the leaflets in their neighbourhoods."),
                (self.administration, Role.FUNDING, "Pays for printing from the district budget."),
            ],
            description="Leaflets raise public awareness of measures to prevent burglary and other crime.",
            objective="Residents take simple measures to protect their homes.",
            lead_organisation=self.police,
            starts_on=d("2017-06-01"),
            ends_on=d("2020-12-31"),
            location="Sverdlovsk district",
            planned_outputs="Leaflets handed out across the district.",
            status=Status.IN_PROGRESS,
            means_of_verification="Distribution records.",
        )
        self.training = initiative(
            "juvenile",
            "Crime prevention training for youth inspectors and social workers",
            [
                (self.police, Role.LEAD, "Sends its youth inspectors."),
                (self.ngo, Role.IMPLEMENTING, "Organises the training sessions."),
                (self.schools, Role.SUPPORTING, "School principals nominate social workers."),
                (self.centres, Role.SUPPORTING, "Share their experience of local crime prevention."),
                (self.unodc, Role.SUPPORTING, "Writes the new training manual and trains the trainers."),
                (self.inl, Role.FUNDING, "Funds the training through UNODC."),
            ],
            description=(
                "A group of around 30 youth inspectors and social workers increase their knowledge and "
                "skills on crime prevention using a new training manual."
            ),
            objective="Youth inspectors and social workers prevent juvenile delinquency.",
            lead_organisation=self.police,
            starts_on=d("2017-02-01"),
            ends_on=d("2017-11-30"),
            location="Sverdlovsk district, Bishkek",
            planned_outputs="A new training manual; about 30 youth inspectors and social workers trained.",
            status=Status.COMPLETED,
            means_of_verification="Attendance lists; the training manual.",
        )

    def funding(self) -> None:
        Source = m.FundingLine.Source

        def line(
            initiative: m.Initiative, funder: Organisation, currency: str, **values: Any
        ) -> m.FundingLine:
            return self.put(
                m.FundingLine, {"initiative": initiative, "funder": funder, "currency": currency}, values
            )

        # The press release's figure; the commitment date is assumed.
        station = line(
            self.station,
            self.inl,
            "KGS",
            source_type=Source.DONOR,
            amount=Decimal("2000000.00"),
            committed_on=d("2017-03-01"),
            note="Construction of the new police station in Kelechek.",
        )
        self.put(
            m.Spending,
            {
                "funding_line": station,
                "spent_on": d("2017-12-01"),
                "description": "Construction of the police station",
            },
            {"amount": Decimal("2000000.00")},  # date assumed
        )
        # The amounts below are assumed: the press release says INL funds UNODC's work with civil
        # society and hopes for local government funding, but gives no figures.
        training = line(
            self.training,
            self.inl,
            "USD",
            source_type=Source.DONOR,
            amount=Decimal("12000.00"),
            committed_on=d("2017-01-15"),
            note="Through UNODC. Amount assumed for the demo.",
        )
        self.put(
            m.Spending,
            {"funding_line": training, "spent_on": d("2017-06-20"), "description": "New training manual"},
            {"amount": Decimal("4500.00")},
        )
        self.put(
            m.Spending,
            {"funding_line": training, "spent_on": d("2017-11-24"), "description": "Training sessions"},
            {"amount": Decimal("7000.00")},
        )
        video = line(
            self.video,
            self.inl,
            "USD",
            source_type=Source.DONOR,
            amount=Decimal("9500.00"),
            committed_on=d("2017-03-15"),
            note="Through UNODC. Amount assumed for the demo.",
        )
        self.put(
            m.Spending,
            {
                "funding_line": video,
                "spent_on": d("2017-09-30"),
                "description": "Video cameras and installation",
            },
            {"amount": Decimal("7800.00")},
        )
        line(
            self.radio,
            self.inl,
            "USD",
            source_type=Source.DONOR,
            amount=Decimal("6000.00"),
            committed_on=d("2017-02-15"),
            note="Through UNODC. Amount assumed for the demo.",
        )
        leaflets = line(
            self.leaflets,
            self.administration,
            "KGS",
            source_type=Source.LOCAL_BUDGET,
            amount=Decimal("150000.00"),
            committed_on=d("2017-06-01"),
            note="District budget. Amount assumed for the demo.",
        )
        self.put(
            m.Spending,
            {"funding_line": leaflets, "spent_on": d("2017-09-15"), "description": "Printing of leaflets"},
            {"amount": Decimal("60000.00")},
        )

    def milestones_and_updates(self) -> None:
        Done = m.Milestone.Status.DONE
        Pending = m.Milestone.Status.PENDING
        # Due and completion dates are assumed. The review of the video-camera pilot is the one
        # overdue milestone.
        for initiative, title, due_on, weight, status, completed_on, by, evidence in (
            (
                self.station,
                "Construction completed",
                "2017-11-30",
                3,
                Done,
                "2017-11-28",
                self.police_user,
                "",
            ),
            (
                self.station,
                "Police station opened",
                "2017-12-19",
                1,
                Done,
                "2017-12-19",
                self.police_user,
                "Presented at the public event in Bishkek on 19 December 2017.",
            ),
            (
                self.training,
                "New training manual ready",
                "2017-06-30",
                1,
                Done,
                "2017-06-20",
                self.police_user,
                "",
            ),
            (
                self.training,
                "About 30 youth inspectors and social workers trained",
                "2017-11-30",
                2,
                Done,
                "2017-11-24",
                self.police_user,
                "Attendance list of 30 participants.",
            ),
            (
                self.video,
                "Inhabitants agree the pilot with local authorities and police",
                "2017-05-31",
                1,
                Done,
                "2017-05-25",
                self.official_user,
                "",
            ),
            (
                self.video,
                "Video cameras installed in and around the apartment block",
                "2017-09-30",
                2,
                Done,
                "2017-09-28",
                self.official_user,
                "",
            ),
            (
                self.video,
                "Review of the pilot with inhabitants and police",
                "2018-06-30",
                1,
                Pending,
                None,
                None,
                "",
            ),
            (
                self.leaflets,
                "Leaflets written with the police",
                "2017-07-31",
                1,
                Done,
                "2017-07-20",
                self.police_user,
                "",
            ),
            (
                self.leaflets,
                "First distribution across the district",
                "2017-10-31",
                1,
                Done,
                "2017-10-20",
                self.police_user,
                "",
            ),
            (
                self.radio,
                "First weekly broadcast",
                "2017-03-31",
                1,
                Done,
                "2017-03-17",
                self.partner_user,
                "",
            ),
            (
                self.radio,
                "Audience of 15,000 listeners a week",
                "2017-12-31",
                1,
                Done,
                "2017-12-01",
                self.partner_user,
                "Over 15,000 listeners every week (press release).",
            ),
        ):
            self.put(
                m.Milestone,
                {"initiative": initiative, "title": title},
                {
                    "due_on": d(due_on),
                    "weight": weight,
                    "status": status,
                    "completed_on": d(completed_on) if completed_on else None,
                    "completed_by": by,
                    "evidence_note": evidence,
                },
            )

        Status = m.Initiative.Status
        # Reporting dates, percentages and spending are assumed, except the station's 2 million soms.
        for initiative, reported_on, author, status, percent, narrative, spent, currency in (
            (
                self.station,
                "2017-12-19",
                self.police_user,
                Status.COMPLETED,
                100,
                "The newly constructed police station in Kelechek is open.",
                "2000000.00",
                "KGS",
            ),
            (
                self.training,
                "2017-11-30",
                self.police_user,
                Status.COMPLETED,
                100,
                "Around 30 youth inspectors and social workers were trained with the new manual.",
                "11500.00",
                "USD",
            ),
            (
                self.video,
                "2017-10-15",
                self.official_user,
                Status.IN_PROGRESS,
                60,
                "Video cameras are installed in and around the apartment block; inhabitants meet local "
                "authorities and police.",
                "7800.00",
                "USD",
            ),
            (
                self.video,
                "2018-07-16",
                self.official_user,
                Status.DELAYED,
                70,
                "The review of the pilot with inhabitants and police, due by the end of June, has not "
                "taken place yet.",
                "7800.00",
                "USD",
            ),
            (
                self.leaflets,
                "2017-11-15",
                self.police_user,
                Status.IN_PROGRESS,
                60,
                "Burglary-prevention leaflets were handed out across the district.",
                "60000.00",
                "KGS",
            ),
            (
                self.radio,
                "2017-12-15",
                self.partner_user,
                Status.IN_PROGRESS,
                50,
                "The weekly show with police officers and experts reaches over 15,000 listeners.",
                None,
                "",
            ),
        ):
            self.put(
                m.ProgressUpdate,
                {"initiative": initiative, "reported_on": d(reported_on)},
                {
                    "author": author,
                    "status": status,
                    "percent_complete": percent,
                    "narrative": narrative,
                    "spent_to_date": Decimal(spent) if spent else None,
                    "spent_currency": currency,
                },
            )

    def activity_logs(self) -> None:
        Kind = m.ActivityLog.Kind
        State = m.ActivityLog.ReviewState
        # Dates, places, the split of participants and the leaflet counts are assumed; the 30 trained
        # and the 15,000 listeners are the press release's.
        for values in (
            {
                "initiative": self.training,
                "organisation": self.police,
                "author": self.police_user,
                "occurred_on": d("2017-11-24"),
                "kind": Kind.TRAINING,
                "title": "Crime prevention training with the new manual",
                "description": "Youth inspectors and social workers worked through the new training manual.",
                "place": "Sverdlovsk district, Bishkek",
                "participants_total": 30,
                "participants_women": 17,
                "participants_men": 13,
                "participants_youth": 5,
                "outputs": "30 youth inspectors and social workers trained.",
                "review_state": State.VERIFIED,
                "reviewed_by": self.official_user,
                "reviewed_at": at("2017-11-28T10:00"),
            },
            {
                "initiative": self.leaflets,
                "organisation": self.ngo,
                "author": self.partner_user,
                "occurred_on": d("2017-10-20"),
                "kind": Kind.AWARENESS,
                "title": "Burglary-prevention leaflets handed out in apartment blocks",
                "description": "Volunteers went door to door with advice on preventing burglary and other crime.",
                "place": "Apartment blocks of Sverdlovsk district",
                "participants_total": 12,
                "participants_women": 7,
                "participants_men": 5,
                "participants_youth": 9,
                "audience_reached": 2500,
                "outputs": "2,500 leaflets handed out.",
                "review_state": State.VERIFIED,
                "reviewed_by": self.official_user,
                "reviewed_at": at("2017-10-25T15:30"),
            },
            {
                "initiative": self.leaflets,
                "organisation": self.ngo,
                "author": self.partner_user,
                "occurred_on": d("2018-04-12"),
                "kind": Kind.AWARENESS,
                "title": "Leaflets handed out in Kelechek",
                "description": "Leaflets handed out near the new police station.",
                "place": "Kelechek",
                "participants_total": 8,
                "participants_women": 5,
                "participants_men": 3,
                "participants_youth": 6,
                "audience_reached": 1200,
                "outputs": "1,200 leaflets handed out.",
                "review_state": State.SUBMITTED,
            },
            {
                "initiative": self.video,
                "organisation": self.ngo,
                "author": self.partner_user,
                "occurred_on": d("2017-09-14"),
                "kind": Kind.MEETING,
                "title": "Inhabitants meet local authorities and police",
                "description": "Inhabitants of the apartment block discussed the video cameras and safety "
                "in the block with the district administration and the police.",
                "place": "The apartment block of the pilot",
                "participants_total": 42,
                "participants_women": 24,
                "participants_men": 18,
                "participants_youth": 7,
                "review_state": State.RETURNED,
                "review_note": "Please attach the attendance sheet and say who came from the district "
                "administration and the police.",
                "reviewed_by": self.official_user,
                "reviewed_at": at("2017-09-20T11:15"),
            },
            {
                "initiative": self.radio,
                "organisation": self.ngo,
                "author": self.partner_user,
                "occurred_on": d("2017-12-01"),
                "kind": Kind.MEDIA,
                "title": "Weekly radio show: police officers answer listeners",
                "description": "Police officers and a crime prevention expert on protecting homes from burglary.",
                "place": "Radio studio, Bishkek",
                "participants_total": 3,
                "audience_reached": 15000,
                "outputs": "One weekly broadcast.",
                "review_state": State.VERIFIED,
                "reviewed_by": self.official_user,
                "reviewed_at": at("2017-12-04T09:00"),
            },
            {
                "initiative": self.station,
                "organisation": self.police,
                "author": self.police_user,
                "occurred_on": d("2017-12-19"),
                "kind": Kind.INFRASTRUCTURE,
                "title": "Kelechek police station open",
                "description": "The newly constructed police station in Kelechek opened to residents.",
                "place": "Kelechek",
                "outputs": "One police station built and opened.",
                "review_state": State.VERIFIED,
                "reviewed_by": self.official_user,
                "reviewed_at": at("2017-12-20T10:00"),
            },
            {
                "initiative": self.station,
                "organisation": self.police,
                "author": self.police_user,
                "occurred_on": d("2018-02-15"),
                "kind": Kind.MEETING,
                "title": "Residents meet the officers of the Kelechek station",
                "place": "Kelechek police station",
                "participants_total": 35,
                "participants_women": 19,
                "participants_men": 16,
                "participants_youth": 4,
                "review_state": State.SUBMITTED,
            },
        ):
            key = {name: values.pop(name) for name in ("initiative", "organisation", "occurred_on", "title")}
            self.put(m.ActivityLog, key, values)

    # Evidence -----------------------------------------------------------------------------------

    def statistics(self) -> None:
        Category = m.CrimeStatistic.Category
        # Only the 2016 total comes from the press release (1,341 per 100,000 with the assumed
        # population). Every other figure is assumed for the demo, with a downward trend after the
        # 2017 assessment.
        figures = {
            2016: {
                Category.PUBLIC_ORDER: 610,
                Category.BURGLARY: 420,
                Category.THEFT: 1180,
                Category.ROAD_ACCIDENTS: 260,
                Category.ROAD_DEATHS: 14,
                Category.JUVENILE: 150,
            },
            2017: {
                Category.TOTAL: 3968,
                Category.PUBLIC_ORDER: 590,
                Category.BURGLARY: 405,
                Category.THEFT: 1150,
                Category.ROAD_ACCIDENTS: 255,
                Category.ROAD_DEATHS: 12,
                Category.JUVENILE: 141,
            },
            2018: {
                Category.TOTAL: 3840,
                Category.PUBLIC_ORDER: 555,
                Category.BURGLARY: 372,
                Category.THEFT: 1105,
                Category.ROAD_ACCIDENTS: 241,
                Category.ROAD_DEATHS: 11,
                Category.JUVENILE: 128,
            },
            2019: {
                Category.TOTAL: 3712,
                Category.PUBLIC_ORDER: 530,
                Category.BURGLARY: 351,
                Category.THEFT: 1070,
                Category.ROAD_ACCIDENTS: 236,
                Category.ROAD_DEATHS: 10,
                Category.JUVENILE: 119,
            },
        }
        self.put(
            m.CrimeStatistic,
            {"district": self.sverdlovsk, "year": 2016, "category": Category.TOTAL},
            {"count": 4023, "source": PRESS_RELEASE, "entered_by": self.police_user},
        )
        for year, counts in figures.items():
            for category, count in counts.items():
                self.put(
                    m.CrimeStatistic,
                    {"district": self.sverdlovsk, "year": year, "category": category},
                    {"count": count, "source": ASSUMED, "entered_by": self.police_user},
                )

    def assessment(self) -> None:
        # The assessment's dates, the survey's fieldwork, sample and every survey result are assumed.
        assessment = self.put(
            m.Assessment,
            {"district": self.sverdlovsk, "title": "Crime prevention assessment of Sverdlovsk district"},
            {
                "plan": self.action_plan,
                "conducted_from": d("2017-02-01"),
                "conducted_to": d("2017-09-30"),
                "facilitated_by": self.unodc,
                "methods": "Gathering crime data; analysing risk factors; a survey of people's perceptions "
                "of crime and safety in the district.",
                "findings": (
                    "Every year between 25,000 and 30,000 crimes are registered in Kyrgyzstan. One third "
                    "of them, over 10,000, occur in the capital, Bishkek. With 1,341 crimes per 100,000 "
                    "inhabitants in 2016, Sverdlovsk district has the highest crime rate in the city. "
                    "Four crime and safety issues stand out: public order crime, burglary, road traffic "
                    "accidents and juvenile delinquency."
                ),
            },
        )
        for issue, description in (
            ("public_order", "Kelechek, a densely populated new settlement, had no police station."),
            ("burglary", "Many residents do not know simple measures to protect their homes from burglary."),
            ("road", "Residents raise road traffic accidents among their main safety concerns."),
            ("juvenile", "Youth inspectors and social workers had no crime prevention manual to work from."),
        ):
            self.put(
                m.RiskFactor,
                {"assessment": assessment, "issue": self.issues[issue]},
                {"description": description},
            )

        survey = self.put(
            m.PerceptionSurvey,
            {"district": self.sverdlovsk, "title": "Perceptions of crime and safety in Sverdlovsk district"},
            {
                "assessment": assessment,
                "fieldwork_start": d("2017-04-10"),
                "fieldwork_end": d("2017-05-12"),
                "sample_size": 1000,
                "margin_of_error": Decimal("3.1"),
            },
        )
        Group = m.SurveyResult.Group
        for question, by_group in (
            (
                "Feels safe walking alone in their neighbourhood after dark",
                {Group.ALL: "41.0", Group.WOMEN: "33.0", Group.MEN: "50.0", Group.YOUTH: "45.0"},
            ),
            (
                "Worried that their home will be burgled",
                {Group.ALL: "58.0", Group.WOMEN: "63.0", Group.MEN: "52.0", Group.YOUTH: "49.0"},
            ),
            (
                "Trusts the district police",
                {Group.ALL: "38.0", Group.WOMEN: "40.0", Group.MEN: "36.0", Group.YOUTH: "31.0"},
            ),
        ):
            for group, percent in by_group.items():
                self.put(
                    m.SurveyResult,
                    {"survey": survey, "question": question, "group": group},
                    {"percent": Decimal(percent)},
                )

    def indicators(self) -> None:
        Level = m.Indicator.Level
        Direction = m.Indicator.Direction
        Frequency = m.Indicator.Frequency
        police_statistics = "Sverdlovsk district police statistics (demo figures, assumed)"
        # Baselines follow the 2016 statistics and the 2017 survey; targets and later values are assumed.
        for (
            name,
            unit,
            level,
            direction,
            baseline,
            baseline_on,
            target,
            target_on,
            source,
            frequency,
            links,
            points,
        ) in (
            (
                "Registered burglaries",
                "crimes",
                Level.OUTCOME,
                Direction.DECREASE,
                420,
                "2016-12-31",
                340,
                "2020-12-31",
                police_statistics,
                Frequency.YEARLY,
                {"priority": self.priorities["burglary"]},
                {"2017-12-31": 405, "2018-12-31": 372, "2019-12-31": 351},
            ),
            (
                "Registered public order offences",
                "crimes",
                Level.OUTCOME,
                Direction.DECREASE,
                610,
                "2016-12-31",
                520,
                "2020-12-31",
                police_statistics,
                Frequency.YEARLY,
                {"priority": self.priorities["public_order"]},
                {"2017-12-31": 590, "2018-12-31": 555, "2019-12-31": 530},
            ),
            (
                "Road traffic accidents",
                "accidents",
                Level.OUTCOME,
                Direction.DECREASE,
                260,
                "2016-12-31",
                220,
                "2020-12-31",
                police_statistics,
                Frequency.YEARLY,
                {"priority": self.priorities["road"]},
                {"2017-12-31": 255, "2018-12-31": 241, "2019-12-31": 236},
            ),
            (
                # Past its target by 2019: shows how an overshoot reads.
                "Registered juvenile offences",
                "crimes",
                Level.IMPACT,
                Direction.DECREASE,
                150,
                "2016-12-31",
                120,
                "2020-12-31",
                police_statistics,
                Frequency.YEARLY,
                {"priority": self.priorities["juvenile"]},
                {"2017-12-31": 141, "2018-12-31": 128, "2019-12-31": 119},
            ),
            (
                "Residents who feel safe walking alone after dark",
                "%",
                Level.OUTCOME,
                Direction.INCREASE,
                41,
                "2017-05-12",
                55,
                "2020-12-31",
                "Perception survey (demo figures, assumed)",
                Frequency.YEARLY,
                {"priority": self.priorities["public_order"]},
                {"2019-05-31": 47},
            ),
            (
                "Youth inspectors and social workers trained",
                "people",
                Level.OUTPUT,
                Direction.INCREASE,
                0,
                "2017-01-31",
                30,
                "2017-11-30",
                "Attendance lists",
                Frequency.ONCE,
                {"priority": self.priorities["juvenile"], "initiative": self.training},
                {"2017-11-24": 30},
            ),
            (
                "Weekly radio show listeners",
                "listeners",
                Level.OUTPUT,
                Direction.INCREASE,
                0,
                "2017-02-28",
                15000,
                "2017-12-31",
                "Broadcaster's audience figures",
                Frequency.QUARTERLY,
                {"priority": self.priorities["public_order"], "initiative": self.radio},
                {"2017-12-01": 15000},
            ),
        ):
            indicator = self.put(
                m.Indicator,
                {"plan": self.action_plan, "name": name},
                {
                    "priority": links.get("priority"),
                    "initiative": links.get("initiative"),
                    "unit": unit,
                    "level": level,
                    "direction": direction,
                    "baseline_value": Decimal(baseline),
                    "baseline_on": d(baseline_on),
                    "target_value": Decimal(target),
                    "target_on": d(target_on),
                    "source": source,
                    "frequency": frequency,
                },
            )
            for measured_on, value in points.items():
                self.put(
                    m.Measurement,
                    {"indicator": indicator, "measured_on": d(measured_on)},
                    {"value": Decimal(value), "source": source, "entered_by": self.official_user},
                )

    def meetings(self) -> None:
        Kind = m.Meeting.Kind
        presentation = self.put(
            m.Meeting,
            {"plan": self.action_plan, "kind": Kind.PUBLIC_PRESENTATION, "held_on": d("2017-12-19")},
            {
                "title": "Public presentation of the Sverdlovsk District Crime Prevention Action Plan",
                "place": "Bishkek",
                "attendees": (
                    "Kursan Asanov, Deputy Minister of Internal Affairs\n"
                    "Sandeep Paul, INL Director for Kyrgyzstan, U.S. Embassy in Bishkek\n"
                    "UNODC\n"
                    "Sverdlovsk district administration, Bishkek City Council, school principals, "
                    "Sverdlovsk district police, local crime prevention centres, civil society"
                ),
                "minutes": (
                    "The plan and its four priorities were presented: public order crime, burglary, road "
                    "traffic accidents and juvenile delinquency. The newly constructed police station in "
                    "Kelechek, funded by INL, has opened.\n\n"
                    "Kursan Asanov: “Police-public partnerships are extremely important, especially in "
                    "Bishkek. The assistance provided by UNODC and the U.S. Government allows us to "
                    "enhance our presence and engage more actively with the population in Sverdlovsk "
                    "district. By working together, we can make our city more resilient to crime.”\n\n"
                    "Sandeep Paul: “Grassroots initiatives, such as these in Bishkek, not only increase "
                    "trust and cooperation between the police and the populace, but also facilitate the "
                    "allocation of local government funding for crime prevention.”"
                ),
            },
        )
        # The working-group meeting, its attendance and every decision below are assumed for the demo.
        working_group = self.put(
            m.Meeting,
            {"plan": self.action_plan, "kind": Kind.WORKING_GROUP, "held_on": d("2018-03-15")},
            {
                "title": "Working group: first quarterly review",
                "place": "Sverdlovsk district administration",
                "attendance": 14,
                "attendees": (
                    "Sverdlovsk district administration, Bishkek City Council, Sverdlovsk district police, "
                    "school principals, local crime prevention centres, civil society partner, UNODC"
                ),
                "minutes": "The working group reviewed the first quarter of the plan, initiative by initiative.",
            },
        )
        for meeting, text, initiative, responsible, due_on, is_done in (
            (
                presentation,
                "Publish the action plan for the residents of the district.",
                None,
                self.administration,
                "2018-01-31",
                True,
            ),
            (
                working_group,
                "Hand out burglary-prevention leaflets in Kelechek.",
                self.leaflets,
                self.ngo,
                "2018-04-30",
                True,
            ),
            (
                working_group,
                "Review the video-camera pilot with the inhabitants and the police before extending it.",
                self.video,
                self.administration,
                "2018-06-30",
                False,
            ),
            (
                working_group,
                "Invite police officers from the Kelechek station to the radio show.",
                self.radio,
                self.police,
                "2018-05-31",
                True,
            ),
        ):
            self.put(
                m.MeetingDecision,
                {"meeting": meeting, "text": text},
                {
                    "initiative": initiative,
                    "responsible": responsible,
                    "due_on": d(due_on),
                    "is_done": is_done,
                },
            )

    # Public safety ------------------------------------------------------------------------------

    def hotspots(self) -> None:
        Kind = m.Hotspot.Kind
        # Coordinates are approximate, for the map. A hotspot without a district covers its region:
        # Osh Bazaar and downtown Bishkek lie outside Sverdlovsk district, in the city around it.
        for region, district, name, kind, risks, description, advice, lat, lon in (
            (
                self.bishkek,
                None,
                "Osh Bazaar",
                Kind.MARKET,
                ["pickpocketing"],
                "Bishkek's large market. Pickpocketing is common in crowded places such as markets, "
                "especially Osh Bazaar.",
                "Watch your belongings in crowded places. Never voluntarily give your wallet to anybody."
                " Report crimes to the police at 112.",
                "42.874600",
                "74.569700",
            ),
            (
                self.bishkek,
                None,
                "Downtown Bishkek at night",
                Kind.NIGHTLIFE,
                ["mugging"],
                "Muggings of foreigners have been reported in downtown Bishkek at night. Violent crime is "
                "rare in Bishkek, but attackers do not always avoid violent confrontation with their victims.",
                "Avoid walking alone downtown at night. Report crimes to the police at 112.",
                "42.876500",
                "74.603700",
            ),
            (
                self.batken,
                None,
                "Border areas with Tajikistan in Batken province",
                Kind.BORDER,
                ["border_tensions", "drug_trafficking"],
                "The security situation remains fluid along the Kyrgyz-Tajik border due to ethnic and "
                "cross-border tensions and narco-trafficking routes. The border areas with Tajikistan in "
                "Batken province are particularly sensitive and have a significant police and military "
                "presence.",
                "Limit travel to Batken province. The border areas are closed to foreigners, and travel "
                "along the Tajik border requires a permit.",
                "40.062000",
                "70.819000",
            ),
            (
                self.cochabamba_department,
                self.cochabamba,
                "Coronilla Hill",
                Kind.HILL,
                ["mugging"],
                "A hill in Cochabamba next to the main bus terminal, known for crime.",
                "Avoid Coronilla Hill. Report crimes to the police at 110; the tourist police help in "
                "English.",
                "-17.404500",
                "-66.160000",
            ),
            (
                self.la_paz_department,
                self.la_paz,
                "Taxis in La Paz late at night",
                Kind.TRANSPORT,
                ["express_kidnapping", "impostors"],
                "Express kidnappings, in which people are robbed and forced to withdraw money from cash "
                "machines, occur infrequently in La Paz. Criminals sometimes pose as police to rob "
                "foreigners.",
                "Use only marked (radio) taxis and don't travel alone, particularly late at night or under "
                "the influence of alcohol or other substances.",
                "-16.495800",
                "-68.133500",
            ),
            (
                self.la_paz_department,
                None,
                "Bus route from Copacabana to La Paz",
                Kind.TRANSPORT,
                ["bag_theft"],
                "Theft of bags, wallets and backpacks is a problem on buses, especially overnight buses.",
                "Arrive during daylight hours if possible, verify the final destination, and buy tickets "
                "directly at the bus terminal. Never leave personal items unattended.",
                None,
                None,
            ),
        ):
            hotspot = self.put(
                m.Hotspot,
                {"region": region, "name": name},
                {
                    "district": district,
                    "kind": kind,
                    "description": description,
                    "advice": advice,
                    "latitude": Decimal(lat) if lat else None,
                    "longitude": Decimal(lon) if lon else None,
                    "is_published": True,
                },
            )
            self.link(hotspot.risks, [self.risks[key] for key in risks])

    def safety_contacts(self) -> None:
        Kind = m.SafetyContact.Kind
        for country, district, kind, name, phone, city, services, order in (
            (
                self.kg,
                None,
                Kind.EMERGENCY,
                "Police and emergencies",
                "112",
                "",
                "Report crimes to the local police. The police are generally responsive to reports of "
                "crimes; local authorities investigate and prosecute them.",
                1,
            ),
            (
                self.bo,
                None,
                Kind.POLICE,
                "Police",
                "110",
                "",
                "Report crimes to the local police; local authorities investigate and prosecute them.",
                1,
            ),
            (
                self.bo,
                self.la_paz,
                Kind.TOURIST_POLICE,
                "National Tourism Police, La Paz office",
                "800-14-0081",
                "La Paz",
                "Free assistance in English to tourists.",
                2,
            ),
            (
                self.bo,
                self.cochabamba,
                Kind.TOURIST_POLICE,
                "National Tourism Police, Cochabamba office",
                "+591 (4) 450-3880",
                "Cochabamba",
                "Free assistance in English to tourists.",
                3,
            ),
        ):
            self.put(
                m.SafetyContact,
                {"country": country, "name": name},
                {
                    "district": district,
                    "kind": kind,
                    "phone": phone,
                    "city": city,
                    "services": services,
                    "order": order,
                },
            )
