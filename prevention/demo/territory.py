"""Kyrgyzstan with Bishkek, Sverdlovsk district and Batken; Bolivia with La Paz and Cochabamba."""

from __future__ import annotations

from prevention import models as m
from prevention.demo.base import Demo


def countries(demo: Demo) -> None:
    demo.kg = demo.put(m.Country, {"iso_code": "KG"}, {"name": "Kyrgyzstan", "currency": "KGS"})
    demo.bishkek = demo.put(m.Region, {"country": demo.kg, "name": "Bishkek"}, {"kind": m.Region.Kind.CITY})
    demo.batken = demo.put(m.Region, {"country": demo.kg, "name": "Batken"}, {"kind": m.Region.Kind.OBLAST})
    # The population is assumed: 300,000 in 2016 is the figure at which the 4,023 crimes registered
    # that year give the press release's rate of 1,341 per 100,000 inhabitants.
    demo.sverdlovsk = demo.put(
        m.District,
        {"region": demo.bishkek, "name": "Sverdlovsk district"},
        {"kind": m.District.Kind.CITY_DISTRICT, "population": 300_000, "population_year": 2016},
    )

    demo.bo = demo.put(m.Country, {"iso_code": "BO"}, {"name": "Bolivia", "currency": "BOB"})
    demo.la_paz_department = demo.put(
        m.Region, {"country": demo.bo, "name": "La Paz"}, {"kind": m.Region.Kind.DEPARTMENT}
    )
    demo.cochabamba_department = demo.put(
        m.Region, {"country": demo.bo, "name": "Cochabamba"}, {"kind": m.Region.Kind.DEPARTMENT}
    )
    # No population for the Bolivian municipalities: the advisory gives none, and a district
    # without one shows how rates read when the figure is missing.
    demo.la_paz = demo.put(
        m.District,
        {"region": demo.la_paz_department, "name": "La Paz"},
        {"kind": m.District.Kind.MUNICIPALITY},
    )
    demo.cochabamba = demo.put(
        m.District,
        {"region": demo.cochabamba_department, "name": "Cochabamba"},
        {"kind": m.District.Kind.MUNICIPALITY},
    )
