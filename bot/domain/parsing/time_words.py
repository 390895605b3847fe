"""The words people use for when something happened, and their usual misspellings.

"yesterdy 3pm", "कल साम ५ बजे", "do din pehle shaam ko", "parso raat 11 bje": before
the time reader looks for dates and clocks, every spelling here becomes the one word
it knows, and number words before a unit become digits ("do din" -> "2 din").
"""

from __future__ import annotations

import re

from bot.domain.parsing.vocabulary import NUMBER_WORDS

__all__ = ["WEEKDAYS", "canonical_time_text"]

# Misspelling or synonym -> the word the time reader knows.
_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(
        ("yesterdy", "yesterady", "yesteday", "yestarday", "yesturday", "yestrday",
         "ysterday", "yestday", "ystrday", "yday", "ydy", "yesterda", "yeaterday",
         "yesterdays", "yestreday", "yasterday"),
        "yesterday",
    ),
    **dict.fromkeys(("tday", "tdy", "2day", "todays", "tody", "toady"), "today"),
    **dict.fromkeys(("kl", "kall", "kaal", "कल्ह"), "kal"),
    **dict.fromkeys(("parsu", "parsoo", "parsho", "parsoan", "परसो", "परसौं"), "parso"),
    **dict.fromkeys(("aj", "aaj", "aajj", "आज़"), "aaj"),
    **dict.fromkeys(
        ("saam", "sham", "shaam", "shyam", "shame", "saaam", "साम", "श्याम", "evng",
         "evening", "eve", "evining", "evenig"),
        "शाम",
    ),
    **dict.fromkeys(
        ("subah", "subha", "suba", "subh", "subeh", "subbah", "सुबे", "सवेरे", "savere",
         "sawere", "morning", "mrng", "morng", "mng", "mornig", "morninng"),
        "सुबह",
    ),
    **dict.fromkeys(
        ("raat", "rat", "rath", "raath", "रात्रि", "रातको", "night", "nite", "nyt", "nigth"),
        "रात",
    ),
    **dict.fromkeys(
        ("dopahar", "dopaher", "dophar", "dupahar", "dopehar", "dopahr", "दुपहर", "दोपहरी",
         "afternoon", "aftrnoon", "afternon", "afternun"),
        "दोपहर",
    ),
    **dict.fromkeys(
        ("bje", "baj", "bjy", "bajey", "baje", "bjay", "बज", "बजें", "बजकर", "bajkar"),
        "baje",
    ),
    **dict.fromkeys(
        ("pehle", "pahle", "phle", "pehele", "pehel", "pahele", "pehly", "पेहले", "पहिले",
         "pahile", "pichhe"),
        "pehle",
    ),
    **dict.fromkeys(("ghante", "ghanta", "ghnte", "ghantey", "gante", "ghnta"), "ghante"),
    **dict.fromkeys(("din", "dino", "dinon", "दिनों"), "din"),
    **dict.fromkeys(("minat", "minit", "mint", "mnt", "minutes", "minute"), "minute"),
}  # fmt: skip

# Weekday names in the three scripts, Monday first as `date.weekday()` counts.
WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("monday", "mon", "somvar", "somwar", "soamvar", "सोमवार"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues", "mangalvar", "mangalwar", "मंगलवार"), 1),
    **dict.fromkeys(("wednesday", "wed", "budhvar", "budhwar", "बुधवार"), 2),
    **dict.fromkeys(("thursday", "thu", "thurs", "guruvar", "guruwar", "brihaspativar",
                     "गुरुवार", "बृहस्पतिवार"), 3),
    **dict.fromkeys(("friday", "fri", "shukravar", "shukrawar", "sukravar", "शुक्रवार"), 4),
    **dict.fromkeys(("saturday", "sat", "shanivar", "shaniwar", "sanivar", "शनिवार"), 5),
    **dict.fromkeys(("sunday", "sun", "ravivar", "raviwar", "itvaar", "itwar", "रविवार",
                     "इतवार"), 6),
}  # fmt: skip

_NUMBERS = {word: value for word, value in NUMBER_WORDS.items() if value <= 60}
_UNIT_AFTER = r"(?=\s*(?:din|ghante|minute|baje|hours?|hrs?|days?|weeks?|mins?|am|pm|दिन|घंटे|घंटा|मिनट|बजे)(?![a-z\u0900-\u097f]))"  # noqa: E501
_NUMBER_WORD_RE = re.compile(
    r"(?<![a-z\u0900-\u097f])(?P<word>"
    + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True))
    + r")(?![a-z\u0900-\u097f])"
    + _UNIT_AFTER
)
_WORD_RE = re.compile(r"[a-z\u0900-\u097f]+")


def canonical_time_text(folded: str) -> str:
    """Each known misspelling replaced by its word, number words before a unit by digits.

    `folded` comes from `fold_spelling`; words stay in place so the reader's patterns
    ("kal raat 10 baje") see the text in its order.
    """
    spelled = _WORD_RE.sub(lambda word: _SPELLINGS.get(word[0], word[0]), folded)
    return _NUMBER_WORD_RE.sub(lambda match: str(_NUMBERS[match["word"]]), spelled)
