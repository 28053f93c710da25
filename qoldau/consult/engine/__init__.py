"""The consultation answering engine: pure Python over the TOML knowledge base, no Django, no
network, nothing downloaded at run time. The API, the Telegram bot and `qoldau consult
classify` call `classify()`."""

from qoldau.consult.engine.answer import EngineAnswer, classify

__all__ = ["EngineAnswer", "classify"]
