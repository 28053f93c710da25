"""/jobs: open vacancies near the person that fit their category of accessibility (the
workplace accessible for it, remote work, or an accommodation offered that covers it).
The category and the step are kept in aiogram's FSM storage for the chat; nothing personal
is asked or stored, and no sign-in is needed."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from django.conf import settings
from django.utils.translation import gettext as _

from qoldau.access.models import PeopleCategory
from qoldau.bot.handlers.access import categories_keyboard
from qoldau.bot.jobs_gateway import Job, JobsGateway
from qoldau.core.templatetags.qoldau import thousands


class JobsSteps(StatesGroup):
    place = State()


class JobsCategory(CallbackData, prefix="jcat"):
    code: str


def _jobs_category(code: str) -> str:
    return JobsCategory(code=code).pack()


def describe(job: Job) -> str:
    if job.pay_to is not None:
        pay = _("%(low)s–%(high)s tenge a month") % {
            "low": thousands(job.pay_from),
            "high": thousands(job.pay_to),
        }
    else:
        pay = _("from %(low)s tenge a month") % {"low": thousands(job.pay_from)}
    return f"💼 {job.title}\n{job.employer}\n{pay}\n{job.district}\n{settings.QOLDAU_SITE_URL}{job.path}"


async def start_jobs(message: Message, state: FSMContext) -> None:
    await state.set_state(None)
    await message.answer(
        _("Work that fits you. First choose who the workplace should be accessible for:"),
        reply_markup=categories_keyboard(_jobs_category),
    )


async def category_chosen(query: CallbackQuery, callback_data: JobsCategory, state: FSMContext) -> None:
    code = callback_data.code if callback_data.code in PeopleCategory.values else PeopleCategory.WHEELCHAIR
    await state.update_data(jobs_category=code)
    await state.set_state(JobsSteps.place)
    message = query.message
    if message is not None and not isinstance(message, InaccessibleMessage):
        await message.answer(
            _(
                "Share your location (📎 → Location) for vacancies near you, or send the name of your district."  # noqa: E501
            )
        )
    await query.answer()


async def _show(message: Message, jobs: list[Job]) -> None:
    if not jobs:
        await message.answer(
            _(
                "There are no open vacancies near you that fit your category now. Try again later, or /jobs for another."  # noqa: E501
            )
        )
        return
    await message.answer("\n\n".join(describe(job) for job in jobs))


async def location_shared(message: Message, state: FSMContext, jobs: JobsGateway) -> None:
    location = message.location
    if location is None:
        return
    category = (await state.get_data()).get("jobs_category", PeopleCategory.WHEELCHAIR)
    await state.set_state(None)
    await _show(message, await jobs.near(location.latitude, location.longitude, category))


async def district_named(message: Message, state: FSMContext, jobs: JobsGateway) -> None:
    category = (await state.get_data()).get("jobs_category", PeopleCategory.WHEELCHAIR)
    found = await jobs.in_district((message.text or "")[:100], category)
    if found is None:
        await message.answer(
            _("No district has that name. Send it as it is written, or share your location.")
        )
        return
    await state.set_state(None)
    await _show(message, found)


def build_router() -> Router:
    router = Router(name="jobs")
    router.message(Command("jobs"))(start_jobs)
    router.callback_query(JobsCategory.filter())(category_chosen)
    router.message(StateFilter(JobsSteps.place), F.location)(location_shared)
    router.message(StateFilter(JobsSteps.place), F.text & ~F.text.startswith("/"))(district_named)
    return router
