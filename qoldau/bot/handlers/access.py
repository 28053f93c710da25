"""“Is this place accessible for me?” by name or by a shared location, and “report a
barrier”: the accessibility map in the bot.

The person's category (К, О, С, Г, У) and what the bot waits for are kept in aiogram's
FSM storage for the chat; nothing personal is stored by these steps.
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot, F, Router
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
from django.utils.translation import gettext as _

from qoldau.access.models import PeopleCategory, PublicStatus
from qoldau.bot.access_gateway import AccessGateway, Place

# Telegram photos above this are not downloaded (the service refuses larger ones anyway).
PHOTO_MAX_BYTES = 8 * 1024 * 1024

# A sign beside the status text, never instead of it.
STATUS_SIGN = {
    PublicStatus.ACCESSIBLE: "✅",
    PublicStatus.PARTIAL: "🟡",
    PublicStatus.NOT_ACCESSIBLE: "⛔",
    PublicStatus.UNKNOWN: "❔",
}


class AccessSteps(StatesGroup):
    place = State()
    barrier = State()


class CategoryChoice(CallbackData, prefix="acat"):
    code: str


class BarrierStart(CallbackData, prefix="abar"):
    object_id: int


def _access_category(code: str) -> str:
    return CategoryChoice(code=code).pack()


def categories_keyboard(pack: Callable[[str], str] = _access_category) -> InlineKeyboardMarkup:
    """A button for each category (К, О, С, Г, У); `pack` makes a button's callback data
    (the map's by default, /jobs passes its own)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=str(label), callback_data=pack(code))]
            for code, label in PeopleCategory.choices
        ]
    )


def places_keyboard(places: list[Place]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    # Numbered as in the list above, with the address: places of one name
                    # (five "Polyclinic No. 5") never give identical buttons.
                    text=_("Report a barrier: %(number)s. %(name)s, %(address)s")
                    % {"number": number, "name": place.name[:40], "address": place.address[:30]},
                    callback_data=BarrierStart(object_id=place.object_id).pack(),
                )
            ]
            for number, place in enumerate(places, start=1)
        ]
    )


def describe(place: Place, number: int) -> str:
    sign = STATUS_SIGN.get(PublicStatus(place.status), "")
    line = f"{number}. {sign} {place.name}\n{place.address}, {place.district}\n"
    line += _("Status: %(status)s") % {"status": place.status_label}
    if place.metres is not None:
        line += "\n" + _("About %(metres)s m from you") % {"metres": int(round(place.metres, -1))}
    return line


async def start_access(message: Message, state: FSMContext) -> None:
    await state.set_state(AccessSteps.place)
    await message.answer(
        _("Is this place accessible for you? First choose who it should be accessible for:"),
        reply_markup=categories_keyboard(),
    )


async def category_chosen(query: CallbackQuery, callback_data: CategoryChoice, state: FSMContext) -> None:
    code = callback_data.code if callback_data.code in PeopleCategory.values else PeopleCategory.WHEELCHAIR
    await state.update_data(category=code)
    await state.set_state(AccessSteps.place)
    message = query.message
    if message is not None and not isinstance(message, InaccessibleMessage):
        await message.answer(
            _("Send the place’s name or address, or share your location (📎 → Location) for places near you.")
        )
    await query.answer()


async def _show(message: Message, places: list[Place], empty: str) -> None:
    if not places:
        await message.answer(empty)
        return
    text = "\n\n".join(describe(place, number) for number, place in enumerate(places, start=1))
    await message.answer(text, reply_markup=places_keyboard(places))


async def place_named(message: Message, state: FSMContext, access: AccessGateway) -> None:
    category = (await state.get_data()).get("category", PeopleCategory.WHEELCHAIR)
    # One search per /access: later free text goes back to the consultation assistant.
    await state.set_state(None)
    places = await access.search((message.text or "")[:200], category)
    await _show(
        message,
        places,
        _("No place with that name or address is on the map. Try another word, or share your location."),
    )


async def location_shared(message: Message, state: FSMContext, access: AccessGateway) -> None:
    location = message.location
    if location is None:
        return
    category = (await state.get_data()).get("category", PeopleCategory.WHEELCHAIR)
    await state.set_state(None)
    places = await access.nearest(location.latitude, location.longitude, category)
    await _show(message, places, _("There are no places on the map near you yet."))


async def start_barrier(query: CallbackQuery, callback_data: BarrierStart, state: FSMContext) -> None:
    await state.update_data(object_id=callback_data.object_id)
    await state.set_state(AccessSteps.barrier)
    message = query.message
    if message is not None and not isinstance(message, InaccessibleMessage):
        await message.answer(
            _("Describe the barrier in one message; you may send a photo with the text as its caption.")
        )
    await query.answer()


async def barrier_described(message: Message, state: FSMContext, access: AccessGateway, bot: Bot) -> None:
    data = await state.get_data()
    description = (message.text or message.caption or "").strip()
    if not description:
        await message.answer(_("Please describe the barrier in words; a photo alone is not enough."))
        return
    photo: bytes | None = None
    if message.photo:
        largest = message.photo[-1]
        if largest.file_size and largest.file_size > PHOTO_MAX_BYTES:
            await message.answer(_("The photo is too large. Send a smaller one, or the description alone."))
            return
        downloaded = await bot.download(largest.file_id)
        photo = downloaded.read() if downloaded is not None else None
    refused = await access.report_barrier(
        int(data.get("object_id", 0)), description[:4000], str(data.get("category", "")), photo
    )
    if refused:
        await message.answer(refused)
        return
    await state.set_state(None)
    await message.answer(
        _("Thank you. The barrier was passed to the owner of the place and the akimat's officers.")
    )


async def report_command(message: Message, state: FSMContext) -> None:
    await state.set_state(AccessSteps.place)
    await message.answer(
        _("Send its name or address, or share your location, then press “Report a barrier”.")
    )


def build_router() -> Router:
    router = Router(name="access")
    router.message(Command("access"))(start_access)
    router.message(Command("barrier"))(report_command)
    router.callback_query(CategoryChoice.filter())(category_chosen)
    router.callback_query(BarrierStart.filter())(start_barrier)
    router.message(F.location)(location_shared)
    router.message(StateFilter(AccessSteps.barrier), F.text | F.photo)(barrier_described)
    router.message(StateFilter(AccessSteps.place), F.text & ~F.text.startswith("/"))(place_named)
    return router
