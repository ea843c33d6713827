"""The Home Office QA part of a review's whole record (`reviews.records`): its letters, points,
publication steps, copies of the approved report, report texts, anonymity terms, findings and
acceptances with their histories, the letters' original files and the PDF bundles. At the end of
the retention period the confidential terms, findings and acceptances (real names and dates) are
deleted, with the letters' original files and every bundle but the final published one."""

from qa_feedback.models import (
    AnonymityAcceptance,
    AnonymityFinding,
    ConfidentialTerm,
    PublicationBundle,
    PublicationStep,
    QALetter,
    QALetterFile,
    QAPoint,
    ReportCopy,
    ReportText,
)
from reviews.records import REMOVED, as_json, files, remove_file, with_history


def parts(review) -> dict[str, bytes]:
    out = with_history("qa-letter", QALetter.objects.filter(review=review))
    out |= with_history("qa-point", QAPoint.objects.filter(letter__review=review))
    out |= with_history("publication-step", PublicationStep.objects.filter(review=review))
    out |= with_history("report-copy", ReportCopy.objects.filter(review=review))
    out |= with_history("report-text", ReportText.objects.filter(review=review))
    out |= with_history("confidential-term", ConfidentialTerm.objects.filter(review=review))
    out |= with_history("anonymity-acceptance", AnonymityAcceptance.objects.filter(review=review))
    bundles = PublicationBundle.objects.filter(review=review)
    out["publication-bundle.json"] = as_json(bundles)
    out["anonymity-finding.json"] = as_json(AnonymityFinding.objects.filter(bundle__review=review))
    out |= files("qa-letters", QALetterFile.objects.filter(letter__review=review))
    for bundle in bundles:
        if bundle.file:
            with bundle.file.open("rb") as f:
                out[f"bundles/{bundle.filename}"] = f.read()
    return out


def scrub(review) -> None:
    for model in (ConfidentialTerm, AnonymityAcceptance):
        records = model.objects.filter(review=review)
        model.history.filter(id__in=list(records.values_list("pk", flat=True))).update(
            value=REMOVED
        )
        records.delete()
    AnonymityFinding.objects.filter(bundle__review=review).delete()
    for original in QALetterFile.objects.filter(letter__review=review):
        remove_file(original)
    published = PublicationBundle.objects.filter(review=review, final=True, state="done").last()
    for bundle in PublicationBundle.objects.filter(review=review).exclude(
        pk=published.pk if published else None
    ):
        remove_file(bundle)
