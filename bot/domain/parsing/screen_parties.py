"""When, through which app or bank, and to whom: the rest of a payment screen.

Screens show more than one of each kind of thing: the phone's own clock in the status
bar, the payer's UPI id beside the receiver's, the receiver's bank beside the payer's.
So each value is taken only from where the screen says what it is (a date and time on
one line; a UPI id under "To" or "UPI ID", not under "From" or "Your UPI ID"), and two
different readings of one field give None: the conversation then asks.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.clock import IST
from bot.domain.parsing.screen_lines import ScreenLines
from bot.domain.payments import Moment, Precision

__all__ = ["read_app", "read_bank", "read_moment", "read_receiver_name", "read_receiver_upi"]

# fmt: off
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "जनवरी": 1, "फरवरी": 2, "मार्च": 3, "अप्रैल": 4, "मई": 5, "जून": 6, "जुलाई": 7,
    "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10, "नवंबर": 11,
    "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
}
# fmt: on
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    + "|".join(name for name in _MONTHS if not name.isascii())
    + r")(?![a-z\u0900-\u097f])\.?"
)
_DATE_RES = (
    re.compile(
        rf"(?<![0-9])(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?[\s\-/.,]*{_MONTH}[\s\-/.,']*"
        r"(?P<y>[0-9]{4})(?![0-9])"
    ),
    re.compile(
        rf"(?<![a-z]){_MONTH}\s*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y>[0-9]{{4}})"
        r"(?![0-9])"
    ),
    re.compile(
        r"(?<![0-9])(?P<d>[0-9]{1,2})(?P<sep>[/\-.])(?P<m>[0-9]{1,2})(?P=sep)"
        r"(?P<y>[0-9]{4})(?![0-9])"
    ),
    re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])"),
)
_TIME_RE = re.compile(
    r"(?<![0-9:.])(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?![0-9])"
    r"\s*(?P<mer>[ap]\.?\s?m(?![a-z])\.?|पूर्वाह्न|अपराह्न)?"
)
_PERIODS = {"सुबह": "morning", "दोपहर": "afternoon", "शाम": "evening", "रात": "night"}
_PERIOD_RE = re.compile("|".join(_PERIODS))
_MAX_AGE = timedelta(days=5 * 366)
_FUTURE_GRACE = timedelta(minutes=5)

_APPS = (
    ("Google Pay", r"goog\w{0,2}\s?pay|(?<![a-z])g\s?pay(?![a-z])"),
    ("PhonePe", r"phone\s?pe(?![a-z])"),
    ("Paytm", r"(?<![a-z])paytm(?![a-z])"),
    ("BHIM", r"(?<![a-z])bhim(?![a-z])"),
)
_BANKS = (
    ("SBI", r"(?<![a-z])(?:sbi|yono)(?![a-z])|state bank of india"),
    ("HDFC Bank", r"(?<![a-z])hdfc(?![a-z])"),
    ("ICICI Bank", r"(?<![a-z])(?:icici|imobile)(?![a-z])"),
    ("Axis Bank", r"(?<![a-z])axis(?![a-z])"),
    ("PNB", r"(?<![a-z])pnb(?![a-z])|punjab national"),
    ("Bank of Baroda", r"bank of baroda|(?<![a-z])bob(?![a-z])"),
    ("Kotak Bank", r"(?<![a-z])kotak(?![a-z])"),
    ("Canara Bank", r"(?<![a-z])canara(?![a-z])"),
    ("Union Bank", r"union bank"),
)
_ANY_VPA_RE = re.compile(r"(?<!\S)\S*@\S*")
_HEADER_LINES = 4
# UPI handles in use; a handle OCR has garbled ("@oksb;") is not one of them.
# fmt: off
_HANDLES = frozenset((
    "ybl", "ibl", "axl", "okaxis", "oksbi", "okhdfcbank", "okicici", "paytm", "pthdfc",
    "ptsbi", "ptaxis", "ptyes", "upi", "apl", "yapl", "rapl", "abfspay", "axisbank", "icici",
    "sbi", "hdfcbank", "kotak", "kbl", "pnb", "barodampay", "boi", "cnrb", "unionbankofindia",
    "uboi", "idfcbank", "indus", "federal", "aubank", "yesbank", "airtel", "jio", "ikwik",
    "mbk", "freecharge", "slice", "superyes", "timecosmos", "naviaxis", "jupiteraxis",
    "waaxis", "wahdfcbank", "wasbi",
))
# fmt: on
_VPA_RE = re.compile(
    r"(?<![\w.\-@])(?P<vpa>[a-z0-9][a-z0-9.\-_]{1,255}@(?P<handle>[a-z]{2,64}))(?!\S)"
)
_CONFUSABLE_BOUNDARY_RE = re.compile(
    r"[lioszLIOSZ][0-9]|[0-9][lioszLIOSZ]|[a-zA-Z][0125]|[0125][a-zA-Z]"
)
_PAYER_LABEL_RE = re.compile(r"your|from|debited|आपकी|खाते से|डेबिट|से भुगतान|भुगतानकर्ता")
# "UPI ID" as OCR reads it: "UPIID", "UPL ID", "uPI 1D"; in Hindi "आईडी" (the payer's is
# caught first by "your"/"आपकी").
_RECEIVER_LABEL_RE = re.compile(
    r"up[il1|]?\s*[il1|]d(?![a-z])|आईडी|vpa|(?<![a-z])to(?![a-z])|beneficiary|payee"
    r"|प्राप्तकर्ता|लाभार्थी|को भेजा"
)
_LABEL_AT_END_RE = re.compile(rf"(?:{_RECEIVER_LABEL_RE.pattern})\s*$")
_NAME_LABEL_RE = re.compile(
    r"(?:(?<![a-z])(?:paid|sent)\s+to|(?<![a-z])to|beneficiary(?:\s+name)?|payee(?:\s+name)?"
    r"|प्राप्तकर्ता|लाभार्थी|को भेजा गया)(?![a-z])\s*[:\-]?\s*"
)
_NAME_RE = re.compile(
    r"(?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z]\.)(?: (?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z]\.)){1,4}"
)
_NOT_NAME_WORDS = frozenset(
    ("upi", "id", "vpa", "date", "time", "bank", "ref", "utr", "rrn", "transaction", "from")
)


def _date_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups.get("m"):
        month = int(groups["m"])
    else:
        name = groups["mon"].rstrip(".")
        month = _MONTHS[name[:3] if name.isascii() else name]
    try:
        return date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


def _hour(match: re.Match[str], line: str, numeric_date: bool) -> int | None:
    """The 24-hour hour, or None when a 12-hour clock may have lost its am/pm."""
    hour, meridiem = int(match["h"]), (match["mer"] or "").replace(".", "").replace(" ", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        afternoon = meridiem in ("pm", "अपराह्न")
        return hour % 12 + (12 if afternoon else 0)
    period = _PERIOD_RE.search(line)
    if period and 1 <= hour <= 12:
        name = _PERIODS[period[0]]
        later = (
            name in ("afternoon", "evening") and hour < 12 and (name == "evening" or hour <= 5)
        ) or (name == "night" and hour >= 6 and hour != 12)
        return hour + 12 if later else hour
    if hour > 23:
        return None
    return hour if hour == 0 or hour > 12 or numeric_date else None


def _moment_on(line: str, today: date) -> Moment | None:
    for index, pattern in enumerate(_DATE_RES):
        found = pattern.search(line)
        if found is None:
            continue
        day = _date_of(found)
        if day is None:
            return None
        rest = line[: found.start()] + " " + line[found.end() :]
        clock = _TIME_RE.search(rest)
        hour = _hour(clock, rest, numeric_date=index >= 2) if clock else None
        if clock is None or hour is None or int(clock["mi"]) > 59 or int(clock["s"] or 0) > 59:
            return Moment(datetime.combine(day, time(), tzinfo=IST), Precision.DAY)
        at = time(hour, int(clock["mi"]), int(clock["s"] or 0))
        return Moment(datetime.combine(day, at, tzinfo=IST), Precision.MINUTE)
    return None


def read_moment(screen: ScreenLines, now: datetime) -> Moment | None:
    """The payment's date and time, as exactly as the screen shows it; a time is taken
    only from the date's own line, so the status bar's clock never counts."""
    now = now.astimezone(IST)
    found = {m for line in screen.folded if (m := _moment_on(line, now.date())) is not None}
    exact = {m for m in found if m.precision is Precision.MINUTE}
    days = {m.at.date() for m in found}
    if len(days) != 1 or len(exact) > 1:
        return None
    moment = exact.pop() if exact else found.pop()
    if moment.at > now + _FUTURE_GRACE or moment.at < now - _MAX_AGE:
        return None
    return moment


def _named(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    names = {name for name, pattern in table if re.search(pattern, text)}
    return names.pop() if len(names) == 1 else None


def _header(screen: ScreenLines) -> str:
    """The first lines: the phone's status bar and the app's own title bar."""
    return _ANY_VPA_RE.sub(" ", "\n".join(screen.folded[:_HEADER_LINES]))


def read_app(screen: ScreenLines) -> str | None:
    """The UPI app named in the title bar: elsewhere a name may be a logo ("BHIM UPI" on
    other apps' screens) or a UPI id's handle (x@paytm)."""
    return _named(_header(screen), _APPS)


def read_bank(screen: ScreenLines) -> str | None:
    """The bank debited: named in a bank app's title bar, or beside or under "From",
    "Debited from", "खाते से"; never the receiver's bank beside "To"."""
    places = [_header(screen)]
    for index, line in enumerate(screen.folded):
        if _PAYER_LABEL_RE.search(line):
            places.extend(screen.folded[index : index + 2])
    return _named(_ANY_VPA_RE.sub(" ", "\n".join(places)), _BANKS)


def _side(screen: ScreenLines, index: int, start: int) -> str | None:
    """Whose UPI id sits at this place: the nearest label on its line or above says."""
    candidates = [screen.folded[index][:start]] + [
        screen.folded[i] for i in range(index - 1, max(-1, index - 3), -1)
    ]
    for text in candidates:
        if _PAYER_LABEL_RE.search(text):
            return "payer"
        if _RECEIVER_LABEL_RE.search(text):
            return "receiver"
    return None


def _ambiguous(user: str) -> bool:
    """True when a letter meets a digit and one of them has a look-alike on the other
    side (l/1, i/1, o/0, s/5, z/2): "kavita15" came back as "kavital5", and nothing in
    an id says which was printed."""
    return bool(_CONFUSABLE_BOUNDARY_RE.search(user))


def _stands_alone(before: str) -> bool:
    """A UPI id starts a line or follows its label; after a stray word or number it may be
    the tail of an id OCR split in two ("agrawalg8669011 915@paytm")."""
    before = before.rstrip()
    return not before or before.endswith(":") or bool(_LABEL_AT_END_RE.search(before))


def read_receiver_upi(screen: ScreenLines) -> str | None:
    found: set[str] = set()
    for index, line in enumerate(screen.folded):
        for match in _VPA_RE.finditer(line):
            if (
                match["handle"] in _HANDLES
                and not _ambiguous(match["vpa"].split("@")[0])
                and _stands_alone(line[: match.start()])
                and _side(screen, index, match.start()) == "receiver"
            ):
                found.add(match["vpa"])
    return found.pop() if len(found) == 1 else None


def _name_in(text: str) -> str | None:
    candidate = text.strip(" :-")
    if not _NAME_RE.fullmatch(candidate) or len(candidate) > 60:
        return None
    words = {word.casefold().rstrip(".") for word in candidate.split()}
    return None if words & _NOT_NAME_WORDS else candidate


def read_receiver_name(screen: ScreenLines) -> str | None:
    """The name beside or under "Paid to", "To", "Beneficiary" or their Hindi words."""
    found: dict[str, str] = {}
    for index, line in enumerate(screen.folded):
        label = _NAME_LABEL_RE.search(line)
        if label is None:
            continue
        rest, *below = screen.after(index, label.end())
        name = _name_in(rest) if rest.strip() else (_name_in(below[0]) if below else None)
        if name is not None:
            found.setdefault(name.casefold(), name)
    return next(iter(found.values())) if len(found) == 1 else None
