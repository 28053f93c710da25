"""The assistant's answers on pages: real headings and lists (`qoldau.consult.rendering`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from qoldau.consult.models import Message
from qoldau.consult.rendering import answer_html, message_parts

register = template.Library()


@register.filter
def answer(message: Message) -> str:
    """An answer of the assistant: its title as a heading, its sections as headings below
    it, its steps and documents as lists."""
    title, body = message_parts(message)
    heading = format_html('<h3 class="answer-title">{}</h3>', title) if title else ""
    return format_html("{}{}", heading, answer_html(body, heading_level=4))
