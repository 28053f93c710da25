"""The Telegram channel of the consultation assistant."""
