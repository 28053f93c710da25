"""The access app's public seam: what another app may read of objects (the jobs app's
workplaces): a region's objects with their district and kind, and their public statuses."""

from __future__ import annotations

import pytest

from qoldau.access import accessibility
from qoldau.access.tests.factories import make_object, passport
from qoldau.core.models import Place
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def test_a_regions_objects_by_kind_and_passport_with_their_statuses():
    officer = factories.user("akimat.almaty", "akimat_officer", kato=factories.ALMATY)
    surveyor = factories.user("surveyor", "surveyor")
    clinic = make_object(officer, name="Емхана")
    school = make_object(officer, name="Мектеп", kind="education", latitude=43.23, longitude=76.95)
    passport(officer, surveyor, clinic)
    almaty = Place.objects.get(kato=factories.ALMATY)

    every = accessibility.objects_in_region(almaty.pk)
    assert [(o.id, o.kind) for o in every] == [(clinic.pk, "health"), (school.pk, "education")]
    assert every[0].district_id == clinic.district_id
    assert [o.id for o in accessibility.objects_in_region(almaty.pk, kinds=["education"])] == [school.pk]
    assert [o.id for o in accessibility.objects_in_region(almaty.pk, assessed_only=True)] == [clinic.pk]
    assert len(accessibility.objects_in_region(almaty.pk, limit=1)) == 1
    assert accessibility.objects_in_region(Place.objects.get(kato=factories.TURKISTAN).pk) == []
    statuses = accessibility.statuses_of([clinic.pk, school.pk, 999_999])
    assert set(statuses) == {clinic.pk, school.pk}
    assert statuses[clinic.pk]["К"] == accessibility.ACCESSIBLE
    assert statuses[school.pk]["К"] == accessibility.UNKNOWN
