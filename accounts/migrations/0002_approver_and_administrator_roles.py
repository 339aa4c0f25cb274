from django.db import migrations

ROLES = ("Approver", "Administrator")


def create_roles(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    # The Administrator's permissions are given after migrate (accounts.roles), once every
    # app's permissions exist.
    dependencies = [("accounts", "0001_roles")]

    operations = [migrations.RunPython(create_roles, delete_roles)]
