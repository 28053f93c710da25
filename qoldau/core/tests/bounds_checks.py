"""A shared check of the apps' tests: the bound a form, the API and an import apply to a
field fits the database column the field is stored in (core.bounds)."""

from typing import Any

from django.db import models

from qoldau.core import bounds


def assert_bound_fits_column(annotated: Any, field: models.Field[Any, Any]) -> None:
    bound = bounds.bound_of(annotated)
    where = f"{field.model.__name__}.{field.name}"
    if isinstance(bound, bounds.TextLimit):
        if isinstance(field, models.CharField):
            assert field.max_length is not None
            assert bound.max_length <= field.max_length, f"{where}: {bound.max_length} > {field.max_length}"
        else:
            assert isinstance(field, models.TextField), where  # a text column of any length
    elif isinstance(bound, bounds.DecimalRange):
        assert isinstance(field, models.DecimalField), where
        assert bound.places == field.decimal_places, where
        assert bound.max_digits <= field.max_digits, (
            f"{where}: {bound.max_digits} > {field.max_digits} digits"
        )
    elif isinstance(bound, bounds.IntRange):
        assert isinstance(field, models.IntegerField), where
        if isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField):
            assert bound.high <= 32_767, where
        elif not isinstance(field, models.BigIntegerField):
            assert bound.high <= 2_147_483_647, where  # a 32-bit column on PostgreSQL
        if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
            assert bound.low >= 0, where
    else:
        assert isinstance(field, models.DateField), where
