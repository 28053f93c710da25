"""One router per area of the bot, composed in `qoldau.bot.dispatcher.build_dispatcher`."""
