from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm

from journal.models import (
    AccessLog,
    Device,
    Interaction,
    InteractionTactic,
    OutgoingMail,
    Reflection,
    ReminderSent,
    Share,
    Submission,
    Summary,
    UnsentMessage,
    User,
)
from journal.reports.summaries import summaries_rebuild, summaries_refresh
from journal.services import interactions_delete


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "partner_name", "timezone", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "week_start"]
    search_fields = ["email", "partner_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Journal", {"fields": tuple(User.SETTINGS)}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(User.SUMMARIZED):
            summaries_rebuild(owner=obj)

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        ),
    ]


class InteractionTacticInline(admin.TabularInline):
    model = InteractionTactic
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["date", "owner", "kind", "approach", "initiator", "response", "is_private"]
    list_filter = ["kind", "approach", "initiator", "response", "channel", "is_private", "date"]
    search_fields = ["owner__email", "note"]
    date_hierarchy = "date"
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    inlines = [InteractionTacticInline]

    # Each change is counted into the weekly summaries of the weeks it touched, as
    # the journal's own writes are (journal.reports.summaries).
    def save_model(self, request, obj, form, change) -> None:
        before = Interaction.objects.filter(pk=obj.pk).values_list("owner", "date").first()
        super().save_model(request, obj, form, change)
        obj._before = before

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        entry = form.instance
        dates = [entry.date]
        if entry._before:
            owner_id, date = entry._before
            if owner_id == entry.owner_id:
                dates.append(date)
            else:
                summaries_refresh(owner=User.objects.get(pk=owner_id), dates=[date])
        summaries_refresh(owner=entry.owner, dates=dates)

    def delete_model(self, request, obj) -> None:
        interactions_delete(owner=obj.owner, entries=Interaction.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        for owner in User.objects.filter(interactions__in=queryset).distinct():
            interactions_delete(owner=owner, entries=queryset.filter(owner=owner))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InteractionTactic)
class InteractionTacticAdmin(ReadOnlyAdmin):
    """Read-only: tags change with their interaction (the inline above), which keeps
    the journal's version and weekly summaries up to date."""

    list_display = ["interaction", "tactic"]
    list_filter = ["tactic"]
    search_fields = ["interaction__owner__email"]
    raw_id_fields = ["interaction"]


@admin.register(Summary)
class SummaryAdmin(ReadOnlyAdmin):
    """Read-only: kept by every write to the entries (`manage.py summaries --rebuild`
    recomputes them)."""

    list_display = ["start", "span", "owner", "shared", "entries"]
    list_filter = ["span", "shared"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["week_start", "owner", "updated_at"]
    list_filter = ["week_start"]
    search_fields = ["owner__email"]
    date_hierarchy = "week_start"
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["week_start", "user", "claimed_at", "sent_at"]
    list_filter = ["week_start"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    # The bodies hold links that sign people in or accept invitations: not shown.
    fields = ("created_at", "subject", "recipients", "sent_at", "attempts", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "agent", "signed_in_at", "last_seen"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "owner", "key", "answer"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ["owner", "email", "counselor", "invited_at", "accepted_at", "revoked_at"]
    list_filter = ["include_reflections", "invited_at", "accepted_at", "revoked_at"]
    search_fields = ["owner__email", "email", "counselor__email"]
    list_select_related = ["owner", "counselor"]
    raw_id_fields = ["owner", "counselor"]
    readonly_fields = ["token_hash"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "share", "what", "target"]
    list_filter = ["what", "viewed_at"]
    search_fields = ["share__owner__email", "share__email"]
    list_select_related = ["share", "share__owner"]
    raw_id_fields = ["share"]


@admin.register(UnsentMessage)
class UnsentMessageAdmin(ReadOnlyAdmin):
    """When and how, never what: the text is the person's alone."""

    list_display = ["created_at", "owner", "approach"]
    fields = ["owner", "approach", "created_at"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]
