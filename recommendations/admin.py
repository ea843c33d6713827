from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from recommendations.models import (
    Action,
    ActionUpdate,
    EscalatedAction,
    Escalation,
    Recommendation,
    Theme,
    UpdateRequest,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["review", "number", "scope", "lead_agency"]
    list_filter = ["scope"]
    raw_id_fields = ["review"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "owner_agency", "target_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["recommendation", "contact"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "author", "submitted_at", "new_status", "state"]
    list_filter = ["state"]
    raw_id_fields = ["action", "author", "reviewed_by"]


@admin.register(UpdateRequest)
class UpdateRequestAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "sent_at", "due_on"]
    raw_id_fields = ["sent_by"]


class EscalatedActionInline(admin.TabularInline):
    model = EscalatedAction
    raw_id_fields = ["action"]
    readonly_fields = ["added_at"]
    extra = 0


@admin.register(Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "agency", "review", "status", "proposed_at"]
    list_filter = ["status"]
    raw_id_fields = ["review", "requested", "proposed_by", "decided_by"]
    inlines = [EscalatedActionInline]
