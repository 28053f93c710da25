"""/start, the language choice, the privacy notice, /lang and /help."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from django.utils import translation
from django.utils.translation import gettext as _

from qoldau.bot import keyboards
from qoldau.bot.gateway import ConsultGateway


def privacy_notice() -> str:
    return _(
        "Before we start: your messages are kept so that the assistant and, if you ask, a "
        "consultant of the organisation can answer you. They are stored encrypted and used "
        "only for your consultation. Nothing about you is kept until you agree."
    )


def help_text() -> str:
    return _(
        "Write your question in your own words and the assistant will answer.\n"
        "/topics: the topics the assistant knows\n/lang: change the language\n"
        "/access: is a place accessible for me? (by name or by your location)\n"
        "/barrier: report a barrier at a place\n"
        "/jobs: vacancies near me that fit my category of accessibility\n"
        "/services: social services near me, and my place on a wait list\n"
        "/interpreter: call a sign-language interpreter by video\n"
        "Press “Talk to a consultant” under an answer to reach a person."
    )


async def choose_language(message: Message) -> None:
    await message.answer(
        "Тілді таңдаңыз · Выберите язык · Choose your language", reply_markup=keyboards.languages()
    )


async def language_chosen(
    query: CallbackQuery, callback_data: keyboards.LanguageChoice, consult: ConsultGateway
) -> None:
    lang = callback_data.code if callback_data.code in keyboards.LANGUAGE_NAMES else "kk"
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        await query.answer()
        return
    # Kept in memory only until the person agrees; stored with the conversation afterwards.
    consult.languages[message.chat.id] = lang
    with translation.override(lang):
        if await consult.has_agreed(message.chat.id):
            await consult.agree(message.chat.id, lang)
            await message.edit_text(help_text())
        else:
            await message.edit_text(privacy_notice(), reply_markup=keyboards.agree())
        await query.answer()


async def start(message: Message, state: FSMContext) -> None:
    """/start begins again: a step left open (a search of /access, a barrier report) ends."""
    await state.clear()
    await choose_language(message)


async def agreed(query: CallbackQuery, consult: ConsultGateway, lang: str, state: FSMContext) -> None:
    # "Now ask your question": the next words go to the assistant, even if an /access step
    # was begun before agreeing (it would have taken the question for a place's name).
    await state.clear()
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        await query.answer()
        return
    await consult.agree(message.chat.id, lang)
    await message.edit_text(_("Thank you. Now ask your question in your own words."))
    await query.answer()


async def show_help(message: Message) -> None:
    await message.answer(help_text())


def build_router() -> Router:
    """A new router of this area (a router joins one dispatcher only)."""
    router = Router(name=__name__)
    router.message(CommandStart())(start)
    router.message(Command("lang"))(choose_language)
    router.callback_query(keyboards.LanguageChoice.filter())(language_chosen)
    router.callback_query(keyboards.Agree.filter())(agreed)
    router.message(Command("help"))(show_help)
    return router
