"""What was done and measured: activity logs, crime statistics, the assessment, indicators, meetings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from prevention import models as m
from prevention.demo.base import ASSUMED, PRESS_RELEASE, Demo, at, d


def activity_logs(demo: Demo) -> None:
    Kind = m.ActivityLog.Kind
    State = m.ActivityLog.ReviewState
    # Dates, places, the split of participants and the leaflet counts are assumed; the 30 trained
    # and the 15,000 listeners are the press release's.
    for values in (
        {
            "initiative": demo.training,
            "organisation": demo.police,
            "author": demo.police_user,
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
            "reviewed_by": demo.official_user,
            "reviewed_at": at("2017-11-28T10:00"),
        },
        {
            "initiative": demo.leaflets,
            "organisation": demo.ngo,
            "author": demo.partner_user,
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
            "reviewed_by": demo.official_user,
            "reviewed_at": at("2017-10-25T15:30"),
        },
        {
            "initiative": demo.leaflets,
            "organisation": demo.ngo,
            "author": demo.partner_user,
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
            "initiative": demo.video,
            "organisation": demo.ngo,
            "author": demo.partner_user,
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
            "reviewed_by": demo.official_user,
            "reviewed_at": at("2017-09-20T11:15"),
        },
        {
            "initiative": demo.radio,
            "organisation": demo.ngo,
            "author": demo.partner_user,
            "occurred_on": d("2017-12-01"),
            "kind": Kind.MEDIA,
            "title": "Weekly radio show: police officers answer listeners",
            "description": "Police officers and a crime prevention expert on protecting homes from burglary.",
            "place": "Radio studio, Bishkek",
            "participants_total": 3,
            "audience_reached": 15000,
            "outputs": "One weekly broadcast.",
            "review_state": State.VERIFIED,
            "reviewed_by": demo.official_user,
            "reviewed_at": at("2017-12-04T09:00"),
        },
        {
            "initiative": demo.station,
            "organisation": demo.police,
            "author": demo.police_user,
            "occurred_on": d("2017-12-19"),
            "kind": Kind.INFRASTRUCTURE,
            "title": "Kelechek police station open",
            "description": "The newly constructed police station in Kelechek opened to residents.",
            "place": "Kelechek",
            "outputs": "One police station built and opened.",
            "review_state": State.VERIFIED,
            "reviewed_by": demo.official_user,
            "reviewed_at": at("2017-12-20T10:00"),
        },
        {
            "initiative": demo.station,
            "organisation": demo.police,
            "author": demo.police_user,
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
        # What a log leaves out is reset too, so that a log someone reviewed goes back to its demo state.
        blank = dict.fromkeys(("participants_total", "participants_women", "participants_men"), 0)
        blank |= {"participants_youth": 0, "audience_reached": 0, "description": "", "outputs": ""}
        blank |= {"review_note": "", "reviewed_by": None, "reviewed_at": None}
        demo.put(m.ActivityLog, key, blank | values)


def statistics(demo: Demo) -> None:
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
    demo.put(
        m.CrimeStatistic,
        {"district": demo.sverdlovsk, "year": 2016, "category": Category.TOTAL},
        {"count": 4023, "source": PRESS_RELEASE, "entered_by": demo.police_user},
    )
    for year, counts in figures.items():
        for category, count in counts.items():
            demo.put(
                m.CrimeStatistic,
                {"district": demo.sverdlovsk, "year": year, "category": category},
                {"count": count, "source": ASSUMED, "entered_by": demo.police_user},
            )


def assessment(demo: Demo) -> None:
    # The assessment's dates, the survey's fieldwork, sample and every survey result are assumed.
    assessment = demo.put(
        m.Assessment,
        {"district": demo.sverdlovsk, "title": "Crime prevention assessment of Sverdlovsk district"},
        {
            "plan": demo.action_plan,
            "conducted_from": d("2017-02-01"),
            "conducted_to": d("2017-09-30"),
            "facilitated_by": demo.unodc,
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
        demo.put(
            m.RiskFactor,
            {"assessment": assessment, "issue": demo.issues[issue]},
            {"description": description},
        )

    survey = demo.put(
        m.PerceptionSurvey,
        {"district": demo.sverdlovsk, "title": "Perceptions of crime and safety in Sverdlovsk district"},
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
            demo.put(
                m.SurveyResult,
                {"survey": survey, "question": question, "group": group},
                {"percent": Decimal(percent)},
            )


def indicators(demo: Demo) -> None:
    Level = m.Indicator.Level
    Direction = m.Indicator.Direction
    Frequency = m.Indicator.Frequency

    def indicator(name: str, *, baseline: tuple[int, str], target: tuple[int, str], **values: Any) -> None:
        points = values.pop("points")
        obj = demo.put(
            m.Indicator,
            {"plan": demo.action_plan, "name": name},
            {
                "priority": None,
                "initiative": None,
                "baseline_value": Decimal(baseline[0]),
                "baseline_on": d(baseline[1]),
                "target_value": Decimal(target[0]),
                "target_on": d(target[1]),
                "frequency": Frequency.YEARLY,
                **values,
            },
        )
        for measured_on, value in points.items():
            demo.put(
                m.Measurement,
                {"indicator": obj, "measured_on": d(measured_on)},
                {"value": Decimal(value), "source": obj.source, "entered_by": demo.official_user},
            )

    # Baselines follow the 2016 statistics and the 2017 survey; targets and later values are assumed.
    statistics = "Sverdlovsk district police statistics (demo figures, assumed)"
    yearly = ("2017-12-31", "2018-12-31", "2019-12-31")
    crimes = {
        "unit": "crimes",
        "level": Level.OUTCOME,
        "direction": Direction.DECREASE,
        "source": statistics,
    }
    indicator(
        "Registered burglaries",
        baseline=(420, "2016-12-31"),
        target=(340, "2020-12-31"),
        priority=demo.priorities["burglary"],
        points=dict(zip(yearly, (405, 372, 351), strict=True)),
        **crimes,
    )
    indicator(
        "Registered public order offences",
        baseline=(610, "2016-12-31"),
        target=(520, "2020-12-31"),
        priority=demo.priorities["public_order"],
        points=dict(zip(yearly, (590, 555, 530), strict=True)),
        **crimes,
    )
    indicator(
        "Road traffic accidents",
        baseline=(260, "2016-12-31"),
        target=(220, "2020-12-31"),
        priority=demo.priorities["road"],
        points=dict(zip(yearly, (255, 241, 236), strict=True)),
        **{**crimes, "unit": "accidents"},
    )
    # Past its target by 2019: shows how an overshoot reads.
    indicator(
        "Registered juvenile offences",
        baseline=(150, "2016-12-31"),
        target=(120, "2020-12-31"),
        priority=demo.priorities["juvenile"],
        points=dict(zip(yearly, (141, 128, 119), strict=True)),
        **{**crimes, "level": Level.IMPACT},
    )
    indicator(
        "Residents who feel safe walking alone after dark",
        unit="%",
        level=Level.OUTCOME,
        direction=Direction.INCREASE,
        baseline=(41, "2017-05-12"),
        target=(55, "2020-12-31"),
        source="Perception survey (demo figures, assumed)",
        priority=demo.priorities["public_order"],
        points={"2019-05-31": 47},
    )
    indicator(
        "Youth inspectors and social workers trained",
        unit="people",
        level=Level.OUTPUT,
        direction=Direction.INCREASE,
        baseline=(0, "2017-01-31"),
        target=(30, "2017-11-30"),
        source="Attendance lists",
        frequency=Frequency.ONCE,
        priority=demo.priorities["juvenile"],
        initiative=demo.training,
        points={"2017-11-24": 30},
    )
    indicator(
        "Weekly radio show listeners",
        unit="listeners",
        level=Level.OUTPUT,
        direction=Direction.INCREASE,
        baseline=(0, "2017-02-28"),
        target=(15000, "2017-12-31"),
        source="Broadcaster's audience figures",
        frequency=Frequency.QUARTERLY,
        priority=demo.priorities["public_order"],
        initiative=demo.radio,
        points={"2017-12-01": 15000},
    )


def meetings(demo: Demo) -> None:
    Kind = m.Meeting.Kind
    presentation = demo.put(
        m.Meeting,
        {"plan": demo.action_plan, "kind": Kind.PUBLIC_PRESENTATION, "held_on": d("2017-12-19")},
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
    # The working-group meeting and its attendance are assumed for the demo.
    working_group = demo.put(
        m.Meeting,
        {"plan": demo.action_plan, "kind": Kind.WORKING_GROUP, "held_on": d("2018-03-15")},
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

    def decision(meeting: m.Meeting, text: str, *, due: str, done: bool, **values: Any) -> None:
        demo.put(
            m.MeetingDecision,
            {"meeting": meeting, "text": text},
            {"initiative": None, "due_on": d(due), "is_done": done, **values},
        )

    # Every decision is assumed for the demo, as is the working-group meeting itdemo.
    decision(
        presentation,
        "Publish the action plan for the residents of the district.",
        responsible=demo.administration,
        due="2018-01-31",
        done=True,
    )
    decision(
        working_group,
        "Hand out burglary-prevention leaflets in Kelechek.",
        initiative=demo.leaflets,
        responsible=demo.ngo,
        due="2018-04-30",
        done=True,
    )
    decision(
        working_group,
        "Review the video-camera pilot with the inhabitants and the police before extending it.",
        initiative=demo.video,
        responsible=demo.administration,
        due="2018-06-30",
        done=False,
    )
    decision(
        working_group,
        "Invite police officers from the Kelechek station to the radio show.",
        initiative=demo.radio,
        responsible=demo.police,
        due="2018-05-31",
        done=True,
    )
