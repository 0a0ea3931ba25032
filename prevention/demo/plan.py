"""The Sverdlovsk District Crime Prevention Action Plan: priorities, initiatives, money, milestones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.models import Organisation, User
from prevention import models as m
from prevention.demo.base import Demo, d


def issues(demo: Demo) -> None:
    demo.issues = {
        key: demo.put(m.PriorityIssue, {"name": name}, {"description": description})
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


def action_plan(demo: Demo) -> None:
    Status = m.ActionPlan.Status
    demo.action_plan = demo.put(
        m.ActionPlan,
        {"district": demo.sverdlovsk, "title": "Sverdlovsk District Crime Prevention Action Plan"},
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
    # Problem statements and objectives are the demo's wording of the four priorities.
    Evidence = m.PlanPriority.Evidence

    def priority(rank: int, key: str, **values: Any) -> m.PlanPriority:
        return demo.put(
            m.PlanPriority,
            {"plan": demo.action_plan, "issue": demo.issues[key]},
            values,
            # Ranks are unique within the plan: resetting one after someone reordered would collide.
            initial={"rank": rank},
        )

    demo.priorities = {
        "public_order": priority(
            1,
            "public_order",
            problem_statement="Sverdlovsk district has the highest crime rate in Bishkek: 1,341 crimes "
            "per 100,000 inhabitants in 2016. Kelechek, a densely populated new settlement, had no "
            "police station.",
            evidence_source=Evidence.STATISTICS,
            evidence="Registered crime data gathered by the 2017 assessment.",
            objective="More police presence and police-public partnership, so that residents feel "
            "safe in public places.",
        ),
        "burglary": priority(
            2,
            "burglary",
            problem_statement="Burglaries of flats weigh on residents' sense of safety.",
            evidence_source=Evidence.SURVEY,
            evidence="The 2017 survey of people's perceptions of crime and safety.",
            objective="Fewer burglaries, through residents who know how to protect their homes and "
            "apartment blocks watched together with the police.",
        ),
        "road": priority(
            3,
            "road",
            problem_statement="Road traffic accidents are among the district's main safety issues.",
            evidence_source=Evidence.ASSESSMENT,
            evidence="The 2017 crime prevention assessment.",
            objective="Fewer road traffic accidents.",
        ),
        "juvenile": priority(
            4,
            "juvenile",
            problem_statement="Youth inspectors and social workers had little training in crime prevention.",
            evidence_source=Evidence.ASSESSMENT,
            evidence="The 2017 crime prevention assessment (risk factors).",
            objective="Less juvenile delinquency, through youth inspectors and social workers trained "
            "in crime prevention.",
        ),
    }


def initiatives(demo: Demo) -> None:
    Status = m.Initiative.Status
    Role = m.InitiativePartner.Role

    def initiative(priority: str, title: str, partners: list[tuple], **values: Any) -> m.Initiative:
        obj = demo.put(m.Initiative, {"priority": demo.priorities[priority], "title": title}, values)
        for organisation, role, responsibility in partners:
            demo.put(
                m.InitiativePartner,
                {"initiative": obj, "organisation": organisation},
                {"role": role, "responsibility": responsibility},
            )
        return obj

    # Start and end dates are assumed: the press release says the initiatives ran "all throughout"
    # 2017 and the police station was open by 19 December 2017.
    demo.station = initiative(
        "public_order",
        "Kelechek police station",
        [
            (demo.police, Role.LEAD, "Runs the new police station."),
            (demo.ministry, Role.SUPPORTING, "Staffs the station; police-public partnership."),
            (demo.unodc, Role.SUPPORTING, "Supports community policing in Sverdlovsk district."),
            (demo.inl, Role.FUNDING, "Funds the construction (2 million Kyrgyz soms)."),
        ],
        description=(
            "A newly constructed police station in Kelechek, a densely populated new settlement in "
            "Sverdlovsk district, to support implementation of the crime prevention plan."
        ),
        objective="Enhance the police presence and engage more actively with the population.",
        lead_organisation=demo.police,
        starts_on=d("2017-03-01"),
        ends_on=d("2017-12-19"),
        location="Kelechek, Sverdlovsk district, Bishkek",
        planned_outputs="A police station built and opened in Kelechek.",
        budget=Decimal("2000000.00"),
        budget_currency="KGS",
        status=Status.COMPLETED,
        means_of_verification="The station open to the public; INL funding records.",
    )
    demo.radio = initiative(
        "public_order",
        "Weekly radio show on crime prevention",
        [
            (demo.ngo, Role.LEAD, "Produces the weekly show."),
            (demo.police, Role.IMPLEMENTING, "Police officers speak on the show."),
            (demo.unodc, Role.SUPPORTING, "Subject matter experts and technical support."),
            (demo.inl, Role.FUNDING, "Funds the show through UNODC."),
        ],
        description=(
            "A radio show on crime prevention involving police officers and other subject matter "
            "experts, broadcast every week."
        ),
        objective="Residents know how to prevent crime and trust the police.",
        lead_organisation=demo.ngo,
        starts_on=d("2017-03-01"),
        # Ongoing, as a weekly show is: no end date, and its progress comes from the updates.
        ends_on=None,
        location="Bishkek (radio)",
        planned_outputs="A weekly show reaching over 15,000 listeners.",
        status=Status.IN_PROGRESS,
        risks="Airtime depends on the broadcaster's schedule.",
        means_of_verification="Broadcast schedule; listener figures.",
    )
    demo.video = initiative(
        "burglary",
        "Video cameras and inhabitants' engagement in an apartment block (pilot)",
        [
            (demo.administration, Role.LEAD, "Leads the pilot with the inhabitants."),
            (demo.ngo, Role.IMPLEMENTING, "Organises the inhabitants' meetings; installs the cameras."),
            (demo.police, Role.IMPLEMENTING, "Meets the inhabitants; responds to what the cameras show."),
            (demo.council, Role.SUPPORTING, "Local authority engagement with the inhabitants."),
            (demo.unodc, Role.SUPPORTING, "Designs the pilot."),
            (demo.inl, Role.FUNDING, "Funds the cameras through UNODC."),
        ],
        description=(
            "A pilot project focused on engagement of inhabitants with local authorities and police, "
            "and installation of video cameras in and around an apartment block."
        ),
        objective="Inhabitants, local authorities and police keep the apartment block safe together.",
        lead_organisation=demo.administration,
        starts_on=d("2017-04-01"),
        ends_on=d("2018-12-31"),
        location="An apartment block in Sverdlovsk district",
        planned_outputs="Video cameras in and around the block; regular meetings of inhabitants with "
        "local authorities and police.",
        status=Status.DELAYED,
        risks="Inhabitants' consent for the cameras; maintenance after the pilot.",
        means_of_verification="Meeting records; installation report.",
    )
    demo.leaflets = initiative(
        "burglary",
        "Burglary-prevention leaflets",
        [
            (demo.police, Role.LEAD, "Writes the prevention advice."),
            (demo.ngo, Role.IMPLEMENTING, "Hands out the leaflets."),
            (demo.centres, Role.IMPLEMENTING, "Hands out the leaflets in their neighbourhoods."),
            (demo.administration, Role.FUNDING, "Pays for printing from the district budget."),
        ],
        description="Leaflets raise public awareness of measures to prevent burglary and other crime.",
        objective="Residents take simple measures to protect their homes.",
        lead_organisation=demo.police,
        starts_on=d("2017-06-01"),
        # Ongoing: no end date, and its progress comes from the updates.
        ends_on=None,
        location="Sverdlovsk district",
        planned_outputs="Leaflets handed out across the district.",
        status=Status.IN_PROGRESS,
        means_of_verification="Distribution records.",
    )
    demo.training = initiative(
        "juvenile",
        "Crime prevention training for youth inspectors and social workers",
        [
            (demo.police, Role.LEAD, "Sends its youth inspectors."),
            (demo.ngo, Role.IMPLEMENTING, "Organises the training sessions."),
            (demo.schools, Role.SUPPORTING, "School principals nominate social workers."),
            (demo.centres, Role.SUPPORTING, "Share their experience of local crime prevention."),
            (demo.unodc, Role.SUPPORTING, "Writes the new training manual and trains the trainers."),
            (demo.inl, Role.FUNDING, "Funds the training through UNODC."),
        ],
        description=(
            "A group of around 30 youth inspectors and social workers increase their knowledge and "
            "skills on crime prevention using a new training manual."
        ),
        objective="Youth inspectors and social workers prevent juvenile delinquency.",
        lead_organisation=demo.police,
        starts_on=d("2017-02-01"),
        ends_on=d("2017-11-30"),
        location="Sverdlovsk district, Bishkek",
        planned_outputs="A new training manual; about 30 youth inspectors and social workers trained.",
        status=Status.COMPLETED,
        means_of_verification="Attendance lists; the training manual.",
    )


def funding(demo: Demo) -> None:
    Source = m.FundingLine.Source

    def line(initiative: m.Initiative, funder: Organisation, currency: str, **values: Any) -> m.FundingLine:
        return demo.put(
            m.FundingLine, {"initiative": initiative, "funder": funder, "currency": currency}, values
        )

    # The press release's figure; the commitment date is assumed.
    station = line(
        demo.station,
        demo.inl,
        "KGS",
        source_type=Source.DONOR,
        amount=Decimal("2000000.00"),
        committed_on=d("2017-03-01"),
        note="Construction of the new police station in Kelechek.",
    )
    demo.put(
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
        demo.training,
        demo.inl,
        "USD",
        source_type=Source.DONOR,
        amount=Decimal("12000.00"),
        committed_on=d("2017-01-15"),
        note="Through UNODC. Amount assumed for the demo.",
    )
    demo.put(
        m.Spending,
        {"funding_line": training, "spent_on": d("2017-06-20"), "description": "New training manual"},
        {"amount": Decimal("4500.00")},
    )
    demo.put(
        m.Spending,
        {"funding_line": training, "spent_on": d("2017-11-24"), "description": "Training sessions"},
        {"amount": Decimal("7000.00")},
    )
    video = line(
        demo.video,
        demo.inl,
        "USD",
        source_type=Source.DONOR,
        amount=Decimal("9500.00"),
        committed_on=d("2017-03-15"),
        note="Through UNODC. Amount assumed for the demo.",
    )
    demo.put(
        m.Spending,
        {
            "funding_line": video,
            "spent_on": d("2017-09-30"),
            "description": "Video cameras and installation",
        },
        {"amount": Decimal("7800.00")},
    )
    line(
        demo.radio,
        demo.inl,
        "USD",
        source_type=Source.DONOR,
        amount=Decimal("6000.00"),
        committed_on=d("2017-02-15"),
        note="Through UNODC. Amount assumed for the demo.",
    )
    leaflets = line(
        demo.leaflets,
        demo.administration,
        "KGS",
        source_type=Source.LOCAL_BUDGET,
        amount=Decimal("150000.00"),
        committed_on=d("2017-06-01"),
        note="District budget. Amount assumed for the demo.",
    )
    demo.put(
        m.Spending,
        {"funding_line": leaflets, "spent_on": d("2017-09-15"), "description": "Printing of leaflets"},
        {"amount": Decimal("60000.00")},
    )
    demo.put(
        m.Spending,
        {
            "funding_line": leaflets,
            "spent_on": d("2018-03-30"),
            "description": "Second print run of leaflets",
        },
        {"amount": Decimal("25000.00")},
    )


def milestones_and_updates(demo: Demo) -> None:
    def milestone(
        initiative: m.Initiative,
        title: str,
        *,
        due: str,
        weight: int = 1,
        done: str | None = None,
        by: User | None = None,
        evidence: str = "",
    ) -> None:
        demo.put(
            m.Milestone,
            {"initiative": initiative, "title": title},
            {
                "due_on": d(due),
                "weight": weight,
                "status": m.Milestone.Status.DONE if done else m.Milestone.Status.PENDING,
                "completed_on": d(done) if done else None,
                "completed_by": by if done else None,
                "evidence_note": evidence,
            },
        )

    # Due and completion dates are assumed. The review of the video-camera pilot is the one
    # overdue milestone. The leaflets and the radio show are ongoing and have none: their progress
    # comes from their latest update.
    police, official = demo.police_user, demo.official_user
    milestone(
        demo.station, "Construction completed", due="2017-11-30", weight=3, done="2017-11-28", by=police
    )
    milestone(
        demo.station,
        "Police station opened",
        due="2017-12-19",
        done="2017-12-19",
        by=police,
        evidence="Presented at the public event in Bishkek on 19 December 2017.",
    )
    milestone(demo.training, "New training manual ready", due="2017-06-30", done="2017-06-20", by=police)
    milestone(
        demo.training,
        "About 30 youth inspectors and social workers trained",
        due="2017-11-30",
        weight=2,
        done="2017-11-24",
        by=police,
        evidence="Attendance list of 30 participants.",
    )
    milestone(
        demo.video,
        "Inhabitants agree the pilot with local authorities and police",
        due="2017-05-31",
        done="2017-05-25",
        by=official,
    )
    milestone(
        demo.video,
        "Video cameras installed in and around the apartment block",
        due="2017-09-30",
        weight=2,
        done="2017-09-28",
        by=official,
    )
    milestone(demo.video, "Review of the pilot with inhabitants and police", due="2018-06-30")

    def update(
        initiative: m.Initiative,
        reported_on: str,
        author: User,
        status: str,
        percent: int,
        narrative: str,
        spent: str | None = None,
        currency: str = "",
    ) -> None:
        demo.put(
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

    # Reporting dates, percentages and spending are assumed, except the station's 2 million soms.
    Status = m.Initiative.Status
    update(
        demo.station,
        "2017-12-19",
        police,
        Status.COMPLETED,
        100,
        "The newly constructed police station in Kelechek is open.",
        "2000000.00",
        "KGS",
    )
    update(
        demo.training,
        "2017-11-30",
        police,
        Status.COMPLETED,
        100,
        "Around 30 youth inspectors and social workers were trained with the new manual.",
        "11500.00",
        "USD",
    )
    update(
        demo.video,
        "2017-10-15",
        official,
        Status.IN_PROGRESS,
        60,
        "Video cameras are installed in and around the apartment block; inhabitants meet local "
        "authorities and police.",
        "7800.00",
        "USD",
    )
    update(
        demo.video,
        "2018-07-16",
        official,
        Status.DELAYED,
        70,
        "The review of the pilot with inhabitants and police, due by the end of June, has not taken "
        "place yet.",
        "7800.00",
        "USD",
    )
    update(
        demo.leaflets,
        "2017-11-15",
        police,
        Status.IN_PROGRESS,
        60,
        "Burglary-prevention leaflets were handed out across the district.",
        "60000.00",
        "KGS",
    )
    update(
        demo.leaflets,
        "2018-04-20",
        police,
        Status.IN_PROGRESS,
        70,
        "A second round of leaflets was handed out in Kelechek, near the new police station.",
        "85000.00",
        "KGS",
    )
    update(
        demo.radio,
        "2017-12-15",
        demo.partner_user,
        Status.IN_PROGRESS,
        50,
        "The weekly show with police officers and experts reaches over 15,000 listeners.",
    )
    update(
        demo.radio,
        "2019-06-10",
        demo.partner_user,
        Status.IN_PROGRESS,
        70,
        "The show goes on every week; police officers from the Kelechek station now take part.",
    )
