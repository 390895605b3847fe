"""Find every identifier in a message: UPI ids, phones, accounts with IFSC, websites,
e-mail addresses and social handles, each exactly as bounded by the text.

Victims answer "what was the fraudster's number / UPI id?" with sentences: "uska upi
abc@ybl hai", "+91 98765 43210 se call aaya tha aur 98765-12345 pe paise bheje". Each
value is taken only from the characters that make it up, never glued to the words
around it, and checked by its own parser. A website is returned as text and never
opened; `inert_url` gives the form that no app turns into a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import to_ascii_digits
from bot.domain.parsing.formats import (
    IFSC_IN_TEXT_RE,
    VPA_IN_TEXT_RE,
    parse_account_number,
    parse_ifsc,
    parse_mobile,
    parse_url_or_handle,
)

__all__ = ["FoundIdentifier", "IdentifierKind", "find_identifiers", "inert_url"]

_MAX_LENGTH = 4000


class IdentifierKind(StrEnum):
    UPI_ID = "upi_id"
    MOBILE = "mobile"
    BANK_ACCOUNT = "bank_account"
    URL = "url"
    EMAIL = "email"
    HANDLE = "handle"  # @name on Telegram, Instagram, X


@dataclass(frozen=True, slots=True)
class FoundIdentifier:
    """One identifier found in a message; an account carries its IFSC when one was given."""

    kind: IdentifierKind
    value: str
    ifsc: str | None = None


# Top-level domains a bare "quick-loan.in" may end with; with http(s):// or www. any
# domain counts. Without this, "Mr.Sharma" or "a/c.no" would be websites.
_BARE_TLDS = (
    "com|in|net|org|co\\.in|info|xyz|online|site|app|me|io|live|top|shop|store|club|link|"
    "ly|co|biz|vip|cc|tk|ml|ga|cf|gq|icu|fun|website|space|pro|tech|cloud|world|today|"
    "example|buzz|loan|bet|win|asia|us|uk|tv"
)
_URL_IN_TEXT_RE = re.compile(
    r"(?<![\w@./:\-])(?:(?:https?://|www\.)[^\s]+|(?:[a-z0-9\-]+\.)+(?:" + _BARE_TLDS + r")"
    r"(?:[/?#][^\s]*)?(?![\w@\-]|\.[a-z0-9]))",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(
    r"(?<![\w.\-+@])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![\w@]|\.[a-z])",
    re.IGNORECASE,
)
_HANDLE_IN_TEXT_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,64}(?<!\.)", re.ASCII)
# A handle typed with a space before it is a UPI id when it is a payment app's handle.
_UPI_HANDLES = frozenset({
    "ybl", "ibl", "axl", "okaxis", "oksbi", "okhdfcbank", "okicici", "paytm", "ptyes",
    "ptsbi", "ptaxis", "pthdfc", "upi", "apl", "yapl", "rapl", "sbi", "icici", "hdfcbank",
    "axisbank", "kotak", "ikwik", "freecharge", "jupiteraxis", "naviaxis", "superyes",
})  # fmt: skip
_SPLIT_VPA_RE = re.compile(r"(?<![\w.\-@])([a-zA-Z0-9.\-_]{2,256})\s+@([a-zA-Z]{2,64})(?![\w@])")
_ACCOUNT_LABEL = (
    r"(?<![a-z])(?:a/c|a\.c\.|acct|account|acount|ac|khata|खाता|अकाउंट|खाता संख्या)"
    r"(?:\s*(?:no|number|num|नंबर|संख्या)\.?)?\s*[:#\-]?\s*(?:hai|है|is)?\s*"
)
_LABELLED_ACCOUNT_RE = re.compile(
    _ACCOUNT_LABEL + r"(?P<digits>[0-9](?:[ \-]?[0-9]){8,17})(?![0-9])", re.IGNORECASE
)
_MOBILE_IN_TEXT_RE = re.compile(
    r"(?<![\w@/.+\-])(?:(?:\(?(?:\+|00)?91\)?)[\s\-]?|0)?"
    r"(?:[6-9][0-9]{9}|[6-9][0-9]{4}[\s\-][0-9]{5}|[6-9][0-9]{2}[\s\-][0-9]{3}[\s\-][0-9]{4})"
    r"(?![\w@]|[.,][0-9])"
)
_DIGIT_RUN_RE = re.compile(r"(?<![\w@/.+\-])[0-9](?:[ \-]?[0-9]){8,17}(?![\w@]|[.,][0-9])")
_TRAILING_PUNCTUATION = ".,;:!?)]}"
_NOT_IN_URLS = frozenset("<>\"'`{}|\\^")


def _blank(text: str, start: int, end: int) -> str:
    """Hide a found value so no later pattern reads its digits again."""
    return text[:start] + " " * (end - start) + text[end:]


def _take(
    text: str, pattern: re.Pattern[str], kind: IdentifierKind, parse: object
) -> tuple[str, list[tuple[int, FoundIdentifier]]]:
    found: list[tuple[int, FoundIdentifier]] = []
    for match in list(pattern.finditer(text)):
        raw = match[0].rstrip(_TRAILING_PUNCTUATION)
        try:
            value = parse(raw) if callable(parse) else raw.lower()
        except ValidationError:
            continue
        found.append((match.start(), FoundIdentifier(kind, str(value))))
        text = _blank(text, match.start(), match.start() + len(raw))
    return text, found


def _urls(text: str) -> tuple[str, list[tuple[int, FoundIdentifier]]]:
    """Websites, validated; a token with characters no address has is no website."""
    found: list[tuple[int, FoundIdentifier]] = []
    for match in list(_URL_IN_TEXT_RE.finditer(text)):
        raw = match[0].rstrip(_TRAILING_PUNCTUATION)
        start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start()))
        token = text[start + 1 :].split(maxsplit=1)[0] if text[start + 1 :].strip() else raw
        try:
            if _NOT_IN_URLS.intersection(token):
                raise ValidationError("error.url.invalid")
            value = parse_url_or_handle(raw)
        except ValidationError:
            text = _blank(text, match.start(), match.end())
            continue
        found.append((match.start(), FoundIdentifier(IdentifierKind.URL, value)))
        text = _blank(text, match.start(), match.start() + len(raw))
    return text, found


def _upi_ids(text: str) -> tuple[str, list[tuple[int, FoundIdentifier]]]:
    found: list[tuple[int, FoundIdentifier]] = []
    for match in list(_SPLIT_VPA_RE.finditer(text)):
        if match[2].lower() in _UPI_HANDLES:
            value = f"{match[1]}@{match[2]}".lower()
            found.append((match.start(), FoundIdentifier(IdentifierKind.UPI_ID, value)))
            text = _blank(text, match.start(), match.end())
    text, more = _take(text, VPA_IN_TEXT_RE, IdentifierKind.UPI_ID, None)
    return text, found + more


def _accounts(text: str) -> tuple[str, list[tuple[int, FoundIdentifier]], list[str]]:
    """Labelled accounts, then the IFSCs; an unlabelled number is an account only when
    an IFSC came with it (a bare 12-digit number may as well be a UTR)."""
    found: list[tuple[int, FoundIdentifier]] = []
    for match in list(_LABELLED_ACCOUNT_RE.finditer(text)):
        number = parse_account_number(match["digits"])
        found.append((match.start("digits"), FoundIdentifier(IdentifierKind.BANK_ACCOUNT, number)))
        text = _blank(text, match.start("digits"), match.end("digits"))
    ifscs: list[str] = []
    for match in list(IFSC_IN_TEXT_RE.finditer(text)):
        try:
            ifscs.append(parse_ifsc(match[0]))
        except ValidationError:
            continue
        text = _blank(text, match.start(), match.end())
    return text, found, ifscs


def _with_ifsc(
    text: str, accounts: list[tuple[int, FoundIdentifier]], ifscs: list[str]
) -> list[tuple[int, FoundIdentifier]]:
    if len(ifscs) != 1:
        return accounts
    if not accounts:
        runs = [m for m in _DIGIT_RUN_RE.finditer(text) if not _MOBILE_IN_TEXT_RE.fullmatch(m[0])]
        if len(runs) != 1:
            return accounts
        number = parse_account_number(runs[0][0])
        accounts = [(runs[0].start(), FoundIdentifier(IdentifierKind.BANK_ACCOUNT, number))]
    if len(accounts) != 1:
        return accounts
    position, account = accounts[0]
    return [(position, FoundIdentifier(account.kind, account.value, ifscs[0]))]


def find_identifiers(text: str) -> list[FoundIdentifier]:
    """Every identifier in `text`, in the order written, each once.

    URLs need http(s)://, www. or a common top-level domain, and are refused whole when
    they hold characters no address has (`<script>`); e-mails are told from UPI ids by
    the dot after @; a phone is 10 digits from 6-9 with +91, 0, spaces or dashes; an
    account needs a label ("a/c", "khata") or an IFSC beside it.
    """
    if len(text) > _MAX_LENGTH:
        return []
    rest = to_ascii_digits(text)
    rest, urls = _urls(rest)
    rest, emails = _take(rest, _EMAIL_RE, IdentifierKind.EMAIL, None)
    rest, upi_ids = _upi_ids(rest)
    rest, handles = _take(rest, _HANDLE_IN_TEXT_RE, IdentifierKind.HANDLE, None)
    rest, accounts, ifscs = _accounts(rest)
    rest, mobiles = _take(rest, _MOBILE_IN_TEXT_RE, IdentifierKind.MOBILE, parse_mobile)
    accounts = _with_ifsc(rest, accounts, ifscs)
    found = sorted(urls + emails + upi_ids + handles + accounts + mobiles, key=lambda f: f[0])
    return list(dict.fromkeys(identifier for _position, identifier in found))


def inert_url(url: str) -> str:
    """The address as text no chat app makes clickable: "hxxps://fraud[.]example/x".

    For showing a suspect's website back to a victim or an operator, so nobody opens
    it by a slip of the thumb.
    """
    scheme, separator, remainder = url.partition("://")
    if not separator:
        scheme, remainder = "", url
    host, slash, tail = remainder.partition("/")
    prefix = scheme.lower().replace("http", "hxxp") + "://" if separator else ""
    return f"{prefix}{host.replace('.', '[.]')}{slash}{tail}"
