"""Users, organisations and memberships in the admin, with their history.

The administrator creates a user without a password, with their memberships inline; once saved, the
user gets an e-mail with a link to choose their password (``accounts.admin_forms``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_forms import UserInviteForm, send_set_password_link
from accounts.models import Membership, Organisation, User
from prevention.admin.base import AnnotatedChangeList, DomainInline


class _AnnotatedListMixin:
    def get_changelist(self, request: HttpRequest, **kwargs):
        return AnnotatedChangeList

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset


class UserMembershipInline(DomainInline):
    model = Membership
    fields = ["organisation", "role", "districts"]
    autocomplete_fields = ["organisation", "districts"]
    row_select_related = ("user", "organisation")
    row_prefetch_related = ("districts",)

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new user without a membership sees nothing: offer one row to fill in.
        return 1 if obj is None else 0


@admin.register(User)
class UserAdmin(_AnnotatedListMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    add_form = UserInviteForm
    add_form_template = None
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "first_name", "last_name", "preferred_language"],
            },
        ),
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "roles",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = [
        "is_active",
        "is_staff",
        "is_superuser",
        "memberships__role",
        "preferred_language",
        "groups",
    ]
    search_fields = ["username", "first_name", "last_name", "email", "memberships__organisation__name"]
    inlines = [UserMembershipInline]
    actions = ["send_password_links"]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("memberships__organisation")

    @admin.display(description=_("memberships"))
    def roles(self, obj: User) -> str:
        return "; ".join(f"{m.organisation} · {m.get_role_display()}" for m in obj.memberships.all())

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            user = form.instance
            # Only once the user and the memberships are in the database: a failed save sends nothing.
            transaction.on_commit(lambda: self._send_link_to_new_user(request, user))

    def _send_link_to_new_user(self, request: HttpRequest, user: User) -> None:
        if send_set_password_link(user, request=request):
            self.message_user(
                request,
                _("A link to choose a password was sent to %(email)s.") % {"email": user.email},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _(
                    "The e-mail to %(email)s could not be sent. Try again later with the action "
                    "“E-mail a link to choose a password” in the list of users."
                )
                % {"email": user.email},
                messages.WARNING,
            )

    @admin.action(description=_("E-mail a link to choose a password"), permissions=["change"])
    def send_password_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        with_address = [user for user in queryset if user.email]
        sent = sum(send_set_password_link(user, request=request) for user in with_address)
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d user received a link.", "%(count)d users received a link.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )
        missed = len(queryset) - sent
        if missed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d user got no link: no e-mail address, or the mail server refused it.",
                    "%(count)d users got no link: no e-mail address, or the mail server refused it.",
                    missed,
                )
                % {"count": missed},
                messages.WARNING,
            )


class OrganisationMembershipInline(DomainInline):
    model = Membership
    fields = ["user", "role", "districts"]
    autocomplete_fields = ["user", "districts"]
    row_select_related = ("user", "organisation")
    row_prefetch_related = ("districts",)


@admin.register(Organisation)
class OrganisationAdmin(_AnnotatedListMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "country", "member_count", "contact_email"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["country"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [OrganisationMembershipInline]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Organisation) -> int:
        return obj.member_count


@admin.register(Membership)
class MembershipAdmin(_AnnotatedListMixin, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "district_names", "created_at"]
    list_filter = ["role", "organisation__kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "user__last_name", "organisation__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "organisation", "districts"]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("districts")

    @admin.display(description=_("districts"))
    def district_names(self, obj: Membership) -> str:
        return ", ".join(district.name for district in obj.districts.all())
