"""The bot's dispatcher: its routers, middlewares and services."""

from __future__ import annotations

from aiogram import BaseMiddleware, Dispatcher
from aiogram.fsm.storage.base import BaseStorage

from qoldau.bot.access_gateway import AccessGateway
from qoldau.bot.gateway import ConsultGateway
from qoldau.bot.handlers import access, interpreting, jobs, questions, services, start
from qoldau.bot.interpreting_gateway import InterpretingGateway
from qoldau.bot.jobs_gateway import JobsGateway
from qoldau.bot.middleware import FloodMiddleware, LanguageMiddleware
from qoldau.bot.services_gateway import ServicesGateway


def build_dispatcher(
    *,
    consult: ConsultGateway | None = None,
    flood: BaseMiddleware | None = None,
    storage: BaseStorage | None = None,
) -> Dispatcher:
    """`flood` and `storage` default to this process's memory (one process); several worker
    processes share them in Redis (see workers.py)."""
    dispatcher = Dispatcher(storage=storage)
    dispatcher["consult"] = consult or ConsultGateway()
    dispatcher["access"] = AccessGateway()
    dispatcher["jobs"] = JobsGateway()
    dispatcher["interpreting"] = InterpretingGateway()
    dispatcher["services"] = ServicesGateway()
    dispatcher.update.outer_middleware(LanguageMiddleware())
    dispatcher.message.outer_middleware(flood or FloodMiddleware())
    # The steps of /jobs and of the map come before free questions, which take any text;
    # /jobs and /services first, so that a location shared for them is not taken as one
    # for the map.
    dispatcher.include_routers(
        start.build_router(),
        jobs.build_router(),
        services.build_router(),
        interpreting.build_router(),
        access.build_router(),
        questions.build_router(),
    )
    return dispatcher
