"""The interpreting demo: the Almaty service with four interpreter-dispatchers and 320
people served in 2016 (article 003: 300+), today's demo users able to make a call, and a
second load changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from qoldau.interpreting import demo, selectors, services
from qoldau.interpreting.models import Call, Interpreter, Offer, OfferOutcome, Session
from qoldau.projects.models import ServiceDelivery

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_articles_service_and_its_2016_people_and_loads_once():
    demo.load_interpreting_demo()
    assert demo.people_served_2016() >= 300
    assert Interpreter.objects.filter(is_dispatcher=True).count() == 4
    sessions = Session.objects.filter(started_at__year=2016)
    assert sessions.count() >= 300
    minutes = sum(sessions.values_list("minutes", flat=True))
    delivered = sum(
        ServiceDelivery.objects.filter(service__code="sign_language_interpreting").values_list(
            "quantity", flat=True
        )
    )
    assert delivered == minutes
    admin = User.objects.get(username="interp.dispatcher")
    report = selectors.report(admin, Interpreter.objects.first().service_id, 2016)
    assert report.people_served >= 300
    assert report.total.answered == report.total.calls
    before = (Call.objects.count(), Session.objects.count(), User.objects.count())
    assert demo.interpreting_demo_is_loaded()
    # Today: the deaf citizen calls, an interpreter takes it.
    citizen = User.objects.get(username="deaf.citizen")
    interpreter = Interpreter.objects.get(user__username="interp.dana")
    # The demo's interpreters hold the interpreter role, no staff role.
    for username, _name in demo.INTERPRETERS:
        roles = set(User.objects.get(username=username).role_assignments.values_list("role", flat=True))
        assert roles == {"interpreter"}
    services.interpreter_set_state(actor=interpreter.user, state="available")
    call = services.call_create(actor=citizen, place="Емхана", purpose="medical")
    offer = Offer.objects.get(call=call, outcome=OfferOutcome.PENDING)
    session = services.offer_accept(actor=interpreter.user, offer_id=offer.pk)
    assert session.interpreter == interpreter
    assert Call.objects.count() == before[0] + 1
