"""Each escalation of one action becomes an escalation of its review and agency covering that
one action, from the moment it was proposed. None is merged with another (the chair decided
each on its own, and an approved one's letter named its one action): only the chase's later
proposals gather an agency's actions on a review into one.

The history follows: every version of an escalation gets its review, and each action covered
gets the history row of its joining, by whoever proposed the escalation, when it was proposed.

Going back puts each escalation's action back, which only an escalation covering one action
can take: with one covering more, going back stops and says which.
"""

from django.db import migrations

JOINED = "Covered since the escalation was proposed"


def forward(apps, schema_editor):
    Escalation = apps.get_model("recommendations", "Escalation")
    EscalatedAction = apps.get_model("recommendations", "EscalatedAction")
    HistoricalEscalation = apps.get_model("recommendations", "HistoricalEscalation")
    HistoricalEscalatedAction = apps.get_model("recommendations", "HistoricalEscalatedAction")
    Action = apps.get_model("recommendations", "Action")
    review_of = dict(
        Action.objects.filter(
            pk__in=Escalation.objects.filter(action__isnull=False).values("action")
        ).values_list("pk", "recommendation__review")
    )
    for escalation in Escalation.objects.filter(action__isnull=False).order_by("pk"):
        escalation.review_id = review_of[escalation.action_id]
        escalation.save(update_fields=["review"])
        covered = EscalatedAction.objects.create(
            escalation=escalation, action_id=escalation.action_id
        )
        # auto_now_add set it to now: it joined when the escalation was proposed.
        EscalatedAction.objects.filter(pk=covered.pk).update(added_at=escalation.proposed_at)
        HistoricalEscalatedAction.objects.create(
            id=covered.pk,
            escalation_id=escalation.pk,
            action_id=escalation.action_id,
            added_at=escalation.proposed_at,
            history_date=escalation.proposed_at,
            history_type="+",
            history_user_id=escalation.proposed_by_id,
            history_change_reason=JOINED,
        )
    for action_id, review_id in review_of.items():
        HistoricalEscalation.objects.filter(action_id=action_id).update(review_id=review_id)


def backward(apps, schema_editor):
    Escalation = apps.get_model("recommendations", "Escalation")
    EscalatedAction = apps.get_model("recommendations", "EscalatedAction")
    HistoricalEscalation = apps.get_model("recommendations", "HistoricalEscalation")
    covering = {}
    for escalation_id, action_id in EscalatedAction.objects.values_list(
        "escalation_id", "action_id"
    ):
        covering.setdefault(escalation_id, []).append(action_id)
    several = sorted(pk for pk, actions in covering.items() if len(actions) > 1)
    if several:
        raise RuntimeError(
            "These escalations cover more than one action, which an escalation before this "
            f"migration cannot: {', '.join(map(str, several))}. Nothing was changed."
        )
    for escalation_id, [action_id] in covering.items():
        Escalation.objects.filter(pk=escalation_id).update(action_id=action_id)
        HistoricalEscalation.objects.filter(id=escalation_id).update(action_id=action_id)
    EscalatedAction.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0006_escalation_review_and_actions")]

    operations = [migrations.RunPython(forward, backward)]
