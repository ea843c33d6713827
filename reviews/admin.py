from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import DecisionQAView, Extension, HomeOfficeNotice, Reminder, Review


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "victim_pseudonym", "partnership", "status", "notified_on"]
    list_filter = ["status", "partnership"]
    search_fields = ["reference", "victim_pseudonym"]
    raw_id_fields = ["decided_by", "signed_off_by", "terms_of_reference_document"]


@admin.register(Extension)
class ExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["review", "requested_on", "new_due_on", "status", "decided_on"]
    list_filter = ["status"]
    raw_id_fields = ["review", "requested_by", "decided_by"]


@admin.register(DecisionQAView)
class DecisionQAViewAdmin(SimpleHistoryAdmin):
    list_display = ["review", "view", "received_on", "decision_on"]
    list_filter = ["view"]
    raw_id_fields = ["review", "recorded_by", "decided_by"]


@admin.register(HomeOfficeNotice)
class HomeOfficeNoticeAdmin(admin.ModelAdmin):
    """What the Home Office was sent, read-only: it is kept as sent."""

    list_display = ["review", "told_on", "decision_on", "proceed"]
    readonly_fields = [f.name for f in HomeOfficeNotice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log, read-only: deleting a row would let its reminder be sent again."""

    list_display = ["created_at", "review", "what", "due_on", "step"]
    list_filter = ["object_type", "partnership"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
