"""Every agency contact there is serves every partnership there is.

Until 0016 a contact reached their agency's actions in every partnership. Giving each existing
contact every existing partnership keeps it so: nothing changes for anyone on upgrade. An
administrator then narrows each contact to the partnerships they really serve.

Nothing to undo going back: 0016's table goes with its field.
"""

from django.db import migrations


def serve_every_partnership(apps, schema_editor):
    AgencyContact = apps.get_model("dhr", "AgencyContact")
    Partnership = apps.get_model("dhr", "Partnership")
    through = AgencyContact.partnerships.through
    partnerships = list(Partnership.objects.values_list("pk", flat=True))
    through.objects.bulk_create(
        (
            through(agencycontact_id=contact, partnership_id=partnership)
            for contact in AgencyContact.objects.values_list("pk", flat=True)
            for partnership in partnerships
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("dhr", "0016_agency_contact_partnerships")]

    operations = [migrations.RunPython(serve_every_partnership, migrations.RunPython.noop)]
