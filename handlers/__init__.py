"""The conversation core: the complaint flow declared as data and the pure engine that
interprets it. Imports only `bot.domain`; knows no storage and no platform."""
