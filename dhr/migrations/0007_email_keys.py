"""Addresses stored as they are now matched (dhr.sign_in.email_key): NFKC, case-folded, trimmed."""

from django.db import migrations

from dhr.sign_in import email_key


def normalise(apps, schema_editor):
    User = apps.get_model("dhr", "User")
    for user in User.objects.only("pk", "email"):
        key = email_key(user.email)
        if key != user.email:
            User.objects.filter(pk=user.pk).update(email=key)


class Migration(migrations.Migration):
    dependencies = [("dhr", "0006_user_history")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
