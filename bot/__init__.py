"""The Telegram bot: wiring, handlers, the console chat and the command line."""
