"""The import pages through Django's test client: upload, column mapping, the dry run on
the job page, the write; and who may do it. Jobs run at once (tests run tasks eagerly)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qoldau.core.models import AuditEntry, BackgroundJob
from qoldau.core.tests import factories
from qoldau.imports.models import ImportRun
from qoldau.imports.tasks import upload_path
from qoldau.imports.tests.files import KK, delivery
from qoldau.imports.tests.pages import signed_in, upload
from qoldau.projects.models import ServiceDelivery
from qoldau.projects.tests import factories as project_factories

pytestmark = pytest.mark.django_db


def csv_upload(header, rows, name="deliveries.csv"):
    lines = [",".join(header)] + [",".join(str(c) for c in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def job_of(response):
    match = re.fullmatch(r"/jobs/([0-9a-f-]+)/", response["Location"])
    assert match, response["Location"]
    return BackgroundJob.objects.get(pk=match[1])


def test_an_import_behind_the_proxy_is_audited_with_the_clients_address(
    world, settings, django_capture_on_commit_callbacks
):
    settings.QOLDAU_TRUSTED_PROXY_COUNT = 1
    client = signed_in(world.almaty_staff)
    client.defaults.update(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    rows = [delivery(factories.valid_iin())]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    with django_capture_on_commit_callbacks(execute=True):
        write = job_of(client.post(f"/imports/jobs/{dry_run.pk}/write/"))
    assert (dry_run.params["ip_address"], write.params["ip_address"]) == ("203.0.113.7", "203.0.113.7")
    # The job's audit rows, written by the worker, carry the address it was started from.
    assert AuditEntry.objects.get(action="imports.deliveries").ip_address == "203.0.113.7"


def test_upload_dry_run_then_write(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    page = client.get("/imports/deliveries/new/")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    rows = [delivery(factories.valid_iin()), delivery(world.almaty_people[0].iin, day="2025-03-02")]
    response = upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    dry_run = job_of(response)
    assert (dry_run.kind, dry_run.status) == ("imports.dry_run", "succeeded")
    assert dry_run.result["total"] == 2
    assert not ServiceDelivery.objects.exists()

    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "Dry run of deliveries.csv" in page
    assert "Write these 2 rows" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    write = job_of(response)
    assert (write.kind, write.status) == ("imports.write", "succeeded"), write.error
    assert ServiceDelivery.objects.count() == 2
    entry = AuditEntry.objects.get(action="imports.deliveries")
    assert (entry.actor, entry.channel, entry.ip_address) == (world.almaty_staff, "web", "127.0.0.1")
    page = client.get(f"/jobs/{write.pk}/").content.decode()
    assert "Deliveries recorded" in page
    assert "Go to the project" in page
    # The upload (personal data in clear) is gone once written.
    assert not upload_path(write.params["upload"], write.params["file_name"]).exists()

    history = client.get("/imports/").content.decode()
    assert "deliveries.csv" in history
    assert ImportRun.objects.get().job_id == write.pk


def test_bad_rows_are_listed_on_the_job_page_and_cannot_be_written(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    rows = [delivery(factories.valid_iin()), delivery(factories.valid_iin(), service="juggling")]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "1 row has errors: nothing can be written" in page
    assert (
        '<td class="number">3</td><td>Қызмет</td><td>There is no service “juggling” in the catalogue.</td>'
        in page
    )
    assert "Write these" not in page
    response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    assert response.status_code == 302
    assert job_of(response) == dry_run
    assert not BackgroundJob.objects.filter(kind="imports.write").exists()


def test_reasons_are_shown_in_the_readers_language(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    rows = [delivery(factories.valid_iin(), quantity="-1")]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    english = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "The quantity must be a positive number" in english
    client.cookies["qoldau_language"] = "kk"
    assert client.get(f"/jobs/{dry_run.pk}/").status_code == 200


def test_unrecognised_headers_lead_to_the_column_mapping_step(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    header = ["Кто", "Что", "Когда", "Сколько"]
    rows = [[world.almaty_people[0].iin, "legal_consultation", "2025-03-01", "2"]]
    response = upload(client, world, csv_upload(header, rows), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    columns_url = response["Location"]
    assert columns_url.startswith("/imports/uploads/")
    page = client.get(columns_url).content.decode()
    assert '<label for="id_column_0">Column 1, “Кто”' in page
    assert page.count("<select") == 4
    assert "For example: legal_consultation" in page
    assert "These values have no column yet:" in page

    # A mapping that still lacks a required field is refused, naming it.
    response = client.post(columns_url, {"column_0": "iin", "column_1": "service"})
    assert response.status_code == 400
    assert "The file has no column for: Date" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            columns_url,
            {"column_0": "iin", "column_1": "service", "column_2": "date", "column_3": "quantity"},
        )
    dry_run = job_of(response)
    assert dry_run.params["mapping"] == ["iin", "service", "date", "quantity"]
    assert (dry_run.result["total"], dry_run.result["errors_total"]) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    write = job_of(response)
    assert write.status == "succeeded", write.error
    assert ServiceDelivery.objects.get().quantity == 2


def test_another_users_upload_or_job_is_not_found(world, django_capture_on_commit_callbacks):
    owner = signed_in(world.almaty_staff)
    response = upload(owner, world, csv_upload(["Кто"], [["1"]]), django_capture_on_commit_callbacks)
    colleague = signed_in(world.almaty_admin)
    assert colleague.get(response["Location"]).status_code == 404
    dry_run = job_of(
        upload(owner, world, csv_upload(KK, [delivery("1")]), django_capture_on_commit_callbacks)
    )
    assert colleague.get(f"/jobs/{dry_run.pk}/").status_code == 404
    assert colleague.post(f"/imports/jobs/{dry_run.pk}/write/").status_code == 404


def test_people_import_on_the_page(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    file = csv_upload(
        ["IIN", "Last name", "First name"], [[factories.valid_iin(), "Ли", "Анна"]], name="people.csv"
    )
    dry_run = job_of(upload(client, world, file, django_capture_on_commit_callbacks, kind="people"))
    assert dry_run.result["people_created"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    write = job_of(response)
    assert write.result["people_created"] == 1
    assert "People registered" in client.get(f"/jobs/{write.pk}/").content.decode()


def test_a_file_of_the_wrong_type_is_refused_on_the_form(world, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    file = SimpleUploadedFile("deliveries.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = upload(client, world, file, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Give an .xlsx or a .csv file" in response.content.decode()
    empty = SimpleUploadedFile("deliveries.csv", b"IIN,Service,Date\n", content_type="text/csv")
    response = upload(client, world, empty, django_capture_on_commit_callbacks)
    assert "The file has no rows to import." in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_ngo_staff_import_only_into_their_organisations_projects(world, django_capture_on_commit_callbacks):
    other = signed_in(world.turkistan_staff)
    # Without a project of their own there is nothing to import deliveries into.
    assert other.get("/imports/deliveries/new/").status_code == 403
    project_factories.project(world.turkistan_admin, world.turkistan_ngo)
    assert other.get("/imports/deliveries/new/").status_code == 200
    response = upload(other, world, csv_upload(KK, [delivery("1")]), django_capture_on_commit_callbacks)
    assert response.status_code == 404
    response = upload(
        other, world, csv_upload(["IIN", "Last name", "First name"], [["1", "a", "b"]]),
        django_capture_on_commit_callbacks, kind="people",
    )  # fmt: skip
    assert response.status_code == 404
    # An akimat officer sees the project but does not import; without an organisation
    # there is no import page at all.
    assert signed_in(world.akimat_almaty).get("/imports/deliveries/new/").status_code == 403
    assert signed_in(world.akimat_almaty).get("/imports/").status_code == 403
    assert signed_in(world.ministry).get("/imports/people/new/").status_code == 403
    assert Client().get("/imports/").status_code == 302
    assert not BackgroundJob.objects.exists()


def test_history_lists_only_the_users_organisations(world, tmp_path, django_assert_max_num_queries):
    from qoldau.imports.services import ImportSource, import_deliveries
    from qoldau.imports.tests.files import write_file

    path = write_file(tmp_path, [delivery(factories.valid_iin())])
    import_deliveries(
        actor=world.almaty_staff, project=world.project, source=ImportSource(path, "almaty.csv")
    )
    turkistan_project = project_factories.project(world.turkistan_admin, world.turkistan_ngo)
    path = write_file(tmp_path, [delivery(factories.valid_iin(), names=("A", "B", ""))], name="t.csv")
    import_deliveries(
        actor=world.turkistan_staff, project=turkistan_project, source=ImportSource(path, "turk.csv")
    )
    client = signed_in(world.almaty_staff)
    client.get("/imports/")
    with django_assert_max_num_queries(12):
        page = client.get("/imports/").content.decode()
    assert "almaty.csv" in page
    assert "turk.csv" not in page


def test_uploads_never_written_are_removed_after_a_day(world, settings, django_capture_on_commit_callbacks):
    import os
    import time

    stale = settings.MEDIA_ROOT / "imports" / "0123abcd"
    stale.mkdir(parents=True)
    (stale / "old.csv").write_text("IIN\n")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))
    client = signed_in(world.almaty_staff)
    upload(
        client, world, csv_upload(KK, [delivery(factories.valid_iin())]), django_capture_on_commit_callbacks
    )
    assert not stale.exists()
    assert len(list((settings.MEDIA_ROOT / "imports").iterdir())) == 1


# Uploads are removed when their import ends -----------------------------------------------


def kept_uploads(settings):
    folder = settings.MEDIA_ROOT / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_upload_whose_dry_run_finds_bad_rows_is_removed(
    world, settings, django_capture_on_commit_callbacks
):
    client = signed_in(world.almaty_staff)
    rows = [delivery(factories.valid_iin()), delivery(factories.valid_iin(), service="juggling")]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    assert dry_run.result["errors_total"] == 1
    assert kept_uploads(settings) == []


def test_an_upload_whose_dry_run_fails_is_removed(world, settings, django_capture_on_commit_callbacks):
    # Past the rows the header is looked for in (read on uploading), so the dry run meets it.
    settings.QOLDAU_IMPORT_MAX_CELLS = 8 * 25
    client = signed_in(world.almaty_staff)
    rows = [delivery(factories.valid_iin()) for _ in range(30)]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    assert dry_run.status == BackgroundJob.Status.FAILED
    assert "more than 200 cells" in dry_run.error
    assert kept_uploads(settings) == []


def test_an_upload_whose_write_fails_is_removed(world, settings, django_capture_on_commit_callbacks):
    from qoldau.projects.models import Project

    client = signed_in(world.almaty_staff)
    dry_run = job_of(
        upload(
            client,
            world,
            csv_upload(KK, [delivery(factories.valid_iin())]),
            django_capture_on_commit_callbacks,
        )
    )
    assert dry_run.status == BackgroundJob.Status.SUCCEEDED
    assert len(kept_uploads(settings)) == 1
    # Between the dry run and the write the project's period moved past the delivery's date.
    Project.objects.filter(pk=world.project.pk).update(starts_on="2025-06-01")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{dry_run.pk}/write/")
    write = job_of(response)
    assert write.status == BackgroundJob.Status.FAILED
    assert not ServiceDelivery.objects.exists()
    assert kept_uploads(settings) == []


def test_an_abandoned_dry_runs_upload_is_removed_by_the_periodic_clean_up(
    world, settings, django_capture_on_commit_callbacks
):
    import os
    import time

    from qoldau.imports.tasks import import_uploads_remove_stale

    assert (
        settings.CELERY_BEAT_SCHEDULE["imports-remove-stale-uploads"]["task"]
        == "imports.remove_stale_uploads"
    )
    settings.QOLDAU_IMPORT_UPLOAD_KEPT_MINUTES = 30
    client = signed_in(world.almaty_staff)
    abandoned = job_of(
        upload(
            client,
            world,
            csv_upload(KK, [delivery(factories.valid_iin())]),
            django_capture_on_commit_callbacks,
        )
    )
    fresh = job_of(
        upload(
            client, world, csv_upload(KK, [delivery(factories.valid_iin())], name="second.csv"),
            django_capture_on_commit_callbacks,
        )
    )  # fmt: skip
    folder = settings.MEDIA_ROOT / "imports" / abandoned.params["upload"]
    half_an_hour_ago = time.time() - 31 * 60
    os.utime(folder, (half_an_hour_ago, half_an_hour_ago))

    assert import_uploads_remove_stale.apply().get() == 1
    assert kept_uploads(settings) == [fresh.params["upload"]]
    # Writing it now fails with the reason, and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{abandoned.pk}/write/")
    write = job_of(response)
    assert write.status == BackgroundJob.Status.FAILED
    assert "removed when its import ends, or 30 minutes after it was uploaded" in write.error
    assert not ServiceDelivery.objects.exists()


def test_cancelling_a_dry_run_removes_its_upload_at_once(world, settings, django_capture_on_commit_callbacks):
    client = signed_in(world.almaty_staff)
    rows = [delivery(factories.valid_iin())]
    dry_run = job_of(upload(client, world, csv_upload(KK, rows), django_capture_on_commit_callbacks))
    page = client.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert f'formaction="/imports/jobs/{dry_run.pk}/cancel/"' in page
    # Someone else's dry run is not found, and its upload stays.
    assert signed_in(world.almaty_admin).post(f"/imports/jobs/{dry_run.pk}/cancel/").status_code == 404
    assert kept_uploads(settings) == [dry_run.params["upload"]]
    response = client.post(f"/imports/jobs/{dry_run.pk}/cancel/")
    assert (response.status_code, response["Location"]) == (302, "/imports/")
    assert kept_uploads(settings) == []
    assert not ServiceDelivery.objects.exists()
