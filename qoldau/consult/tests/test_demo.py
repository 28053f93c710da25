"""The consultations demo: Qorgan-M's and Almaty's consultants, the conversations waiting
for them routed by the people's regions, and Qorgan-M's answered ones behind its figures."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from qoldau.consult import selectors
from qoldau.consult.demo import ANSWERED, WAITING, consult_demo_is_loaded, load_consult_demo
from qoldau.consult.models import Conversation
from qoldau.consult.tests.factories import signed_in
from qoldau.core import demo_data as d
from qoldau.core.tests import factories

pytestmark = pytest.mark.django_db


def demo_organisation(key: str):
    spec = next(spec for spec in d.ORGANISATIONS if spec.key == key)
    return factories.organisation(name=spec.name_kk, kato=spec.region)


def test_the_demo_has_consultants_with_conversations_waiting_for_each():
    qorgan, almaty = demo_organisation("qorgan"), demo_organisation("almaty_dept")
    assert not consult_demo_is_loaded()
    load_consult_demo()
    assert consult_demo_is_loaded()
    for spec in d.CONSULT_USERS:
        assert User.objects.get(username=spec.username).check_password(d.DEMO_PASSWORD)
    waiting = Conversation.objects.filter(status=Conversation.Status.WAITING)
    in_almaty = sum(1 for _k, _l, region, _q in WAITING if region == d.ALMATY)
    assert waiting.filter(organisation=almaty).count() == in_almaty == 2
    assert waiting.filter(organisation=qorgan).count() == len(WAITING) - in_almaty
    qorgan_consultant = User.objects.get(username="qorgan.consultant")
    assert qorgan_consultant.first_name  # what the person is shown, never the username
    (line,) = selectors.first_reply_figures(qorgan_consultant)
    assert line.answered == len(ANSWERED)
    # Enough answered hand-offs for the chat to tell Qorgan-M's typical wait; none for Almaty's.
    assert selectors.typical_wait(qorgan.pk) is not None
    assert selectors.typical_wait(almaty.pk) is None
    page = signed_in(qorgan_consultant).get("/consult/queue/").content.decode()
    assert 'id="consultations-waiting">1 waiting<' in page
