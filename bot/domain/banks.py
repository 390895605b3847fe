"""Indian banks, payments banks and UPI apps, with the names people type for them.

A hold request goes to the bank that was debited, so "hdfc bnk", "HDFC Bank" and
"एचडीएफसी" must all become the one name the bank uses in its SMS, and "otp nahi hai
mere paas" must not become a bank at all. PhonePe, Google Pay and Paytm are apps, not
banks: the money left a bank account linked to them, which the conversation asks for.

The directory is data (`DIRECTORY`); `match_bank` reads a typed answer against it.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.domain.bank_directory import DIRECTORY, Bank, InstitutionKind
from bot.domain.parsing.digits import plain_words
from bot.domain.parsing.replies import read_reply
from bot.domain.parsing.vocabulary import FILLER_WORDS
from bot.domain.payments import Reading

__all__ = [
    "DIRECTORY",
    "Bank",
    "InstitutionKind",
    "bank_by_id",
    "bank_by_ifsc",
    "banks_named_in",
    "match_bank",
]


# "bank" as people type it; each spelling becomes "bank" before names are compared.
_BANK_WORDS = frozenset(
    {"bank", "bnk", "bnak", "baank", "bankk", "banks", "bak", "बैंक", "बेंक", "बैक", "बंक"}
)
_NOT_NAMES = FILLER_WORDS - _BANK_WORDS
_MAX_WORDS = 12
_MAX_FUZZY_WORDS = 4


def _words(text: str) -> list[str]:
    return ["bank" if word in _BANK_WORDS else word for word in plain_words(text).split()]


@cache
def _index() -> dict[str, tuple[Bank, bool]]:
    """Every typed form -> (institution, loose?). A bank's alias also counts with "bank"
    after it ("hdfc" and "hdfc bank"); its canonical and Hindi names count as typed."""
    index: dict[str, tuple[Bank, bool]] = {}
    for bank in DIRECTORY:
        sure = {bank.name, bank.name_hi, *bank.aliases}
        for names, loose in ((sure, False), (set(bank.loose), True)):
            for name in names:
                key = " ".join(_words(name))
                forms = {key} if bank.is_app or key.endswith("bank") else {key, f"{key} bank"}
                for form in forms:
                    index.setdefault(form, (bank, loose))
    return index


@cache
def _longest_alias() -> int:
    return max(len(key.split()) for key in _index())


def _spans(words: list[str]) -> list[tuple[Bank, bool, int, int]]:
    """Whole-word names in the text, longest first from each position, left to right."""
    found: list[tuple[Bank, bool, int, int]] = []
    position = 0
    while position < len(words):
        for size in range(min(_longest_alias(), len(words) - position), 0, -1):
            entry = _index().get(" ".join(words[position : position + size]))
            if entry is not None:
                found.append((*entry, position, position + size))
                position += size
                break
        else:
            position += 1
    return found


def banks_named_in(text: str, loose: bool = False) -> list[Bank]:
    """Institutions named word for word in `text`, in order, each once; names that only
    point at one ("airtel", "gramin bank") count only when `loose` is True.

    For readers of longer texts (an SMS) that decide themselves which name matters.
    """
    spans = _spans(_words(text))
    return list(dict.fromkeys(bank for bank, vague, *_at in spans if loose or not vague))


def _allowed_edits(length: int) -> int:
    """Typos tolerated for a name this long: none below 4 letters ("sbi" vs "sib")."""
    if length < 4:
        return 0
    if length <= 6:
        return 1
    return 2 if length <= 12 else 3


def _fuzzy(query: str) -> Bank | None:
    """The one institution within a few typos of `query`, or None when none or several.

    rapidfuzz's Levenshtein distance over every alias: a loose match is only taken when
    every alias at the best distance names the same institution.
    """
    limit = _allowed_edits(len(query))
    if limit == 0:
        return None
    keys = list(_index())
    results = process.extract(query, keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=8)
    if not results:
        return None
    best = min(distance for _key, distance, _i in results)
    banks = {_index()[key][0] for key, distance, _i in results if distance == best}
    return banks.pop() if len(banks) == 1 else None


def match_bank(text: str) -> Reading[Bank] | None:
    """Read a bank or app from a typed answer.

    Sure: the whole answer is a known name, alone or wrapped in words without a name
    ("mera sbi me account hai"). Unsure (`why` says so): a loose name ("gramin bank"),
    a name with other words around it, or a name within a few typos ("icic bank").
    None: no name, several banks, or a reply such as "pata nahi" / "nahi hai".
    """
    words = _words(text)
    if not words or len(words) > _MAX_WORDS or read_reply(text) is not None:
        return None
    spans = _spans(words)
    covered = {index for *_entry, start, end in spans for index in range(start, end)}
    rest = [w for i, w in enumerate(words) if i not in covered and w not in _NOT_NAMES]
    rest = [word for word in rest if word != "bank"]
    banks = {bank for bank, *_rest in spans}
    if len(banks) > 1:
        real = {bank for bank in banks if not bank.is_app}
        if len(real) != 1:
            return None
        return Reading(real.pop(), sure=False, why="unsure.bank.in_sentence")
    if banks:
        bank = banks.pop()
        if any(loose for _bank, loose, *_pos in spans):
            return Reading(bank, sure=False, why="unsure.bank.loose")
        if rest:
            return Reading(bank, sure=False, why="unsure.bank.in_sentence")
        return Reading(bank)
    content = [word for word in words if word not in _NOT_NAMES]
    if not content or len(content) > _MAX_FUZZY_WORDS or content == ["bank"]:
        return None
    found = _fuzzy(" ".join(content))
    return None if found is None else Reading(found, sure=False, why="unsure.bank.typo")


def bank_by_id(bank_id: str) -> Bank | None:
    return next((bank for bank in DIRECTORY if bank.id == bank_id), None)


def bank_by_ifsc(ifsc: str) -> Bank | None:
    """The bank an IFSC belongs to: its first four letters name the bank."""
    prefix = ifsc[:4].upper()
    return next((bank for bank in DIRECTORY if bank.ifsc_prefix == prefix), None)
