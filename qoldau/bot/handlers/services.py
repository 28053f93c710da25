"""/services: social services near the person for a need they choose (by a shared location
or a district they name), and “My place on a wait list” by the reference and the birth
date. The need and the step are kept in aiogram's FSM storage for the chat; the reference
and the birth date are only passed to the lookup, never stored, and no sign-in is needed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from django.conf import settings
from django.utils.translation import gettext as _

from qoldau.bot.services_gateway import Found, Need, ServicesGateway

# Ways a birth date may be typed: 17.05.1990 (as on documents in Kazakhstan), 1990-05-17.
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")


class ServicesSteps(StatesGroup):
    place = State()
    reference = State()
    birth_date = State()


class NeedChoice(CallbackData, prefix="snd"):
    code: str


class WaitListStart(CallbackData, prefix="swl"):
    pass


def needs_keyboard(needs: list[Need]) -> InlineKeyboardMarkup:
    # Two needs of one name (an administrator's slip) still get buttons that differ.
    twice = {name for name, count in Counter(need.name for need in needs).items() if count > 1}
    rows = [
        [
            InlineKeyboardButton(
                text=f"{need.name[:50]} ({need.code})" if need.name in twice else need.name[:60],
                callback_data=NeedChoice(code=need.code).pack(),
            )
        ]
        for need in needs
        if len(NeedChoice(code=need.code).pack()) <= 64
    ]
    rows.append(
        [InlineKeyboardButton(text=_("My place on a wait list"), callback_data=WaitListStart().pack())]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def describe(found: Found, number: int) -> str:
    lines = [f"{number}. {found.name}", found.provider]
    if found.address:
        lines.append(found.address)
    lines.append(_("Free of charge") if found.free else _("A fee is charged"))
    if found.metres is not None:
        lines.append(_("About %(km)s km from you") % {"km": f"{found.metres / 1000:.1f}"})
    lines.append(f"{settings.QOLDAU_SITE_URL}{found.path}")
    return "\n".join(lines)


def _reply_target(query: CallbackQuery) -> Message | None:
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        return None
    return message


async def start_services(message: Message, state: FSMContext, services: ServicesGateway) -> None:
    await state.set_state(None)
    await message.answer(
        _("Social services near you. Choose what you need, or look up your place on a wait list:"),
        reply_markup=needs_keyboard(await services.needs()),
    )


async def need_chosen(query: CallbackQuery, callback_data: NeedChoice, state: FSMContext) -> None:
    await state.update_data(services_need=callback_data.code[:40])
    await state.set_state(ServicesSteps.place)
    message = _reply_target(query)
    if message is not None:
        await message.answer(
            _(
                "Share your location (📎 → Location) for the services nearest to you, or send the name of your district."  # noqa: E501
            )
        )
    await query.answer()


async def _show(message: Message, found: list[Found]) -> None:
    if not found:
        await message.answer(
            _(
                "No active service for this need was found near you. Try /services for another need, or another district."  # noqa: E501
            )
        )
        return
    await message.answer("\n\n".join(describe(row, number) for number, row in enumerate(found, start=1)))


async def location_shared(message: Message, state: FSMContext, services: ServicesGateway) -> None:
    location = message.location
    if location is None:
        return
    need = str((await state.get_data()).get("services_need", ""))
    await state.set_state(None)
    await _show(message, await services.near(need, location.latitude, location.longitude))


async def district_named(message: Message, state: FSMContext, services: ServicesGateway) -> None:
    need = str((await state.get_data()).get("services_need", ""))
    found = await services.in_district(need, (message.text or "")[:100])
    if found is None:
        await message.answer(
            _("No district has that name. Send it as it is written, or share your location.")
        )
        return
    await state.set_state(None)
    await _show(message, found)


async def wait_list_start(query: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(ServicesSteps.reference)
    message = _reply_target(query)
    if message is not None:
        await message.answer(_("Send the reference of your place on the wait list, as it was given to you."))
    await query.answer()


async def reference_sent(message: Message, state: FSMContext) -> None:
    await state.update_data(services_reference=(message.text or "").strip()[:40])
    await state.set_state(ServicesSteps.birth_date)
    await message.answer(_("Now send the birth date of the person on the list, for example 17.05.1990."))


def _date(text: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            # A calendar date, no time of day: the zone does not matter.
            return dt.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


async def birth_date_sent(message: Message, state: FSMContext, services: ServicesGateway) -> None:
    born = _date((message.text or "")[:20])
    if born is None:
        await message.answer(_("Send the date as day.month.year, for example 17.05.1990."))
        return
    reference = str((await state.get_data()).get("services_reference", ""))
    # One lookup per request: the reference is dropped from the chat's state at once.
    await state.set_state(None)
    await state.update_data(services_reference="")
    answer = await services.wait_list_place(message.chat.id, reference, born)
    if answer.refused:
        await message.answer(answer.refused)
        return
    if answer.position is not None:
        text = _("Status: %(status)s. Your place in the queue: %(position)s.") % {
            "status": answer.status_label,
            "position": answer.position,
        }
    else:
        text = _("Status: %(status)s.") % {"status": answer.status_label}
    await message.answer(text)


def build_router() -> Router:
    router = Router(name="services")
    router.message(Command("services"))(start_services)
    router.callback_query(NeedChoice.filter())(need_chosen)
    router.callback_query(WaitListStart.filter())(wait_list_start)
    router.message(StateFilter(ServicesSteps.place), F.location)(location_shared)
    router.message(StateFilter(ServicesSteps.place), F.text & ~F.text.startswith("/"))(district_named)
    router.message(StateFilter(ServicesSteps.reference), F.text & ~F.text.startswith("/"))(reference_sent)
    router.message(StateFilter(ServicesSteps.birth_date), F.text & ~F.text.startswith("/"))(birth_date_sent)
    return router
