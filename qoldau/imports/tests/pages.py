"""The import pages through Django's test client: a signed-in client, and an upload whose
job runs at once."""

from django.test import Client


def signed_in(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["qoldau_language"] = language
    return client


def upload(client, world, file, capture, kind="deliveries", target=None):
    field = "project" if kind == "deliveries" else "organisation"
    target = target or (world.project.pk if kind == "deliveries" else world.almaty_ngo.pk)
    with capture(execute=True):
        return client.post(f"/imports/{kind}/new/", {field: target, "file": file})
