from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from dhr.models import (
    Agency,
    AgencyContact,
    AuditEvent,
    Membership,
    OutgoingEmail,
    Partnership,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class AgencyContactInline(admin.TabularInline):
    """A contact at an agency, for the partnerships they serve (at least one): they reach the
    agency's actions in those partnerships only."""

    model = AgencyContact
    extra = 0
    fields = ["agency", "job_title", "partnerships"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_superuser"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "name", "password1", "password2")}),)
    inlines = [MembershipInline, AgencyContactInline]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "object_type", "object_id", "detail"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what is waiting, what failed and why."""

    list_display = ["created_at", "subject", "status", "attempts", "sent_at", "partnership"]
    list_filter = ["status", "partnership"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
