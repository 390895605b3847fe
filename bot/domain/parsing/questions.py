"""Questions victims ask in the middle of a complaint, recognised in three scripts.

"kya paisa wapas milega?", "UTR kya hota hai", "meri complaint ka kya hua", "पुलिस से बात
करनी है": a frightened person asks before answering. Each question is declared once
below as groups of words (one word of every group must appear) and answered by the
conversation, which then asks its own question again.

The rule that keeps an answer from being taken for a question: a question is short
(at most `MAX_QUESTION_WORDS` words) and *asks* something: a question mark, a question
word (kya, kaise, kab, क्या, how, what...) or a request ("chahiye", "karni hai",
"please", "talk to"). "मेरा पैसा वापस दिला दो, उसने 5000 लिए" at the description step and
"maine police se baat ki thi" are answers; "paisa wapas milega?" is a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.parsing.digits import plain_words, to_ascii_digits

__all__ = ["MAX_QUESTION_WORDS", "Question", "read_question", "status_number"]

MAX_QUESTION_WORDS = 12
# Where the person tells their story, a question must be very short or say "?":
# "usne kaha kya aapka paisa wapas chahiye" is what the fraudster said.
MAX_NARRATIVE_QUESTION_WORDS = 6


class Question(StrEnum):
    MONEY_BACK = "money_back"  # will I get my money back?
    WHAT_UTR = "what_utr"  # what is a UTR, where do I find it?
    WHAT_NEXT = "what_next"  # what happens now, how long?
    IS_OFFICIAL = "is_official"  # is this the police, is this real?
    BLOCK = "block"  # how do I block my card or UPI?
    HELPLINE = "helpline"  # what are 1930 and the portal?
    STATUS = "status"  # what happened to my complaint?
    PERSON = "person"  # I want to talk to a person


def _words(text: str) -> frozenset[str]:
    return frozenset(plain_words(text).split())


_MONEY = _words(
    "paisa paise pesa pese paisaa money rupees rupaye rupye amount refund रकम पैसा पैसे "
    "पेसे रुपये रुपए रुपया रिफंड"
)
_BACK = _words(
    "wapas vapas wapis vapis back return refund recover milega milenge milega? वापस "
    "वापिस रिफंड मिलेगा मिलेंगे लौटेगा"
)
_UTR = _words("utr rrn यूटीआर utr?")
_AHEAD = _words("aage ab next now baad आगे अब बाद")
_HAPPEN = _words("hoga hogi happen happens karna karu karun होगा होगी करना करूं करूँ")
_HOW_LONG = _words("kitna kitne kitni how long कितना कितने कितनी")
_TIME = _words("time samay din days long lagega lagenge समय दिन टाइम लगेगा लगेंगे")
_OFFICIAL = _words(
    "police पुलिस official sarkari सरकारी asli असली real genuine fake farzi फर्जी फ़र्ज़ी "
    "nakli नकली bot बॉट"
)
_THIS = _words("ye yeh this you aap tum यह ये आप तुम it")
_BLOCK = _words("block band बंद ब्लॉक freeze lock rok रोक")
_INSTRUMENT = _words("card upi account khata खाता कार्ड यूपीआई atm sim")
_HELPLINE = _words("1930 portal पोर्टल helpline हेल्पलाइन cybercrime 155260")
_COMPLAINT = _words("complaint shikayat shikayath शिकायत case कंप्लेंट कंपलेंट")
_WHAT_HAPPENED = _words("hua hui status स्थिति स्टेटस update अपडेट हुआ हुई happened happening")
_PERSON = _words(
    "insaan insan इंसान person human officer अधिकारी adhikari police पुलिस kisi किसी "
    "agent operator staff someone somebody"
)
_TALK = _words("baat बात talk speak call contact संपर्क sampark milna मिलना")

# A short question often drops its question word: "paisa wapas milega" (at most
# `_SHORT_QUESTION_WORDS` words, ending in one of these).
_SHORT_QUESTION_ENDS = _words("milega milegi milenge hoga hogi होगा होगी मिलेगा मिलेगी मिलेंगे")
_SHORT_QUESTION_WORDS = 4
_ASKING = _words(
    "kya kaise kab kitna kitne kaun kahan kaha kyu kyun kyon what how when where who why "
    "will can could is are does do should क्या कैसे कब कितना कितने कौन कहाँ कहां क्यों"
)
_REQUESTING = _words(
    "chahiye चाहिए karni karna karao karwao karwa karwaiye karaiye करनी करना कराइए करवाइए "
    "करवा करवाओ want need please plz pls talk speak bataiye batao बताइए बताओ बताएं"
)


@dataclass(frozen=True, slots=True)
class _Pattern:
    question: Question
    groups: tuple[frozenset[str], ...]


# The first pattern that matches wins: more specific questions come first.
_PATTERNS = (
    _Pattern(Question.PERSON, (_PERSON, _TALK)),
    _Pattern(Question.STATUS, (_COMPLAINT, _WHAT_HAPPENED)),
    _Pattern(Question.BLOCK, (_BLOCK, _INSTRUMENT)),
    _Pattern(Question.WHAT_UTR, (_UTR,)),
    _Pattern(Question.MONEY_BACK, (_MONEY, _BACK)),
    _Pattern(Question.HELPLINE, (_HELPLINE,)),
    _Pattern(Question.WHAT_NEXT, (_AHEAD, _HAPPEN)),
    _Pattern(Question.WHAT_NEXT, (_HOW_LONG, _TIME)),
    _Pattern(Question.IS_OFFICIAL, (_OFFICIAL, _THIS)),
)
_STATUS_WITH_NUMBER = re.compile(
    r"^\s*(?:status|स्टेटस|स्थिति|complaint status|शिकायत स्थिति)\s*[:#\-]?\s*([\d\s\-]{12,20})\s*$",
    re.IGNORECASE,
)


def read_question(text: str, *, narrative: bool = False) -> Question | None:
    """The question `text` asks, or None when it is anything else (an answer).
    `narrative`: the step asks for the person's own account of what happened."""
    words = plain_words(text).split()
    if not words or len(words) > MAX_QUESTION_WORDS:
        return None
    if narrative and "?" not in text and len(words) > MAX_NARRATIVE_QUESTION_WORDS:
        return None
    present = set(words)
    asks = (
        "?" in text
        or bool(present & _ASKING)
        or bool(present & _REQUESTING)
        or (len(words) <= _SHORT_QUESTION_WORDS and words[-1] in _SHORT_QUESTION_ENDS)
    )
    if not asks:
        return None
    for pattern in _PATTERNS:
        if all(present & group for group in pattern.groups):
            return pattern.question
    return None


def status_number(text: str) -> str | None:
    """The complaint number in "status 2638 7525 2182" typed as text (not checked here)."""
    match = _STATUS_WITH_NUMBER.match(to_ascii_digits(text))
    return match.group(1).strip() if match else None
