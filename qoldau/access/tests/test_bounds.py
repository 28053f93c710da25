"""The access app's inputs within their bounds (core.bounds): the forms and the objects
import refuse what the columns cannot hold, and each column holds what its bound lets in."""

import pytest

from qoldau.access.models import (
    AccessObject,
    BarrierReport,
    Measure,
    ObjectPhoto,
    Passport,
    PassportItem,
    PassportZoneStatus,
)
from qoldau.core import bounds
from qoldau.core.tests.bounds_checks import assert_bound_fits_column


def _column(model, name):
    return model._meta.get_field(name)


@pytest.mark.parametrize(
    ("field", "annotated"),
    [
        *((_column(AccessObject, f"name_{code}"), bounds.Name) for code in ("kk", "ru", "en")),
        (_column(AccessObject, "address"), bounds.Address),
        (_column(AccessObject, "owner_name"), bounds.Name),
        (_column(AccessObject, "external_id"), bounds.Code),
        (_column(Passport, "comment"), bounds.Description),
        (_column(Passport, "surveyed_on"), bounds.RecordDate),
        (_column(PassportItem, "comment"), bounds.Remark),
        (_column(PassportZoneStatus, "comment"), bounds.Remark),
        (_column(ObjectPhoto, "caption"), bounds.Note),
        (_column(Measure, "responsible_name"), bounds.Name),
        (_column(Measure, "note"), bounds.Remark),
        (_column(Measure, "cost"), bounds.Cost),
        (_column(Measure, "deadline"), bounds.RecordDate),
        (_column(BarrierReport, "description"), bounds.Comment),
        (_column(BarrierReport, "resolution"), bounds.Comment),
        (_column(BarrierReport, "contact"), bounds.Note),
    ],
    ids=lambda v: f"{v.model.__name__}.{v.name}" if hasattr(v, "model") else "",
)
def test_each_access_column_holds_what_its_bound_lets_in(field, annotated):
    assert_bound_fits_column(annotated, field)
