from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import Review


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "victim_pseudonym", "partnership", "status", "notified_on"]
    list_filter = ["status", "partnership"]
    search_fields = ["reference", "victim_pseudonym"]
    raw_id_fields = ["decided_by", "signed_off_by", "terms_of_reference_document"]
