"""Consultants and conversations, made with the real services."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from qoldau.consult import services
from qoldau.consult.models import Conversation
from qoldau.core.models import Organisation
from qoldau.core.tests import factories


def consultant(username: str, org: Organisation) -> User:
    return factories.user(username, "consultant", org=org)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["qoldau_language"] = "en"  # the tests read the English wording
    return client


def waiting_conversation(
    key: str = "telegram-chat-1", question: str = "Мүгедектік бойынша жәрдемақы"
) -> Conversation:
    """A conversation of the default organisation that asked for a consultant."""
    conversation = services.conversation_for(channel="telegram", channel_key=key, language="kk")
    services.conversation_ask(conversation=conversation, text=question, lang="kk")
    return services.conversation_request_human(conversation=conversation)
