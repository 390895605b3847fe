"""The shape of each identifier a complaint is built from, checked one value at a time.

Each of these ends up in the national reporting system, where a wrong digit sends a
hold request to the wrong account. So the parsers are strict about shape but lenient
about decoration people add or paste: country codes, spaces, dashes, brackets,
Devanagari digits. `bot.domain.parsing.finding` finds them inside sentences.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import to_ascii_digits

__all__ = [
    "IFSC_IN_TEXT_RE",
    "VPA_IN_TEXT_RE",
    "parse_account_number",
    "parse_ifsc",
    "parse_mobile",
    "parse_upi_id",
    "parse_url_or_handle",
    "valid_host",
]

_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-().]")
_MOBILE_RE = re.compile(r"(?:(?:\+|00)?91|0)?([6-9][0-9]{9})", re.ASCII)
_VPA_RE = re.compile(r"[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}", re.ASCII)
VPA_IN_TEXT_RE = re.compile(
    r"(?<![\w.\-@])[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}(?![\w@]|\.[a-zA-Z])", re.ASCII
)
# Keyboards add a space after a dot or around @ ("ramesh. k@okaxis"): only those go.
_SPACE_AT_PUNCTUATION_RE = re.compile(r"\s*([@.])\s*")
_UPI_LINK_PA_RE = re.compile(r"[?&]pa=([^&#]*)", re.IGNORECASE)
_IFSC_RE = re.compile(r"[A-Z]{4}0[A-Z0-9]{6}")
IFSC_IN_TEXT_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{4}[0Oo][A-Za-z0-9]{6}(?![A-Za-z0-9])")
_ACCOUNT_RE = re.compile(r"[0-9]{9,18}", re.ASCII)
_SPACES_DASHES_RE = re.compile(r"[\s\-]")
_HANDLE_RE = re.compile(r"@[A-Za-z0-9_.]{1,64}", re.ASCII)
_URL_RE = re.compile(r"(?:(?P<scheme>https?)://)?(?P<host>[^/\s?#:@]+)(?P<port>:[0-9]{1,5})?"
                     r"(?P<rest>[/?#]\S*)?", re.IGNORECASE)  # fmt: skip
_LABEL_RE = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.ASCII)
_TLD_RE = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", re.ASCII)
# Characters no website address typed or pasted by a victim contains; "<script>" in a
# "URL" is an attempt on whoever reads the complaint, not an address.
_NOT_IN_URLS = frozenset("<>\"'`{}|\\^")


def parse_mobile(text: str) -> str:
    """Return the 10-digit Indian mobile number, without +91, 91 or 0 prefix."""
    compact = _MOBILE_SEPARATORS_RE.sub("", to_ascii_digits(text))
    match = _MOBILE_RE.fullmatch(compact)
    if match is None:
        raise ValidationError("error.mobile.invalid")
    return match[1]


def parse_upi_id(text: str) -> str:
    """Return the UPI id in lower case; also takes a pasted upi://pay?pa=... link.

    The handle after @ has no dot, which is what tells a VPA from an e-mail address.
    Spaces are dropped only next to "@" or "." (keyboards add them there); words are
    never glued together ("uska upi abc@ybl hai" once became "uskaupiabc@yblhai").
    """
    compact = _SPACE_AT_PUNCTUATION_RE.sub(r"\1", to_ascii_digits(text).strip())
    if compact.lower().startswith("upi://"):
        payee = _UPI_LINK_PA_RE.search(compact)
        compact = unquote(payee[1]) if payee else ""
    if not _VPA_RE.fullmatch(compact):
        raise ValidationError("error.upi.invalid")
    return compact.lower()


def parse_ifsc(text: str) -> str:
    """Return the IFSC in upper case, repairing a letter O typed for the fixed zero."""
    compact = "".join(to_ascii_digits(text).split()).upper()
    if len(compact) == 11 and compact[4] == "O":
        compact = compact[:4] + "0" + compact[5:]
    if not _IFSC_RE.fullmatch(compact):
        raise ValidationError("error.ifsc.invalid")
    return compact


def parse_account_number(text: str) -> str:
    """Return 9-18 digits; banks print account numbers in groups, so separators go."""
    compact = _SPACES_DASHES_RE.sub("", to_ascii_digits(text))
    if not _ACCOUNT_RE.fullmatch(compact):
        raise ValidationError("error.account.invalid")
    return compact


def _invisible(text: str) -> bool:
    """Control, format (bidi overrides, zero-width) or unassigned characters: nothing an
    address shows, only ways to make one read as another ("\u202egnp.exe")."""
    return any(unicodedata.category(char)[0] == "C" for char in text)


def valid_host(host: str) -> bool:
    """A dotted IPv4 address, or labels of letters, digits and inner dashes ending in a
    top-level domain of letters (or its punycode form)."""
    labels = host.split(".")
    if len(labels) == 4 and all(
        label.isascii() and label.isdigit() and int(label) <= 255 for label in labels
    ):
        return True
    return (
        len(labels) >= 2
        and len(host) <= 253
        and all(_LABEL_RE.fullmatch(label) for label in labels)
        and bool(_TLD_RE.fullmatch(labels[-1]))
    )


def parse_url_or_handle(text: str) -> str:
    """Return a website (scheme kept if given, host lower-cased) or an @handle.

    Handles are lower-cased because Telegram, Instagram and X ignore case in them.
    """
    compact = to_ascii_digits(text).strip()
    if _HANDLE_RE.fullmatch(compact):
        return compact.lower()
    match = _URL_RE.fullmatch(compact)
    if (
        match is None
        or _NOT_IN_URLS.intersection(compact)
        or _invisible(compact)
        or not valid_host(match["host"].lower())
    ):
        raise ValidationError("error.url.invalid")
    scheme = f"{match['scheme'].lower()}://" if match["scheme"] else ""
    return f"{scheme}{match['host'].lower()}{match['port'] or ''}{match['rest'] or ''}"
