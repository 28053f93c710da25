"""The bounds of every input (core.bounds): the API refuses what the forms refuse, with the
same limits; characters no field takes are refused before any view; every field of every
API input is bounded in the OpenAPI document, so that a new unbounded field fails here."""

import datetime as dt
import json
import typing
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from pydantic import TypeAdapter, ValidationError

from qoldau.core import bounds
from qoldau.core.forms import PersonForm
from qoldau.core.models import AuditEntry, Consent, Organisation, Person, PersonCategory
from qoldau.core.tests import factories
from qoldau.core.tests.bounds_checks import assert_bound_fits_column

pytestmark = pytest.mark.django_db

ERROR_SHAPE = {"code", "message", "field"}
MEGABYTE = "a" * 1_000_000


@pytest.fixture
def world():
    return factories.world()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, body):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, text, content_type="application/json")


def person_payload(world, **overrides):
    payload = {
        "organisation_id": world.almaty_ngo.pk,
        "consent_given_on": "2025-03-01",
        "no_iin_reason": "foreign_citizen",
        "last_name": "Сейітова",
        "first_name": "Дана",
        "birth_date": "1990-01-02",
        "sex": "F",
    }
    payload.update(overrides)
    return payload


def assert_refused(response, status, field):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert ERROR_SHAPE <= set(body)
    assert body["message"]
    assert body["field"] == field


# --- people: names, dates and characters -----------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"last_name": MEGABYTE}, 422, "last_name"),  # the form takes 100 characters
        ({"last_name": "Сейі\x07това"}, 422, "last_name"),  # a control character
        ({"first_name": "Да\tна"}, 422, "first_name"),  # a tab in a single line
        ({"last_name": "Сейі\x00това"}, 400, "last_name"),  # NUL: refused before the API
        ({"birth_date": "0001-01-01"}, 422, "birth_date"),
        ({"birth_date": "2999-01-01"}, 422, "birth_date"),
        ({"no_iin_note": "ә" * 301}, 422, "no_iin_note"),
        ({"phone": "7" * 41}, 422, "phone"),
        ({"organisation_id": 2**64}, 422, "organisation_id"),
    ],
)
def test_bad_person_is_refused_with_the_error_shape_and_nothing_is_stored(world, overrides, status, field):
    before = Person.objects.count()
    response = post_json(client_for(world.almaty_staff), "/api/v1/people", person_payload(world, **overrides))
    assert_refused(response, status, field)
    assert Person.objects.count() == before


def test_a_lone_surrogate_in_json_is_refused_not_a_server_error(world):
    # json.dumps writes "\ud800" as the escape a client would send; nothing can store it.
    body = json.dumps(person_payload(world, last_name="Сейі\ud800това"))
    before = Person.objects.count()
    response = post_json(client_for(world.almaty_staff), "/api/v1/people", body)
    assert_refused(response, 400, "last_name")
    assert response.json()["code"] == "forbidden_characters"
    assert Person.objects.count() == before


def test_a_surrogate_pair_is_a_character_like_any_other(world):
    # A pair of surrogate escapes is one character beyond the BMP (an emoji): accepted.
    body = json.dumps(person_payload(world, last_name="Сейітова 🙂"))
    response = post_json(client_for(world.almaty_staff), "/api/v1/people", body)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["last_name"] == "Сейітова 🙂"


def test_names_are_stored_normalised_and_stripped(world):
    decomposed = "  Сейі\u0308това  "  # і and a combining diaeresis: NFC makes it ї
    response = post_json(
        client_for(world.almaty_staff), "/api/v1/people", person_payload(world, last_name=decomposed)
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["person"]["id"]).last_name == "Сейїтова"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/people/{2**64}",
        f"/api/v1/people/{2**64}/categories",
        "/api/v1/people/1/categories/18446744073709551616/end",
    ],
)
def test_an_id_beyond_64_bits_is_refused(world, path):
    client = client_for(world.almaty_staff)
    response = client.get(path) if path.count("/") == 4 else post_json(client, path, {"until": "2025-01-01"})
    assert response.status_code == 422, response.content[:300]
    assert ERROR_SHAPE <= set(response.json())


def test_the_person_form_refuses_what_the_api_refuses(world):
    data = {
        "last_name": "Сейі\x07това",
        "first_name": "Д" * 101,
        "no_iin_reason": "other",
        "birth_date": "0001-01-01",
    }
    form = PersonForm(data)
    assert not form.is_valid()
    assert {"last_name", "first_name", "birth_date"} <= set(form.errors)
    page = client_for(world.almaty_staff).post(
        "/people/new/",
        {**data, "organisation": world.almaty_ngo.pk, "consent_given_on": "2025-03-01"},
    )
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()
    assert not Person.objects.filter(
        pk__gt=max(p.pk for p in world.almaty_people + world.turkistan_people)
    ).exists()


# --- places, organisations, paging -----------------------------------------------------


def test_a_region_beyond_64_bits_is_refused():
    response = Client().get("/api/v1/places/districts?region=-18474579493253865053093888")
    assert_refused(response, 422, "region")


@pytest.mark.parametrize(
    "query", ["limit=1837311468883175276544", "offset=1837311468883175276544", "limit=0", "offset=-1"]
)
def test_paging_beyond_its_bounds_is_refused(world, query):
    response = client_for(world.sysadmin).get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
    assert ERROR_SHAPE <= set(response.json())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_kk": "«Демо»\x1b[31m"}, "name_kk"),
        ({"name_kk": "Д" * 301}, "name_kk"),
        ({"address": "Абай к-сі\n10"}, "address"),
        ({"region_id": 2**63}, "region_id"),
    ],
)
def test_bad_organisation_is_refused_by_its_bounds(world, overrides, field):
    payload = {
        "bin": factories.valid_bin(),
        "kind": "ngo",
        "name_kk": "Жаңа ұйым",
        "region_id": world.almaty_ngo.region_id,
    }
    payload.update(overrides)
    before = Organisation.objects.count()
    response = post_json(client_for(world.sysadmin), "/api/v1/organisations", payload)
    assert_refused(response, 422, field)
    assert Organisation.objects.count() == before


def test_a_patch_with_null_for_a_required_text_leaves_it_as_it_is(world):
    organisation = world.almaty_ngo
    response = client_for(world.sysadmin).patch(
        f"/api/v1/organisations/{organisation.pk}",
        json.dumps({"version": organisation.version, "name_ru": None, "phone": "+7 727 000 0000"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    organisation.refresh_from_db()
    assert (organisation.name_ru, organisation.phone) == (world.almaty_ngo.name_ru, "+7 727 000 0000")


# --- the safety net: characters no field takes -------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "body", "content_type", "field"),
    [
        ("get", "/api/v1/people?q=%00", None, None, "q"),
        ("get", "/api/v1/people/%00", None, None, "path"),
        ("get", "/api/v1/people?%00=1", None, None, "\ufffd"),
        ("post", "/api/v1/people", '{"last_name": "a\\u0000"}', "application/json", "last_name"),
        ("post", "/api/v1/people", '{"x": [{"y": "\\udc00"}]}', "application/json", "x.0.y"),
        ("post", "/api/v1/people", '{"\\ud800": 1}', "application/json", "\ufffd"),
        ("post", "/api/v1/people", b"last_name=a%00b", "application/x-www-form-urlencoded", "last_name"),
        # Not JSON: the raw NUL is enough.
        ("post", "/api/v1/people", b"\x00", "text/plain", "body"),
    ],
)
def test_nul_and_unpaired_surrogates_are_refused_before_any_handler(
    world, method, url, body, content_type, field
):
    client = client_for(world.almaty_staff)
    before = (Person.objects.count(), AuditEntry.objects.count())
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, body, content_type=content_type)
    assert_refused(response, 400, field)
    assert response.json()["code"] == "forbidden_characters"
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_a_body_over_djangos_limit_gets_the_error_shape(world):
    body = json.dumps(person_payload(world, last_name="я" * 3_000_000))
    response = post_json(client_for(world.almaty_staff), "/api/v1/people", body)
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"
    assert ERROR_SHAPE <= set(response.json())


def test_a_page_refuses_a_nul_in_its_query_with_an_error_page(world):
    response = client_for(world.almaty_staff).get("/people/?q=%00")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_escaped_backslashes_are_not_mistaken_for_escapes(world):
    # "\\u0000" in JSON is a backslash and the letters u0000: plain text, accepted.
    body = json.dumps(person_payload(world, no_iin_note="C:\\u0000"))
    response = post_json(client_for(world.almaty_staff), "/api/v1/people", body)
    assert response.status_code == 201, response.content


def test_a_page_address_with_an_id_beyond_64_bits_is_not_found(world):
    response = client_for(world.almaty_staff).get(f"/people/{2**64}/")
    assert response.status_code == 404


# --- one definition: the form field and the schema agree --------------------------------


def _bounded_types():
    found = []
    for name in dir(bounds):
        value = getattr(bounds, name)
        if typing.get_origin(value) is typing.Annotated:
            try:
                found.append((name, value, bounds.bound_of(value)))
            except TypeError:
                continue  # a list of bounded items
    return found


def _samples(bound):
    """Values on and just beyond each edge of a bound, as a person would type them."""
    if isinstance(bound, bounds.TextLimit):
        inside = "ә" * bound.max_length
        return [inside, inside + "ә", "ok\x07", "ok\x00", "two\nlines", " padded "]
    if isinstance(bound, bounds.IntRange):
        return [str(bound.low), str(bound.high), str(bound.low - 1), str(bound.high + 1)]
    if isinstance(bound, bounds.DecimalRange):
        step = Decimal(1).scaleb(-bound.places)
        return [
            str(bound.low),
            str(bound.high),
            str(bound.low - step),
            str(bound.high + step),
            "1.005",
            "NaN",
        ]
    if isinstance(bound, bounds.DateRange):
        return [
            bound.low.isoformat(),
            bound.upper().isoformat(),
            (bound.low - dt.timedelta(days=1)).isoformat(),
            (bound.upper() + dt.timedelta(days=1)).isoformat(),
        ]
    return [
        f"{bound.low.isoformat()}T00:00",
        f"{bound.high.isoformat()}T12:00",
        "1999-12-31T12:00",
        "2101-01-01T12:00",
    ]


@pytest.mark.parametrize(
    ("name", "annotated", "bound"), _bounded_types(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_bound_refuses_the_same_values_in_a_form_and_in_the_api(name, annotated, bound):
    field = bounds.form_field(annotated, required=False)
    adapter = TypeAdapter(annotated)
    for raw in _samples(bound):
        try:
            form_value = field.clean(raw)
            form_ok = True
        except Exception:
            form_ok = False
        try:
            api_value = adapter.validate_python(raw)
            api_ok = True
        except ValidationError:
            api_ok = False
        assert form_ok == api_ok, (name, raw, form_ok, api_ok)
        if form_ok:
            if isinstance(api_value, dt.datetime) and timezone.is_naive(api_value):
                api_value = timezone.make_aware(api_value)  # the API reads it in Astana time too
            assert form_value == api_value, (name, raw)


def test_text_cleaning_of_several_lines_keeps_line_breaks_and_tabs():
    limit = bounds.TextLimit(50, multiline=True)
    assert limit.clean(" a\r\nb\tc\rd ") == "a\nb\tc\nd"
    with pytest.raises(bounds.BoundError):
        limit.clean("a\x0cb")
    with pytest.raises(bounds.BoundError):
        bounds.TextLimit(50).clean("a\u2028b")


@pytest.mark.parametrize(
    ("raw", "expected"), [("12", 12), ("0", None), ("²", None), (str(2**63), None), ("1e3", None)]
)
def test_ids_read_from_a_page_are_ascii_digits_within_the_keys_range(raw, expected):
    assert bounds.parse_id(raw) == expected


# --- the OpenAPI document: every input is bounded ---------------------------------------


def _unbounded(schema, where, components, found):
    """Append to `found` each place in an input schema that has no bound."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        for index, branch in enumerate(schema.get(key, [])):
            _unbounded(branch, f"{where}|{key}[{index}]", components, found)
    if "enum" in schema or "const" in schema:
        return
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "binary":
            return  # an uploaded file: bounded by the upload settings
        if "maxLength" not in schema:
            found.append(f"{where}: a string without maxLength")
        if schema.get("format") in {"date", "date-time"} and not {"formatMinimum", "formatMaximum"} <= set(
            schema
        ):
            found.append(f"{where}: a date without its range")
    elif kind in {"integer", "number"}:
        if "minimum" not in schema or "maximum" not in schema:
            found.append(f"{where}: a {kind} without minimum and maximum")
    elif kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: a list without maxItems")
        _unbounded(schema.get("items", {}), f"{where}[]", components, found)
    elif kind == "object" or "properties" in schema:
        for name, item in schema.get("properties", {}).items():
            _unbounded(item, f"{where}.{name}", components, found)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            found.append(f"{where}: an object with free-form properties")


def _input_schemas(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield f"{method.upper()} {path} {parameter['in']} {parameter['name']}", parameter["schema"]
            for content_type, body in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{method.upper()} {path} body ({content_type})", body["schema"]


def test_every_api_input_field_is_bounded():
    document = Client().get("/api/v1/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    inputs = list(_input_schemas(document))
    assert len(inputs) > 100  # the walk reaches the whole document
    found = []
    for where, schema in inputs:
        _unbounded(schema, where, components, found)
    assert found == [], "every input needs its bounds (core.bounds):\n" + "\n".join(found)


def test_the_walk_finds_an_unbounded_field():
    # The check above can fail: a string, a number and a list without bounds are found.
    found = []
    schema = {
        "type": "object",
        "properties": {
            "note": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "ids": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 9}},
            "day": {"type": "string", "format": "date", "maxLength": 10},
        },
    }
    _unbounded(schema, "x", {}, found)
    assert found == [
        "x.note: a string without maxLength",
        "x.count: a integer without minimum and maximum",
        "x.ids: a list without maxItems",
        "x.day: a date without its range",
    ]


# --- the columns hold what the bounds let in ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "annotated"),
    [
        (Organisation._meta.get_field("name_kk"), bounds.Name),
        (Organisation._meta.get_field("name_ru"), bounds.Name),
        (Organisation._meta.get_field("name_en"), bounds.Name),
        (Organisation._meta.get_field("address"), bounds.Address),
        (Organisation._meta.get_field("phone"), bounds.Phone),
        (Organisation._meta.get_field("email"), bounds.Email),
        (Organisation._meta.get_field("website"), bounds.Website),
        (Person._meta.get_field("last_name"), bounds.PersonName),
        (Person._meta.get_field("first_name"), bounds.PersonName),
        (Person._meta.get_field("patronymic"), bounds.PersonName),
        (Person._meta.get_field("phone"), bounds.Phone),
        (Person._meta.get_field("no_iin_note"), bounds.Note),
        (Person._meta.get_field("birth_date"), bounds.BirthDate),
        (PersonCategory._meta.get_field("details"), bounds.CategoryDetails),
        (PersonCategory._meta.get_field("since"), bounds.Day),
        (Consent._meta.get_field("given_on"), bounds.RecordDate),
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_each_core_column_holds_what_its_bound_lets_in(field, annotated):
    assert_bound_fits_column(annotated, field)
