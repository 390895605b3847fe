"""The police desk: a web application for cyber-cell operators, served apart from the
public webhook application (`python bot.py desk`), on the bot's database."""
