from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from qa_feedback import workflow
from qa_feedback.models import OwnPublicationStep, PublicationStep, QALetter, QAPoint, ReportCopy


class QAPointInline(admin.TabularInline):
    model = QAPoint
    extra = 0
    fields = ["number", "text", "category", "status", "response"]


class QALetterAdminForm(forms.ModelForm):
    """A letter's dates corrected here keep the rules the coordinator's form keeps (a letter
    still being checked may lack them: the coordinator enters them when recording it). The
    admin makes it a form of every field of the letter."""

    def clean(self):
        cleaned = super().clean()
        review = cleaned.get("review")
        if review is None:
            return cleaned
        wrong = workflow.letter_dates_wrong(
            review,
            letter_date=cleaned.get("letter_date"),
            received_on=cleaned.get("received_on"),
            panel_date=cleaned.get("panel_date"),
            today=timezone.localdate(),
        )
        recorded = cleaned.get("state") == QALetter.State.RECORDED
        for name, message in wrong.items():
            if name not in self.errors and (recorded or cleaned.get(name) is not None):
                self.add_error(name, message)
        return cleaned


@admin.register(QALetter)
class QALetterAdmin(SimpleHistoryAdmin):
    form = QALetterAdminForm
    list_display = ["review", "letter_date", "outcome", "state"]
    list_filter = ["state", "outcome"]
    inlines = [QAPointInline]


@admin.register(PublicationStep)
class PublicationStepAdmin(SimpleHistoryAdmin):
    list_display = ["review", "item", "own_step", "done_on", "done_by"]


@admin.register(ReportCopy)
class ReportCopyAdmin(SimpleHistoryAdmin):
    list_display = ["review", "agency", "sent_on", "method", "recorded_by"]


@admin.register(OwnPublicationStep)
class OwnPublicationStepAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "text", "added_on", "removed_on"]
