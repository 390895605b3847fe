"""The fields of one bank SMS or UPI app notification, each read only where its place in
the message is certain.

Banks write the same facts in many shapes ("A/C X4821 debited by 2500.0 on date
14Nov26 trf to RAMESH K Refno 631845002917 -SBI", "INR 50000.00 debited / A/c no.
XX2057 / UPI/P2A/630612815830/MOHAN LAL"). Each reader below returns None rather
than a value it is not sure of: the available balance is not the amount, a
beneficiary's masked account is not the victim's, a helpline is not a reference.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from bot.domain.banks import Bank, banks_named_in
from bot.domain.clock import IST
from bot.domain.errors import ValidationError
from bot.domain.parsing.amounts import MAX_AMOUNT
from bot.domain.parsing.digits import fold_spelling
from bot.domain.parsing.formats import IFSC_IN_TEXT_RE, VPA_IN_TEXT_RE, parse_ifsc
from bot.domain.parsing.modes import PaymentMode
from bot.domain.parsing.when import check_moment, find_date
from bot.domain.payments import Moment, Precision

__all__ = [
    "account_digits",
    "amount_in",
    "bank_in",
    "mode_in",
    "moment_in",
    "receiver_account_in",
    "receiver_name_in",
    "receiver_upi_in",
    "reference_in",
]

_NUMBER = r"([0-9][0-9,]*(?:\.[0-9]{1,2})?)(?![0-9]|\.[0-9])"
_CURRENCY = r"(?:rs\.?|inr|₹|रु\.?|रुपये|रू\.?)"
_AMOUNT_RES = (
    re.compile(_CURRENCY + r"\s*[:.]?\s*" + _NUMBER),
    re.compile(r"(?<![0-9,.])" + _NUMBER + r"\s*(?:rs\b|rupees|रुपये|रु\b)"),
    re.compile(r"(?:debited|credited)\s+(?:by|for|with)\s+" + _NUMBER),
)
# An amount just after one of these is a balance, a limit or an offer, not the payment.
_NOT_THE_PAYMENT_RE = re.compile(
    r"(?:bal|balance|avl|avlbl|avail|available|limit|शेष|बैलेंस|up\s*to|upto|तक)"
    r"(?:\W{0,3}(?:bal|amt|amount|balance))?\W{0,12}$"
)
_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}|[0-9]+")
_MODE_WORDS = (
    (PaymentMode.UPI, r"upi|vpa|यूपीआई"),
    (PaymentMode.IMPS, r"imps"),
    (PaymentMode.NEFT, r"neft"),
    (PaymentMode.RTGS, r"rtgs"),
    (PaymentMode.CARD, r"card|pos|ecom|spent"),
    (PaymentMode.NETBANKING, r"net\s?banking|internet banking"),
)
_REF_RES = (
    re.compile(r"(?:upi|imps)/(?:p2a|p2m|p2p|dr|cr)/([0-9]{12})(?![0-9])"),
    re.compile(r"(?:upi|imps|यूपीआई)[/:\-]([0-9]{12})(?![0-9])"),
    re.compile(
        r"(?<![a-z])(?:upi\s*ref(?:erence)?(?:\s*no)?|ref\s*no|refno|ref|rrn|utr(?:\s*no)?|"
        r"upi transaction id|imps ref(?:\s*no)?|neft utr|utr|upi|संदर्भ(?:\s*(?:सं|संख्या))?|"
        r"यूपीआई संदर्भ)\.?\s*[:#\-]?\s*(?:no\.?\s*[:#]?\s*)?\(?([a-z0-9]{12,22})(?![a-z0-9])"
    ),
)
_ACCOUNT_LABEL = r"(?:a/c|acct|account|ac|bank|card|खाते|खाता|from)"
_MASKED_RE = re.compile(
    _ACCOUNT_LABEL + r"\s*(?:no\.?|number|ending(?:\s*with)?)?\s*[:\-]?\s*"
    r"(?:[x*•.]{1,12}\s?|[0-9][x*•]{2,12}|[x*]{0,12}-?)([0-9]{3,6})(?![0-9a-z])"
)
_APP_MASK_RE = re.compile(r"(?:[x*•]{2,12}|\.{3})([0-9]{3,6})(?![0-9])|-\s*([0-9]{4})\s*$", re.M)
_RECEIVER_SIDE_RE = re.compile(r"(?:\bto|credited\s*to|beneficiary|benef|payee|&)\W{0,4}$")
_FULL_ACCOUNT_RE = re.compile(
    r"(?:(?:to|&|beneficiary|benef)\s*)?(?:a/c|acct|account)\s*(?:no\.?)?\s*[:\-]?\s*"
    r"([0-9]{9,18})(?![0-9])(\s*credited)?"
)
_NAME = r"([A-Za-z][A-Za-z .&']{1,39}?)"
_NAME_RES = (
    re.compile(
        r"(?:upi|imps)/(?:p2a|p2m|p2p|dr)/[0-9]{12}/" + _NAME + r"\s*(?:/|\n|$|[.,]\s)", re.I
    ),
    re.compile(r"imps-[0-9]{12}-" + _NAME + r"-", re.I),
    re.compile(r"(?:trf|transferred)\s+to\s+" + _NAME + r"\s+(?:ref|refno|upi|on)\b", re.I),
    re.compile(r"(?:^|\n)\s*to\s+" + _NAME + r"\s*(?:\n|\s+on\s)", re.I),
    re.compile(r"paid\s+(?:[₹a-z.]*\s*[0-9,.]+\s+)?to\s+" + _NAME + r"\s*(?:\n|\s+from\s|$)", re.I),
    re.compile(r";\s*" + _NAME + r"\s+credited", re.I),
    re.compile(r"[,\s]" + _NAME + r"\s+को\s+(?:अंतरित|भेजे)", re.I),
)
_NOT_NAME_WORDS = frozenset(
    {"your", "a/c", "ac", "account", "bank", "upi", "ref", "on", "from", "via", "the", "avl"}
    | {"bal", "not", "you", "vpa", "mobile"}
)


def amount_in(folded: str) -> Decimal | None:
    """The one amount the message moves; a balance, a limit or an offer is not it, and
    two different amounts leave it unread. Dots in an SMS are decimal points."""
    found: set[Decimal] = set()
    for pattern in _AMOUNT_RES:
        for match in pattern.finditer(folded):
            if _NOT_THE_PAYMENT_RE.search(folded, max(0, match.start() - 20), match.start()):
                continue
            raw = match[1]
            whole = raw.split(".")[0]
            if not _GROUPED_RE.fullmatch(whole):
                continue
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern allows only numbers
                continue
            if 0 < value <= MAX_AMOUNT:
                found.add(value.quantize(Decimal("0.01")))
    return found.pop() if len(found) == 1 else None


def mode_in(folded: str) -> PaymentMode | None:
    """The payment mode the message names; two different ones leave it unread."""
    named = {
        mode for mode, words in _MODE_WORDS if re.search(rf"(?<![a-z])(?:{words})(?![a-z])", folded)
    }
    return named.pop() if len(named) == 1 else None


def _fits(reference: str, mode: PaymentMode | None) -> bool:
    if mode is PaymentMode.NEFT:
        return len(reference) in (16, 22) and any(ch.isdigit() for ch in reference)
    if mode is PaymentMode.RTGS:
        return len(reference) == 22 and reference[:4].isalpha()
    return len(reference) == 12 and reference.isdigit()


def reference_in(folded: str, mode: PaymentMode | None) -> str | None:
    """The labelled reference (UTR, RRN, UPI reference) that fits the mode, upper case;
    several different ones leave it unread."""
    found = {
        match[1].upper()
        for pattern in _REF_RES
        for match in pattern.finditer(folded)
        if _fits(match[1].upper(), mode)
    }
    return found.pop() if len(found) == 1 else None


def _clock_after(folded: str, position: int) -> tuple[int, int] | None:
    clock = re.compile(
        r"[\s,:(]{0,4}(?:at\s*)?([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?\s*(am|pm)?(?![0-9])"
    ).match(folded, position)
    if clock is None:
        return None
    hour, minute = int(clock[1]), int(clock[2])
    if clock[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if clock[3] == "pm" else 0)
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def moment_in(folded: str, now: datetime) -> Moment | None:
    """The date of the message, with its time when one follows the date; never a date
    in the future or too old (then None)."""
    try:
        found = find_date(folded, now.astimezone(IST).date())
    except ValidationError:
        return None
    if found is None:
        return None
    day, _start, end = found
    clock = _clock_after(folded, end)
    at = datetime.combine(day, time(*clock) if clock else time(), tzinfo=IST)
    try:
        check_moment(at, now)
    except ValidationError:
        return None
    return Moment(at, Precision.MINUTE if clock else Precision.DAY)


def account_digits(folded: str) -> str | None:
    """The last digits of the account (or card) the message is about: a masked number
    after a label, not one on the receiver's side ("to A/c XX5678")."""
    own = {
        match[1]
        for match in _MASKED_RE.finditer(folded)
        if not _RECEIVER_SIDE_RE.search(folded, max(0, match.start() - 16), match.start())
    }
    if not own:
        own = {match[1] or match[2] for match in _APP_MASK_RE.finditer(folded)}
    return own.pop() if len(own) == 1 else None


def receiver_upi_in(folded: str) -> str | None:
    """The one UPI id the money went to; one that sent money ("from VPA x") is not it."""
    found = {
        match[0].lower()
        for match in VPA_IN_TEXT_RE.finditer(folded)
        if not re.search(
            r"from\W{0,5}(?:vpa\W{0,3})?$", folded[max(0, match.start() - 12) : match.start()]
        )
    }
    return found.pop() if len(found) == 1 else None


def receiver_account_in(folded: str) -> tuple[str | None, str | None]:
    """(account, IFSC) of the receiver when the message gives a whole account number on
    the receiver's side; the IFSC only when the message has exactly one."""
    accounts = {
        match[1]
        for match in _FULL_ACCOUNT_RE.finditer(folded)
        if match[2] or re.match(r"(?:to|&|beneficiary|benef)", match[0])
    }
    if len(accounts) != 1:
        return None, None
    ifscs = set()
    for match in IFSC_IN_TEXT_RE.finditer(folded):
        try:
            ifscs.add(parse_ifsc(match[0]))
        except ValidationError:
            continue
    return accounts.pop(), (ifscs.pop() if len(ifscs) == 1 else None)


def receiver_name_in(text: str) -> str | None:
    """The receiver's name where the message's shape puts it ("trf to RAMESH K Refno",
    "UPI/P2A/<ref>/MOHAN LAL", "Paid to Ramesh Kumar"), as written; None when what
    stands there is not a plain name."""
    found: set[str] = set()
    for pattern in _NAME_RES:
        for match in pattern.finditer(text):
            name = " ".join(match[1].split()).strip(" .")
            words = {word.lower() for word in name.split()}
            if 2 <= len(name) <= 40 and not words & _NOT_NAME_WORDS and not banks_named_in(name):
                found.add(name)
    return found.pop() if len(found) == 1 else None


def bank_in(folded: str) -> tuple[Bank | None, Bank | None]:
    """(debited bank, app) named in the message: the bank when exactly one is named (a
    VPA's handle, an IFSC or a web address is not a name), the app likewise."""
    words = VPA_IN_TEXT_RE.sub(" ", folded)
    words = re.sub(r"\S+\.(?:com|in|co)\S*|\S*@\S+", " ", words)
    named = banks_named_in(words)
    banks = [bank for bank in named if not bank.is_app]
    apps = [bank for bank in named if bank.is_app]
    return (banks[0] if len(banks) == 1 else None), (apps[0] if len(apps) == 1 else None)


def fold_message(text: str) -> str:
    """Lower case with ASCII digits and one spelling, keeping lines and punctuation."""
    return "\n".join(fold_spelling(line) for line in text.splitlines())
