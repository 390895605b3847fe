"""The amount, the UPI reference and the status on a payment screen's OCR text.

A wrong amount or UTR in a bank's hold request is worse than none, so each reader
collects every reading the screen supports and answers only when they agree:
- an amount counts when a currency sign was read ("₹", "Rs.", "INR"), when a line
  holds only a grouped amount behind the rupee sign as OCR misreads it ("%", "~", "ह",
  "२"), or when two lines back each other up; a bare "24,392.00" could be "₹4,392.00"
  with the sign read as a 2, so alone it is not enough;
- a reference counts only beside or under a label that names the UPI reference (UTR,
  RRN, UPI Ref, UPI transaction ID, संदर्भ), never the app's own transaction or order id,
  and only as exactly 12 digits, possibly in groups of four;
- the status counts when the screen's words point one way only.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.domain.parsing.amounts import MAX_AMOUNT
from bot.domain.parsing.screen_lines import ScreenLines
from bot.domain.payments import PaymentStatus

__all__ = ["read_amount", "read_reference", "read_status"]

# Not "रु"/"रू": apps print "₹", and OCR reads "₹1," as "रू," (so "रू 600" was ₹1,600).
_CURRENCY = r"(?:₹|rs\.?|inr|rupees?)"
_NUMBER = (
    r"(?<![0-9,.])(?P<num>[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}(?:\.[0-9]{2})?"
    r"|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{2})?|[0-9]{1,9}(?:\.[0-9]{2})?)"
    r"(?![0-9,]|\.\s*\S|\s*\S*[\d\ufffd])"  # "INR 117 A2" was ₹117.42: not 117
)
_BARE_NUMBER_RE = re.compile(_NUMBER.replace("(?<![0-9,.])", ""))
_GROUPED_RE = re.compile(r"[0-9,]+,[0-9]{3}(?:\.[0-9]{2})?|[0-9]+\.[0-9]{2}")
_EXPLICIT_RE = re.compile(rf"(?<![a-z]){_CURRENCY}\s*[:\-]?\s*{_NUMBER}")
_LABELLED_RE = re.compile(rf"(?:amount|राशि|debited|paid)\s*[:\-]?\s*{_NUMBER}")
# A line that is only an amount, maybe behind the rupee sign misread as one or two
# symbols, an F or an X ("%677.39", "¥~1,00,000.00", "X~ 64,000.00"), a Devanagari two
# ("२6,200"), one Devanagari letter ("ह 1,300.00"), or "Rs." as the Hindi model reads
# it ("२५ 2,624.00", "२५, 5,923.00"). "$ & § ?" pass for digits ("¥$2,000" was
# ₹82,000), and so does a second "२" ("₹२1,26,000" may be ₹21,26,000): never junk.
_LINE_RE = re.compile(
    r"(?P<junk>(?:(?:[^\w\s$&§?]|[fx])\s?){1,2}|२५[.,]?\s|२"
    r"|[\u0915-\u0939][\u093e-\u094d\u0900-\u0903]{0,2})?\s?" + _NUMBER
)
# The rupee sign as Tesseract's English model often reads it, right before the digits:
# behind one of these even an ungrouped amount ("~300") is taken.
_SIGN_LOOKALIKE_RE = re.compile(r"[~%*¥=€£]")
_REFERENCE_LABEL_RE = re.compile(
    r"(?<![a-z])(?:utr|rrn|up[il1|\]]?\s*(?:ref|transaction|txn|लेनदेन)|ref(?:erence)?(?![a-z])"
    r"|transaction\s+reference|यूटीआर|संदर्भ"
    # "UPI संदर्भ संख्या" with the middle word garbled: "UPI af संख्या", "UPI] Hae संख्या"
    r"|up[il1|\]]{1,2}\s+\S{1,8}\s+संख्या)"
)
_TWELVE_DIGITS_RE = re.compile(
    r"(?<![0-9])(?<![0-9] )([0-9]{4})[ \-]?([0-9]{4})[ \-]?([0-9]{4})(?![0-9])(?! [0-9])"
)

_FAILED_RE = re.compile(r"fail|declin|unsuccess|not successful|rejected|विफल|असफल")
_PENDING_RE = re.compile(r"pending|processing|in progress|लंबित|प्रक्रिया")
_SUCCESS_RE = re.compile(r"(?:su|uc)c+ess|complete|सफल")


def _value(number: str) -> Decimal | None:
    value = Decimal(number.replace(",", ""))
    return value if 0 < value <= MAX_AMOUNT else None


def _line_readings(line: str) -> tuple[set[Decimal], set[tuple[Decimal, Decimal]]]:
    """Sure values on one line, and (as read, without its first digit) pairs for a bare
    amount whose first digit may be the rupee sign."""
    sure = {v for m in _EXPLICIT_RE.finditer(line) if (v := _value(m["num"])) is not None}
    sure |= {
        v
        for m in _LABELLED_RE.finditer(line)
        if _GROUPED_RE.fullmatch(m["num"]) and (v := _value(m["num"])) is not None
    }
    whole = _LINE_RE.fullmatch(line)
    if sure or whole is None or (value := _value(number := whole["num"])) is None:
        return sure, set()
    junk = (whole["junk"] or "").strip()
    if _SIGN_LOOKALIKE_RE.fullmatch(junk) and len(number) >= 2:
        return {value}, set()
    if not _GROUPED_RE.fullmatch(number):
        return set(), set()
    shorter = number[1:]
    if junk or not _BARE_NUMBER_RE.fullmatch(shorter):
        return {value}, set()
    alternative = _value(shorter)
    if alternative is None or not _GROUPED_RE.fullmatch(shorter):
        return {value}, set()
    return set(), {(value, alternative)}


def read_amount(screen: ScreenLines) -> Decimal | None:
    """The one amount the screen shows, or None when it shows none or several."""
    sure: set[Decimal] = set()
    pairs: set[tuple[Decimal, Decimal]] = set()
    for line in screen.folded:
        line_sure, line_pairs = _line_readings(line)
        sure |= line_sure
        pairs |= line_pairs
    if len(sure) > 1:
        return None
    if len(sure) == 1:
        (value,) = sure
        return value if all(value in pair for pair in pairs) else None
    if len(pairs) < 2:
        return None
    common = set.intersection(*(set(pair) for pair in pairs))
    return common.pop() if len(common) == 1 else None


def _reference_after(screen: ScreenLines, index: int, start: int) -> str | None:
    rest, *below = screen.after(index, start)
    match = _TWELVE_DIGITS_RE.search(rest)
    if match is None and below and re.match(r"\s*[0-9]", below[0]):
        match = _TWELVE_DIGITS_RE.match(below[0].strip())
    return "".join(match.groups()) if match else None


def read_reference(screen: ScreenLines) -> str | None:
    """The 12-digit UPI reference beside or under its label; None if absent or if two
    labels point at different numbers."""
    found: set[str] = set()
    for index, line in enumerate(screen.folded):
        for label in _REFERENCE_LABEL_RE.finditer(line):
            reference = _reference_after(screen, index, label.end())
            if reference is not None:
                found.add(reference)
    return found.pop() if len(found) == 1 else None


def read_status(screen: ScreenLines) -> PaymentStatus | None:
    """Successful, pending or failed when the words say one of them and only that."""
    text = "\n".join(screen.folded)
    failed = bool(_FAILED_RE.search(text))
    pending = bool(_PENDING_RE.search(text))
    success = bool(_SUCCESS_RE.search(_FAILED_RE.sub(" ", text)))
    if failed + pending + success != 1:
        return None
    if failed:
        return PaymentStatus.FAILED
    return PaymentStatus.PENDING if pending else PaymentStatus.SUCCESS
