"""Pure parsers for what frightened people type: amounts, times, identifiers.

Every parser takes text and returns a normalised value or raises
`bot.domain.errors.ValidationError` with a catalog message id.
"""
