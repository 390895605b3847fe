"""What each app's payment screen says, line by line, in English or Hindi.

A layout is a list of elements (header bar, status icon, text, label/value pairs) that
`render.py` draws; alongside it goes the set of fields the screen shows, which becomes the
image's label. The wording and order follow the public look of each app's success and
transaction-detail screens; the values are invented (`fakes.py`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bot.domain.payments import PaymentStatus
from tests.screens.fakes import Payment, indian_grouping

APPS = ("gpay", "phonepe", "paytm", "bhim", "sbi", "hdfc", "icici", "axis")
BANK_APPS = {"sbi": "SBI", "hdfc": "HDFC Bank", "icici": "ICICI Bank", "axis": "Axis Bank"}
APP_NAMES = {"gpay": "Google Pay", "phonepe": "PhonePe", "paytm": "Paytm", "bhim": "BHIM"}
BRAND = {
    "gpay": ("Google Pay", (26, 115, 232)),
    "phonepe": ("PhonePe", (95, 37, 159)),
    "paytm": ("Paytm", (0, 46, 110)),
    "bhim": ("BHIM UPI", (0, 100, 70)),
    "sbi": ("YONO SBI", (40, 0, 113)),
    "hdfc": ("HDFC Bank", (0, 76, 143)),
    "icici": ("ICICI Bank iMobile", (176, 58, 46)),
    "axis": ("Axis Bank", (151, 20, 77)),
}
MONTHS_HI = (
    "जनवरी",
    "फरवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
)

STATUS_TEXT = {
    ("en", PaymentStatus.SUCCESS): (
        "Payment Successful",
        "Paid successfully",
        "Transaction Successful",
        "Money sent successfully",
    ),
    ("en", PaymentStatus.PENDING): ("Payment Pending", "Transaction pending"),
    ("en", PaymentStatus.FAILED): ("Payment Failed", "Transaction failed"),
    ("hi", PaymentStatus.SUCCESS): ("भुगतान सफल", "भुगतान सफल रहा", "लेनदेन सफल"),
    ("hi", PaymentStatus.PENDING): ("भुगतान लंबित है", "लेनदेन लंबित"),
    ("hi", PaymentStatus.FAILED): ("भुगतान विफल", "लेनदेन असफल"),
}
# Per app: label words in (English, Hindi).
WORDS = {
    "ref": {
        "gpay": ("UPI transaction ID", "UPI लेनदेन आईडी"),
        "phonepe": ("UTR", "UTR"),
        "paytm": ("UPI Ref No", "UPI संदर्भ संख्या"),
        "bhim": ("UPI Ref ID", "UPI संदर्भ आईडी"),
        "sbi": ("Reference No (UTR)", "संदर्भ संख्या (UTR)"),
        "hdfc": ("RRN", "RRN"),
        "icici": ("UPI Reference Number", "UPI संदर्भ संख्या"),
        "axis": ("RRN No.", "RRN नंबर"),
    },
    "txn": {
        "gpay": ("Google transaction ID", "Google लेनदेन आईडी"),
        "phonepe": ("Transaction ID", "लेनदेन आईडी"),
        "paytm": ("Order ID", "ऑर्डर आईडी"),
        "bhim": ("Transaction ID", "लेनदेन आईडी"),
        "sbi": ("Transaction ID", "लेनदेन आईडी"),
        "hdfc": ("Transaction ID", "लेनदेन आईडी"),
        "icici": ("Transaction ID", "लेनदेन आईडी"),
        "axis": ("Transaction ID", "लेनदेन आईडी"),
    },
}
TO = ("Paid to", "To", "Sent to", "Beneficiary")
TO_HI = ("प्राप्तकर्ता", "को भेजा गया", "लाभार्थी")
FROM = ("From", "Debited from", "Paid from")
FROM_HI = ("डेबिट खाता", "से भुगतान", "खाते से")


@dataclass(frozen=True)
class Element:
    """One thing drawn on the screen; `kind` picks how (see render.py)."""

    kind: str  # bar | icon | text | pair | stack | space | rule
    text: str = ""
    value: str = ""
    size: int = 40
    bold: bool = False
    role: str = "text"
    align: str = "left"


@dataclass(frozen=True)
class Screen:
    app: str
    language: str  # en | hi
    elements: tuple[Element, ...]
    shows: frozenset[str]  # fields of PaymentText the screen shows
    at: datetime  # the moment as shown (seconds dropped when not shown)
    brand_color: tuple[int, int, int]


def amount_text(rng: random.Random, payment: Payment, app: str) -> str:
    if app in BANK_APPS:
        prefix = rng.choice(("INR ", "Rs. ", "₹ ", "Rs "))
        return prefix + indian_grouping(payment.amount, paise=True)
    return rng.choice(("₹", "₹", "₹ ")) + indian_grouping(payment.amount, paise=rng.random() < 0.3)


def date_text(rng: random.Random, at: datetime, language: str) -> tuple[str, bool]:
    """The date and time as some app prints it, and whether seconds are shown."""
    h12 = at.strftime("%I").lstrip("0") if rng.random() < 0.5 else at.strftime("%I")
    mer = at.strftime("%p") if rng.random() < 0.6 else at.strftime("%p").lower()
    if language == "hi" and rng.random() < 0.6:
        month = MONTHS_HI[at.month - 1]
        return f"{at.day} {month} {at.year}, {h12}:{at:%M} {mer}", False
    style = rng.randint(0, 5)
    formats = (
        (f"{at.day} {at:%b %Y}, {h12}:{at:%M} {mer}", False),
        (f"{at.day} {at:%B %Y} at {h12}:{at:%M} {mer}", False),
        (f"{at:%b} {at.day}, {at.year} {h12}:{at:%M} {mer}", False),
        (f"{at:%d/%m/%Y %H:%M:%S}", True),
        (f"{at:%d-%m-%Y} {at:%H:%M}", False),
        (f"{at:%d-%b-%Y} {h12}:{at:%M} {mer}", False),
    )
    return formats[style]


def _word(language: str, pair: tuple[str, str]) -> str:
    return pair[0] if language == "en" else pair[1]


def _status(rng: random.Random, payment: Payment, language: str) -> Element:
    role = {"success": "good", "pending": "warn", "failed": "bad"}[payment.status.value]
    text = rng.choice(STATUS_TEXT[(language, payment.status)])
    return Element("text", text, size=50, bold=True, role=role, align="center")


def _payer(rng: random.Random, payment: Payment, bank: str) -> str:
    dots = rng.choice(("XX", "XXXX", "••••", "xxxx ", "*"))
    return f"{bank} {dots}{payment.payer_last_digits}"


def _head(rng: random.Random, payment: Payment, app: str, language: str) -> list[Element]:
    brand = BRAND[app][0]
    head = [Element("bar", brand)]
    head.append(Element("icon", payment.status.value))
    head.append(_status(rng, payment, language))
    return head


def _field(
    rng: random.Random, stacked: bool, label: str, value: str, bold: bool = False
) -> list[Element]:
    if stacked:
        return [Element("stack", label, value, bold=bold)]
    return [Element("pair", label, value, bold=bold)]


def build_screen(
    rng: random.Random, payment: Payment, app: str, language: str, detailed: bool
) -> Screen:
    """Lay out a success screen (big amount, short) or a transaction-detail screen."""
    shows = {"status", "amount", "receiver_name", "occurred_at"}
    bank = BANK_APPS.get(app, payment.payer_bank)
    elements = _head(rng, payment, app, language)
    shows.add("bank" if app in BANK_APPS else "app")
    date, seconds = date_text(rng, payment.at, language)
    at = payment.at if seconds else payment.at.replace(second=0)
    elements.append(
        Element("text", amount_text(rng, payment, app), size=96, bold=True, align="center")
    )
    stacked = app in ("gpay", "phonepe") or rng.random() < 0.3
    to_label = rng.choice(TO) if language == "en" else rng.choice(TO_HI)
    elements += _field(rng, stacked, to_label, payment.receiver_name, bold=True)
    if detailed or rng.random() < 0.6:
        elements += _field(
            rng, stacked, "UPI ID" if language == "en" else "UPI आईडी", payment.receiver_upi
        )
        shows.add("receiver_upi")
    date_label = "Date & Time" if language == "en" else "दिनांक और समय"
    elements += _field(rng, stacked, date_label, date)
    if detailed or app in BANK_APPS or rng.random() < 0.5:
        elements.append(Element("rule"))
        ref_label = _word(language, WORDS["ref"][app])
        ref = payment.reference
        if rng.random() < 0.25:  # some apps print it in groups of four
            ref = " ".join((ref[:4], ref[4:8], ref[8:]))
        elements += _field(rng, stacked, ref_label, ref, bold=True)
        shows.add("reference")
    if detailed:
        elements += _details(rng, payment, app, language, stacked=stacked, bank=bank)
        if app not in BANK_APPS:
            shows.add("bank")
    return Screen(app, language, tuple(elements), frozenset(shows), at, BRAND[app][1])


def _details(
    rng: random.Random, payment: Payment, app: str, language: str, *, stacked: bool, bank: str
) -> list[Element]:
    """Where the money came from and the app's own ids: true values and distractors."""
    from_label = rng.choice(FROM) if language == "en" else rng.choice(FROM_HI)
    elements = _field(rng, stacked, from_label, _payer(rng, payment, bank))
    if rng.random() < 0.5:
        elements += _field(
            rng, stacked, "Your UPI ID" if language == "en" else "आपकी UPI आईडी", payment.payer_upi
        )
    elements += _field(rng, stacked, _word(language, WORDS["txn"][app]), payment.app_txn_id)
    if app in BANK_APPS or rng.random() < 0.3:
        care = "Customer care" if language == "en" else "ग्राहक सेवा"
        elements.append(
            Element(
                "text",
                f"{care}: {payment.mobile[:5]} {payment.mobile[5:]}",
                size=32,
                role="muted",
                align="center",
            )
        )
    return elements
