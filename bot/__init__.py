"""Fraud report bot. Layers, each importing only those below it (checked by import-linter):

bot.cli                          command line (entry point)
bot.app, bot.settings, bot.logs  wiring of the running bot
bot.channels | bot.web           platforms and HTTP endpoints
bot.service                      messages through storage and engine; outbox, notices
handlers | storage               the conversation core; persistence
bot.domain                       complaint, conversation, parsing, i18n, places
"""
