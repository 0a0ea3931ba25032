"""Public safety from the travel advisories: risks, hotspots and the numbers to call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from prevention import models as m
from prevention.demo.base import Demo


def risks(demo: Demo) -> None:
    # The risks the advisories name; descriptions and advice are theirs.
    demo.risks = {
        key: demo.put(m.Risk, {"name": name}, {"description": description})
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


def hotspots(demo: Demo) -> None:
    Kind = m.Hotspot.Kind

    def hotspot(
        region: m.Region, name: str, *, risks: list[str], coordinates: tuple[str, str] | None, **values
    ) -> None:
        obj = demo.put(
            m.Hotspot,
            {"region": region, "name": name},
            {
                "district": None,
                "latitude": Decimal(coordinates[0]) if coordinates else None,
                "longitude": Decimal(coordinates[1]) if coordinates else None,
                "is_published": True,
                **values,
            },
        )
        demo.link(obj.risks, [demo.risks[key] for key in risks])

    # Descriptions and advice are the advisories'. Coordinates are approximate, for the map. A
    # hotspot without a district covers its region: Osh Bazaar and downtown Bishkek lie outside
    # Sverdlovsk district, in the city around it.
    hotspot(
        demo.bishkek,
        "Osh Bazaar",
        kind=Kind.MARKET,
        risks=["pickpocketing"],
        description="Bishkek's large market. Pickpocketing is common in crowded places such as "
        "markets, especially Osh Bazaar.",
        advice="Watch your belongings in crowded places. Never voluntarily give your wallet to anybody. "
        "Report crimes to the police at 112.",
        coordinates=("42.874600", "74.569700"),
    )
    hotspot(
        demo.bishkek,
        "Downtown Bishkek at night",
        kind=Kind.NIGHTLIFE,
        risks=["mugging"],
        description="Muggings of foreigners have been reported in downtown Bishkek at night. Violent "
        "crime is rare in Bishkek, but attackers do not always avoid violent confrontation with their "
        "victims.",
        advice="Avoid walking alone downtown at night. Report crimes to the police at 112.",
        coordinates=("42.876500", "74.603700"),
    )
    hotspot(
        demo.batken,
        "Border areas with Tajikistan in Batken province",
        kind=Kind.BORDER,
        risks=["border_tensions", "drug_trafficking"],
        description="The security situation remains fluid along the Kyrgyz-Tajik border due to ethnic "
        "and cross-border tensions and narco-trafficking routes. The border areas with Tajikistan in "
        "Batken province are particularly sensitive and have a significant police and military "
        "presence.",
        advice="Limit travel to Batken province. The border areas are closed to foreigners, and travel "
        "along the Tajik border requires a permit.",
        coordinates=("40.062000", "70.819000"),
    )
    hotspot(
        demo.cochabamba_department,
        "Coronilla Hill",
        district=demo.cochabamba,
        kind=Kind.HILL,
        # The advisory says only "due to crime"; mugging is the demo's reading of it.
        risks=["mugging"],
        description="A hill in Cochabamba next to the main bus terminal, avoided due to crime.",
        advice="Avoid Coronilla Hill. Report crimes to the police at 110; the tourist police help in "
        "English.",
        coordinates=("-17.404500", "-66.160000"),
    )
    hotspot(
        demo.la_paz_department,
        "Taxis in La Paz late at night",
        district=demo.la_paz,
        kind=Kind.TRANSPORT,
        risks=["express_kidnapping", "impostors"],
        description="Express kidnappings, in which people are robbed and forced to withdraw money from "
        "cash machines, occur infrequently in La Paz. Organised criminal groups sometimes pose as "
        "police to rob foreigners.",
        advice="Use only marked (radio) taxis and don't travel alone, particularly late at night or "
        "under the influence of alcohol or other substances.",
        coordinates=("-16.495800", "-68.133500"),
    )
    hotspot(
        demo.la_paz_department,
        "Bus route from Copacabana to La Paz",
        kind=Kind.TRANSPORT,
        risks=["bag_theft"],
        description="Theft of bags, wallets and backpacks is a problem in tourist areas and on buses, "
        "especially overnight buses.",
        advice="Arrive during daylight hours if possible, verify the final destination, and buy tickets "
        "directly at the bus terminal. Never leave personal items unattended.",
        coordinates=None,
    )


def safety_contacts(demo: Demo) -> None:
    Kind = m.SafetyContact.Kind

    def contact(country: m.Country, name: str, **values: Any) -> None:
        demo.put(
            m.SafetyContact, {"country": country, "name": name}, {"district": None, "city": "", **values}
        )

    # What each can do is the advisories' wording.
    contact(
        demo.kg,
        "Police and emergencies",
        kind=Kind.EMERGENCY,
        phone="112",
        services="Report crimes to the local police. The police are generally responsive to reports of "
        "crimes; local authorities investigate and prosecute them.",
        order=1,
    )
    contact(
        demo.bo,
        "Police",
        kind=Kind.POLICE,
        phone="110",
        services="Report crimes to the local police; local authorities investigate and prosecute them.",
        order=1,
    )
    contact(
        demo.bo,
        "National Tourism Police, La Paz office",
        district=demo.la_paz,
        city="La Paz",
        kind=Kind.TOURIST_POLICE,
        phone="800-14-0081",
        services="Free assistance in English to tourists.",
        order=2,
    )
    contact(
        demo.bo,
        "National Tourism Police, Cochabamba office",
        district=demo.cochabamba,
        city="Cochabamba",
        kind=Kind.TOURIST_POLICE,
        phone="+591 (4) 450-3880",
        services="Free assistance in English to tourists.",
        order=3,
    )
