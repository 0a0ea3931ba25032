"""The organisations of the press release and one demo account per role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.models import Membership, Organisation, User
from prevention import models as m
from prevention.demo.base import DEMO_PASSWORD, Demo, DemoAccount


def organisations(demo: Demo) -> None:
    kind = Organisation.Kind

    def org(name: str, short_name: str, org_kind: str, country: m.Country | None) -> Organisation:
        return demo.put(
            Organisation, {"name": name, "country": country}, {"short_name": short_name, "kind": org_kind}
        )

    demo.administration = org(
        "Sverdlovsk district administration",
        "District administration",
        kind.DISTRICT_ADMINISTRATION,
        demo.kg,
    )
    demo.council = org("Bishkek City Council", "City council", kind.COUNCIL, demo.kg)
    demo.police = org("Sverdlovsk district police", "District police", kind.POLICE, demo.kg)
    demo.ministry = org(
        "Ministry of Internal Affairs of the Kyrgyz Republic",
        "Ministry of Internal Affairs",
        kind.MINISTRY,
        demo.kg,
    )
    # The press release names school principals, local crime prevention centres and civil society
    # but no particular school, centre or NGO: these rows stand for them under descriptive names.
    demo.schools = org("Sverdlovsk district schools", "Schools", kind.SCHOOL, demo.kg)
    demo.centres = org(
        "Local crime prevention centres of Sverdlovsk district",
        "Crime prevention centres",
        kind.CRIME_PREVENTION_CENTRE,
        demo.kg,
    )
    demo.ngo = org("Sverdlovsk civil society partner (NGO)", "Civil society partner", kind.NGO, demo.kg)
    demo.unodc = org("United Nations Office on Drugs and Crime (UNODC)", "UNODC", kind.UN_AGENCY, None)
    demo.inl = org(
        "Bureau of International Narcotics and Law Enforcement Affairs (INL), U.S. Department of State",
        "INL",
        kind.DONOR,
        None,
    )


def users(demo: Demo) -> None:
    Role = Membership.Role
    demo.admin = _user(demo, "admin", "Demo", "Administrator", is_superuser=True)
    demo.result.accounts.append(DemoAccount("admin", "administrator", "", demo.admin.has_usable_password()))
    for username, last_name, organisation, role, districts in (
        ("official", "Official", demo.administration, Role.OFFICIAL, [demo.sverdlovsk]),
        ("police", "Police", demo.police, Role.POLICE, [demo.sverdlovsk]),
        ("partner", "Partner", demo.ngo, Role.PARTNER, [demo.sverdlovsk]),
        # Donors see what their organisation funds, wherever it is: their membership has no district.
        ("donor", "Donor", demo.inl, Role.DONOR, []),
    ):
        user = _user(demo, username, "Demo", last_name)
        membership = demo.put(Membership, {"user": user, "organisation": organisation, "role": role})
        demo.link(membership.districts, districts)
        setattr(demo, f"{username}_user", user)
        demo.result.accounts.append(
            DemoAccount(username, role, organisation.name, user.has_usable_password())
        )


def _user(demo: Demo, username: str, first_name: str, last_name: str, *, is_superuser: bool = False) -> User:
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
        demo.result.created += 1
        dirty = True
    else:
        changed = [name for name, value in values.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, values[name])
        dirty = bool(changed)
        if changed:
            demo.result.changed += 1
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
        demo.result.kept_passwords.append(username)
    if dirty:
        user.save()
    return user
