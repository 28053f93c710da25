"""Questions in the person's words, the topic menu, the answer's buttons and the hand-off."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qoldau.bot import keyboards
from qoldau.bot.gateway import NOT_AGREED, ConsultGateway, as_lang
from qoldau.bot.handlers.start import choose_language
from qoldau.bot.middleware import replying_to

# Telegram refuses longer messages.
TELEGRAM_LIMIT = 4096

GROUP_NAMES = {
    "accessibility": gettext_lazy("Accessibility"),
    "benefit": gettext_lazy("Benefits and allowances"),
    "crisis": gettext_lazy("Help in a crisis"),
    "disability": gettext_lazy("Disability status"),
    "education": gettext_lazy("Education"),
    "egov": gettext_lazy("eGov services"),
    "employment": gettext_lazy("Work and employment"),
    "health": gettext_lazy("Health care"),
    "housing": gettext_lazy("Housing"),
    "legal": gettext_lazy("Legal help"),
    "ngo": gettext_lazy("NGOs"),
    "parents": gettext_lazy("Parents and children"),
    "portal": gettext_lazy("This service"),
    "rehab": gettext_lazy("Rehabilitation"),
    "service": gettext_lazy("Social services"),
    "social": gettext_lazy("Social support"),
    "tax": gettext_lazy("Taxes"),
    "volunteering": gettext_lazy("Volunteering"),
}


def trim(text: str) -> str:
    """Plain text as Telegram accepts it: at most TELEGRAM_LIMIT characters."""
    return text if len(text) <= TELEGRAM_LIMIT else text[: TELEGRAM_LIMIT - 1] + "…"


async def show_topic_groups(message: Message, consult: ConsultGateway) -> None:
    groups = await consult.topic_groups()
    names = {group: str(GROUP_NAMES.get(group, group.capitalize())) for group in groups}
    await message.answer(_("Choose a subject:"), reply_markup=keyboards.groups(names))


async def show_group(
    query: CallbackQuery, callback_data: keyboards.GroupChoice, consult: ConsultGateway, lang: str
) -> None:
    articles = (await consult.topic_groups()).get(callback_data.group, [])
    items = [(article.topic, article.text(as_lang(lang)).title) for article in articles]
    if query.message is not None and not isinstance(query.message, InaccessibleMessage) and items:
        await query.message.answer(_("Choose a topic:"), reply_markup=keyboards.topics(items))
    await query.answer()


async def show_topic(
    query: CallbackQuery, callback_data: keyboards.TopicChoice, consult: ConsultGateway, lang: str
) -> None:
    text = await consult.topic_answer(callback_data.topic, lang)
    if query.message is not None and not isinstance(query.message, InaccessibleMessage) and text:
        await query.message.answer(text, parse_mode="HTML")
    await query.answer()


async def feedback(query: CallbackQuery, callback_data: keyboards.Feedback, consult: ConsultGateway) -> None:
    if query.message is not None and await consult.feedback(
        query.message.chat.id, callback_data.message_id, callback_data.helpful
    ):
        await query.answer(_("Thank you for your feedback."))
    else:
        await query.answer()


async def talk_to_consultant(query: CallbackQuery, consult: ConsultGateway) -> None:
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        await query.answer()
        return
    refused = await consult.request_human(message.chat.id)
    await query.answer()
    if refused:
        await message.answer(refused)
        return
    await message.answer(
        _("A consultant will read your conversation and answer here. You may add details meanwhile.")
    )


async def question(message: Message, consult: ConsultGateway, lang: str) -> None:
    chat_id = message.chat.id
    text = message.text or ""
    if not text.strip():
        if not await consult.has_agreed(chat_id):
            await choose_language(message)
        else:
            await message.answer(
                _("Please write your question in words."), reply_parameters=replying_to(message)
            )
        return
    answer = await consult.ask_if_agreed(chat_id, text, lang)
    if answer is NOT_AGREED:
        await choose_language(message)
        return
    if answer is None:
        # A consultant holds the conversation: the message is kept for them, the bot is silent.
        return
    await message.answer(
        answer.html or trim(answer.text),
        parse_mode="HTML" if answer.html else None,
        reply_markup=keyboards.answer(answer),
        reply_parameters=replying_to(message),
    )


async def not_text(message: Message, consult: ConsultGateway) -> None:
    """Stickers, photos, voice: the assistant reads only words (silent while a consultant holds)."""
    if await consult.is_held(message.chat.id):
        return
    await message.answer(_("Please write your question in words."), reply_parameters=replying_to(message))


def build_router() -> Router:
    """A new router of this area (a router joins one dispatcher only)."""
    router = Router(name=__name__)
    router.message(Command("topics"))(show_topic_groups)
    router.callback_query(keyboards.GroupChoice.filter())(show_group)
    router.callback_query(keyboards.TopicChoice.filter())(show_topic)
    router.callback_query(keyboards.Feedback.filter())(feedback)
    router.callback_query(keyboards.Human.filter())(talk_to_consultant)
    router.message(F.text)(question)
    router.message()(not_text)
    return router
