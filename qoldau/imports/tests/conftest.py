"""Fixtures of the import tests: the world of two NGOs and a project of the first."""

import pytest

from qoldau.core.tests import factories
from qoldau.projects.tests import factories as project_factories


@pytest.fixture
def world(db):
    w = factories.world()
    w.project = project_factories.project(w.almaty_admin, w.almaty_ngo)
    return w
