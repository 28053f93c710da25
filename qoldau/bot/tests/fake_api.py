"""The fake Telegram Bot API now lives in `qoldau.bot.fake_api` (the benchmark uses it too)."""

from qoldau.bot.fake_api import BOT_USER, FakeBotAPI

__all__ = ["BOT_USER", "FakeBotAPI"]
