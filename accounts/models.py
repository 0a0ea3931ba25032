from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships, never from this row."""

    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages are shown in this language after sign-in."),
    )

    objects = UserManager()
    # Passwords and sign-in times change too often and say nothing about who may do what.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Sign-in accepts an e-mail address, so two accounts may not share one.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Another user already has this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DISTRICT_ADMINISTRATION = "district_administration", _("District administration")
        COUNCIL = "council", _("Council")
        POLICE = "police", _("Police unit")
        SCHOOL = "school", _("School")
        CRIME_PREVENTION_CENTRE = "crime_prevention_centre", _("Local crime prevention centre")
        NGO = "ngo", _("NGO")
        COMMUNITY_GROUP = "community_group", _("Community group")
        MEDIA = "media", _("Media")
        DONOR = "donor", _("Donor")
        UN_AGENCY = "un_agency", _("UN agency")
        MINISTRY = "ministry", _("Ministry")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.ForeignKey(
        "prevention.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Empty for international organisations."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"],
                name="organisation_name_country_unique",
                violation_error_message=_("An organisation of this name already exists in this country."),
            ),
            # International organisations have no country; NULLs are distinct in a unique index, so
            # their names need a constraint of their own (portable, unlike nulls_distinct).
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(country__isnull=True),
                name="organisation_name_unique_international",
                violation_error_message=_("An international organisation of this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_police(self) -> bool:
        return self.kind == self.Kind.POLICE


class Membership(models.Model):
    """A user's place in an organisation: the role decides what they may do, the districts where."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("Local official")
        POLICE = "police", _("Police")
        PARTNER = "partner", _("Partner staff")
        DONOR = "donor", _("Donor staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    districts = models.ManyToManyField(
        "prevention.District",
        verbose_name=_("districts"),
        blank=True,
        related_name="memberships",
        help_text=_("A membership with no districts sees nothing (donors see what they fund)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("This user already has this role in this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
