"""Inline keyboards and their callback data."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from django.utils.translation import gettext as _

from qoldau.bot.gateway import Answer

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class Agree(CallbackData, prefix="agree"):
    pass


class TopicChoice(CallbackData, prefix="topic"):
    topic: str


class GroupChoice(CallbackData, prefix="group"):
    group: str


class Feedback(CallbackData, prefix="fb"):
    message_id: int
    helpful: bool


class Human(CallbackData, prefix="human"):
    pass


def _rows(buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button] for button in buttons])


def languages() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=name, callback_data=LanguageChoice(code=code).pack())
                for code, name in LANGUAGE_NAMES.items()
            ]
        ]
    )


def agree() -> InlineKeyboardMarkup:
    return _rows([InlineKeyboardButton(text=_("I agree"), callback_data=Agree().pack())])


def answer(result: Answer) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(text=title[:60], callback_data=TopicChoice(topic=topic).pack())]
        for topic, title in result.alternatives
        if len(TopicChoice(topic=topic).pack()) <= 64
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text="👍", callback_data=Feedback(message_id=result.message_id, helpful=True).pack()
            ),
            InlineKeyboardButton(
                text="👎", callback_data=Feedback(message_id=result.message_id, helpful=False).pack()
            ),
        ]
    )
    rows.append([InlineKeyboardButton(text=_("Talk to a consultant"), callback_data=Human().pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def groups(names: dict[str, str]) -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(text=label, callback_data=GroupChoice(group=group).pack())
            for group, label in names.items()
        ]
    )


def topics(items: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(text=title[:60], callback_data=TopicChoice(topic=topic).pack())
            for topic, title in items
        ]
    )
