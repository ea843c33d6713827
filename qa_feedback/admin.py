from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qa_feedback.models import PublicationStep, QALetter, QAPoint


class QAPointInline(admin.TabularInline):
    model = QAPoint
    extra = 0
    fields = ["number", "text", "category", "status", "response"]


@admin.register(QALetter)
class QALetterAdmin(SimpleHistoryAdmin):
    list_display = ["review", "letter_date", "outcome", "state"]
    list_filter = ["state", "outcome"]
    inlines = [QAPointInline]


@admin.register(PublicationStep)
class PublicationStepAdmin(SimpleHistoryAdmin):
    list_display = ["review", "item", "done_on", "done_by"]
