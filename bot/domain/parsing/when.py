"""Read when the fraud happened, from a bank SMS date or from everyday speech.

The complaint needs a date and time, and the golden-hour advice depends on how long
ago it was, so the parser must cope with "14Nov26" copied from an SMS as well as
"कल रात 10 बजे" typed in a panic. Dates are always day first (Indian convention),
two-digit years mean 20YY and कल means yesterday, because the question is about
the past. A time without am/pm is resolved to the latest reading that is not in the
future, which is what someone answering "when did it happen?" almost always means.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.clock import IST
from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import fold_spelling
from bot.domain.parsing.time_words import WEEKDAYS, canonical_time_text
from bot.domain.payments import Moment, Precision, Reading

__all__ = ["MAX_AGE_YEARS", "check_moment", "find_date", "parse_when", "read_when"]

MAX_AGE_YEARS = 5
# Clocks on phones and servers disagree by a little; do not call "just now" the future.
_FUTURE_GRACE = timedelta(minutes=5)
# Longer answers are sentences, not times; refusing them early bounds the work done.
_MAX_LENGTH = 100

_WORD_END = r"(?![a-z\u0900-\u097f])"
_WORD_START = r"(?<![a-z\u0900-\u097f])"

_NOW_RE = re.compile(r"(?:just |right )?now|abhi(?: abhi)?|अभी(?:[ -]अभी)?")
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
_UNIT_WORDS = {
    "minute": "minutes|minute|mins|min|मिनट|mint",
    "hour": "hours|hour|hrs|hr|घंटे|घंटा|घण्टे|घण्टा|ghante|ghanta",
    "day": "days|day|दिन|din",
    "week": "weeks|week|हफ्ते|हफ्ता|hafte",
}
_AGO_RE = re.compile(
    r"(?P<count>[0-9]+(?:\.[0-9]+)?|half an?|an?|one|ek|एक|आधा|आधे|aadha|adha|aadhe)\s*"
    + "(?:"
    + "|".join(f"(?P<{unit}>{words})" for unit, words in _UNIT_WORDS.items())
    + r")\s*(?:ago|back|before|पहले|pehle|pahle)"
)
_WORD_COUNTS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "ek": 1.0, "एक": 1.0,
    "half a": 0.5, "half an": 0.5, "आधा": 0.5, "आधे": 0.5, "aadha": 0.5, "adha": 0.5,
    "aadhe": 0.5,
}  # fmt: skip

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "जनवरी": 1, "फरवरी": 2, "मार्च": 3, "अप्रैल": 4, "मई": 5, "जून": 6, "जुलाई": 7,
    "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10,
    "नवंबर": 11, "नवम्बर": 11, "दिसंबर": 12, "दिसम्बर": 12,
}  # fmt: skip
_MONTH_ALT = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    + "|".join(name for name in _MONTHS if not name.isascii())
    + ")"
    + _WORD_END
)
_MERIDIEM = r"a\.?m\b\.?|p\.?m\b\.?"
_YEAR_TAIL = rf"(?P<y>[0-9]{{4}}|[0-9]{{2}})(?![0-9:.]|\s*(?:{_MERIDIEM}|बजे|baje|hrs?\b))"
_DAY = r"(?<![0-9])(?P<d>[0-9]{1,2})"

_DATE_RES = (
    re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])"),
    re.compile(rf"{_DAY}(?P<sep>[/.\-])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}}|[0-9]{{2}})"
               r"(?![0-9])"),
    re.compile(rf"{_DAY}(?:st|nd|rd|th)?[\s\-/.,]*{_MONTH_ALT}\.?(?:[\s\-/.,']*{_YEAR_TAIL})?"),
    re.compile(rf"{_WORD_START}{_MONTH_ALT}\.?\s*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?(?![0-9:])"
               r"(?:,?\s*(?P<y>[0-9]{4})(?![0-9:]))?"),
    re.compile(r"(?<![0-9:.])(?P<d>[0-9]{1,2})[/\-](?P<m>[0-9]{1,2})(?![0-9/\-:.])"),
)  # fmt: skip
_DAYS_AGO_DATE_RE = re.compile(
    r"(?<![0-9])(?P<ago>[0-9]{1,3})\s*(?:din|days?|दिन)\s*(?:pehle|ago|before|back|पहले)" + _WORD_END
)
_WEEKDAY_RE = re.compile(
    _WORD_START
    + r"(?:(?P<last>last|pichhle|pichle|pichla|previous|पिछले|पिछला)\s+)?(?P<weekday>"
    + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
    + ")"
    + _WORD_END
)
_DAYS_BACK = {
    "day before yesterday": 2, "परसों": 2, "parson": 2, "parso": 2,
    "yesterday": 1, "कल": 1, "kal": 1, "today": 0, "आज": 0, "aaj": 0,
}  # fmt: skip
_DAY_WORD_RE = re.compile(_WORD_START + "(?P<word>" + "|".join(_DAYS_BACK) + ")" + _WORD_END)

# Representative hour when only a part of the day is given ("कल रात").
_PERIODS = {
    "morning": ("सुबह|subah|subeh|morning", 9),
    "noon": ("noon", 12),
    "afternoon": ("दोपहर|dopahar|dopaher|afternoon", 13),
    "evening": ("शाम|sham|shaam|evening", 18),
    "night": ("रात|raat|rat|night", 21),
}
_PERIOD_ALT = "|".join(words for words, _hour in _PERIODS.values())
_CONNECTOR_RE = re.compile(
    _WORD_START
    + r"(?:at|on|around|about|approx|approximately|this|ko|को|लगभग|करीब|kareeb|karib|lagbhag"
    r"|takreeban|taqriban|aas|paas|pass|aaspaas|आसपास|पास|ke|के|ki|की|ka|का|se|से|me|mein|में"
    r"|hua|hui|tha|thi|था|थी|हुआ|हुई|hai|है|paise|paisa|पैसे|kat|kate|kata|कटे|gaye|gaya|गए"
    r"|gye|ye|yeh|ये|it|was|happened|time|samay|समय|waqt|वक्त|when|jab|जब)" + _WORD_END + r"|[,@]"
)
_TIME_RE = re.compile(
    rf"(?:(?P<p1>{_PERIOD_ALT})\s*)?"
    r"(?:(?P<h>[0-9]{1,2})(?:(?P<sep>[:.])(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?)?"
    rf"\s*(?P<mer>{_MERIDIEM})?\s*(?P<baje>बजे|baje|o'?clock|hrs?|hours)?)?"
    rf"(?:\s*(?P<p2>{_PERIOD_ALT}))?"
)


_AT_HOUR_RE = re.compile(r"(?<![a-z])at\s+(?P<h>[0-9]{1,2})(?![0-9:.]|\s*(?:[ap]\.?m|o'?clock))")


def _unreadable() -> ValidationError:
    return ValidationError("error.when.unreadable")


def _invalid() -> ValidationError:
    return ValidationError("error.when.invalid_date")


def _period_name(word: str | None) -> str | None:
    if word is None:
        return None
    return next(name for name, (words, _h) in _PERIODS.items() if word in words.split("|"))


def _relative(match: re.Match[str], now: datetime) -> datetime:
    """Subtract "2 घंटे" or "half an hour" from now, refusing absurd spans cheaply."""
    raw = " ".join(match["count"].split())
    count = _WORD_COUNTS[raw] if raw in _WORD_COUNTS else float(raw)
    unit = next(name for name in _UNIT_MINUTES if match[name])
    minutes = count * _UNIT_MINUTES[unit]
    if minutes > (MAX_AGE_YEARS + 1) * 366 * 1440:
        raise ValidationError("error.when.too_old", years=MAX_AGE_YEARS)
    moment = now - timedelta(minutes=minutes)
    if unit in ("day", "week"):
        # "2 din pehle" estimates the day, not the time: the clock of the moment it was
        # typed says nothing about it, so the estimate is that day's midnight.
        return datetime.combine(moment.date(), time(0), IST)
    return moment


def _date_from(match: re.Match[str], today: date) -> date:
    """Build the date a pattern matched; a missing year means the latest past one."""
    groups = match.groupdict()
    if groups.get("word"):
        return today - timedelta(days=_DAYS_BACK[groups["word"]])
    if groups.get("ago"):
        return today - timedelta(days=min(int(groups["ago"]), 999))
    if groups.get("weekday"):
        back = (today.weekday() - WEEKDAYS[groups["weekday"]]) % 7
        return today - timedelta(days=back or (7 if groups["last"] else 0))
    if groups.get("m"):
        month = int(groups["m"])
    else:
        name = groups["mon"]
        month = _MONTHS[name[:3] if name.isascii() else name]
    day = int(groups["d"])
    year_text = groups.get("y")
    try:
        if year_text is None:
            found = date(today.year, month, day)
            return found if found <= today else date(today.year - 1, month, day)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return date(year, month, day)
    except ValueError:
        raise _invalid() from None


def _hours(match: re.Match[str], explicit_past_day: bool) -> tuple[list[int], str | None, bool]:
    """The possible 24-hour readings of the clock part, the part of day, and whether
    morning or evening had to be guessed (an hour from 1 to 11 said without am/pm, part
    of the day or a leading zero)."""
    if match["p1"] and match["p2"]:
        raise _unreadable()
    period = _period_name(match["p1"] or match["p2"])
    if match["h"] is None:
        return ([_PERIODS[period][1]] if period else []), period, False
    hour, meridiem = int(match["h"]), (match["mer"] or "").replace(".", "")
    marked = bool(meridiem or match["baje"] or period)
    if (match["sep"] == "." or match["mi"] is None) and not marked:
        raise _unreadable()
    if meridiem:
        if 13 <= hour <= 23 and meridiem == "pm":
            return [hour], period, False
        if not 1 <= hour <= 12:
            raise _invalid()
        return [hour % 12 + (12 if meridiem == "pm" else 0)], period, False
    if hour > 23:
        raise _invalid()
    if hour == 0 or hour > 12 or match["h"].startswith("0"):
        return [hour], period, False
    if period in ("afternoon", "evening") and hour < 12 and (period == "evening" or hour <= 5):
        return [hour + 12], period, False
    if period == "night":
        return [0 if hour == 12 else hour + 12 if hour >= 7 else hour], period, False
    if period or hour == 12:
        return [hour], period, False
    if explicit_past_day:
        return [hour + 12 if hour <= 6 else hour], period, True
    return [hour, hour + 12], period, True


def _split_date(text: str, today: date) -> tuple[date | None, str, bool]:
    """Find at most one date in the text; return it, the remaining text, and whether it
    was a weekday named on that same weekday ("somvar" said on a Monday: today?)."""
    for pattern in (*_DATE_RES, _DAYS_AGO_DATE_RE, _WEEKDAY_RE, _DAY_WORD_RE):
        match = pattern.search(text)
        if match:
            rest = text[: match.start()] + " " + text[match.end() :]
            weekday = match.groupdict().get("weekday")
            said_today = weekday is not None and WEEKDAYS[weekday] == today.weekday()
            return _date_from(match, today), rest, said_today and not match["last"]
    return None, text, False


def find_date(folded: str, today: date) -> tuple[date, int, int] | None:
    """The first written date in a longer text (an SMS) and where it is: a numeric date
    with its year, or a day with a month name; never a bare "27/11" or a day word.
    Raises `error.when.invalid_date` for a date that does not exist."""
    found = [match for pattern in _DATE_RES[:4] if (match := pattern.search(folded))]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return _date_from(first, today), first.start(), first.end()


def check_moment(moment: datetime, now: datetime) -> datetime:
    """`moment`, or `error.when.future` / `error.when.too_old` as `read_when` refuses."""
    return _check(moment, now.astimezone(IST))


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _check(result: datetime, now: datetime) -> datetime:
    if result > now + _FUTURE_GRACE:
        raise ValidationError("error.when.future")
    if result < _years_before(now, MAX_AGE_YEARS):
        raise ValidationError("error.when.too_old", years=MAX_AGE_YEARS)
    return result


# Money that is already lost cannot leave "tomorrow": say so instead of "unreadable".
_FUTURE_WORD_RE = re.compile(r"\b(tomorrow|tmrw|next week|agle hafte)\b")


def _prepared(text: str) -> str:
    if len(text) > _MAX_LENGTH * 2:
        raise _unreadable()
    folded = fold_spelling(text).rstrip("!?. ").replace("last night", "yesterday night")
    if len(folded) > _MAX_LENGTH:
        raise _unreadable()
    # "today at 3": "at" before a bare number makes it a clock time, as "baje" does.
    folded = _AT_HOUR_RE.sub(r"\g<h> o'clock", folded)
    return canonical_time_text(folded)


def _on_the_clock(
    day: date | None, rest: str, now: datetime, same_weekday: bool
) -> Reading[Moment]:
    """The moment of a date and/or a clock or part of the day, with its precision."""
    today = now.date()
    clock = _TIME_RE.fullmatch(rest)
    if clock is None or (day is None and not rest):
        raise _unreadable()
    hours, period, guessed = _hours(clock, explicit_past_day=day is not None and day != today)
    why = "unsure.when.weekday" if same_weekday else ""
    if not hours:
        moment = _check(datetime.combine(day or today, time(), tzinfo=IST), now)
        return Reading(Moment(moment, Precision.DAY), sure=not why, why=why)
    minute, second = int(clock["mi"] or 0), int(clock["s"] or 0)
    if minute > 59 or second > 59:
        raise _invalid()
    days = [day] if day else [today, today - timedelta(days=1)]
    if period == "night" and hours[0] < 6:
        days += [d + timedelta(days=1) for d in days if d < date.max]
    candidates = [
        datetime.combine(d, time(h, minute, second), tzinfo=IST) for d in days for h in hours
    ]
    past = [c for c in candidates if c <= now + _FUTURE_GRACE]
    moment = _check(max(past) if past else min(candidates), now)
    precision = (
        Precision.MINUTE if clock["mi"] else Precision.HOUR if clock["h"] else Precision.PART_OF_DAY
    )
    why = why or ("unsure.when.am_pm" if guessed else "")
    return Reading(Moment(moment, precision), sure=not why, why=why)


def read_when(text: str, now: datetime) -> Reading[Moment]:
    """When `text` says it happened, as exactly as it says it, in IST.

    `now` must be timezone-aware (a naive value is a programming error: ValueError).
    A date without a time is a DAY (its midnight, never shown as a time); a time without
    a date is the latest such moment today or yesterday that is not in the future; a part
    of day without a clock ("कल रात") is a PART_OF_DAY at a representative hour (9, 12,
    13, 18 or 21); "2 din pehle", "2 ghante pehle" and "abhi" are ABOUT. Small hours of
    the night ("कल रात 2 बजे") belong to the following calendar day. Unsure: an hour
    said without morning or evening ("3 baje", "9:30"), a weekday named on that weekday.
    The future and more than `MAX_AGE_YEARS` ago are refused.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(IST)
    folded = _prepared(text)
    if _NOW_RE.fullmatch(folded):
        return Reading(Moment(now, Precision.ABOUT))
    if _FUTURE_WORD_RE.search(folded):
        raise ValidationError("error.when.future")
    if ago := _AGO_RE.fullmatch(folded):
        return Reading(Moment(_check(_relative(ago, now), now), Precision.ABOUT))
    day, rest, same_weekday = _split_date(folded, now.date())
    rest = " ".join(_CONNECTOR_RE.sub(" ", rest).split())
    return _on_the_clock(day, rest, now, same_weekday)


def parse_when(text: str, now: datetime) -> datetime:
    """The moment `read_when` reads, without its precision (kept for callers that store
    a datetime; new callers should keep the `Moment`)."""
    return read_when(text, now).value.at
