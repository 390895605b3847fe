"""The screen-text extractor on OCR-like text: what it must read, and what it must refuse.

Every refusal here is a case where reading something would have put a wrong value in a
bank's hold request. The texts imitate Tesseract's output on app screens, including its
usual mistakes (O for 0, l for 1, the rupee sign read as "2", "%", "~" or "२", spaces
inside the 12-digit reference, lost am/pm, a split UPI id).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from bot.domain.clock import IST
from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.parsing.screens import agree, read_payment_screen
from bot.domain.payments import MessageKind, Moment, PaymentStatus, PaymentText, Precision

NOW = datetime(2026, 11, 28, 18, 30, tzinfo=IST)

GPAY_DETAILS = """\
9:41 4G 78%
Google Pay
Payment Successful
₹15,000
Paid to
RAMESH KUMAR
UPI ID
rameshk@okaxis
Date & Time
27 Nov 2026, 4:10 pm
UPI transaction ID
6331 9876 1234
From
HDFC Bank XXXX4821
Your UPI ID
anita.sahu@okhdfcbank
Google transaction ID
CICAgOiJ8oXnWQ
"""


def read_one(text: str) -> PaymentText:
    readings = read_payment_screen(text, NOW)
    assert len(readings) == 1
    return readings[0]


def test_a_clean_detail_screen_gives_every_field() -> None:
    payment = read_one(GPAY_DETAILS)
    assert payment == PaymentText(
        kind=MessageKind.DEBIT,
        status=PaymentStatus.SUCCESS,
        amount=Decimal(15000),
        mode=PaymentMode.UPI,
        reference="633198761234",
        occurred_at=Moment(datetime(2026, 11, 27, 16, 10, tzinfo=IST), Precision.MINUTE),
        bank="HDFC Bank",
        app="Google Pay",
        receiver_upi="rameshk@okaxis",
        receiver_name="RAMESH KUMAR",
    )


def test_the_status_bar_clock_is_not_the_payment_time() -> None:
    payment = read_one(GPAY_DETAILS)
    assert payment.occurred_at is not None
    assert payment.occurred_at.at.hour == 16


def test_the_payers_own_upi_id_is_never_the_receivers() -> None:
    text = GPAY_DETAILS.replace("UPI ID\nrameshk@okaxis\n", "")
    assert read_one(text).receiver_upi is None


def test_the_apps_own_transaction_id_is_never_the_utr() -> None:
    text = GPAY_DETAILS.replace("UPI transaction ID\n6331 9876 1234\n", "")
    text = text.replace("CICAgOiJ8oXnWQ", "633198761234")
    assert read_one(text).reference is None


@pytest.mark.parametrize(
    ("line", "reference"),
    [
        ("UTR: 633198761234", "633198761234"),
        ("UPI Ref No 6331 9876 1234", "633198761234"),
        ("RRN 6331-9876-1234", "633198761234"),
        ("UPI Ref ID 63319876l234", "633198761234"),  # l read for 1
        ("Reference No (UTR) 6331987612O4", "633198761204"),  # O read for 0
        ("UP] लेनदेन आईडी 633198761234", "633198761234"),  # UPI read as UP]
        ("UPI Hae संख्या 633198761234", "633198761234"),  # संदर्भ garbled
        ("लेनदेन आईडी 633198761234", None),  # the app's transaction id, in Hindi
        ("संदर्भ संख्या (UTR) 633198761234", "633198761234"),
        ("UTR 63319876123", None),  # 11 digits: one was lost
        ("UTR 6331987612345", None),  # 13 digits
        ("UTR 633198761234 5", None),  # a stray digit after it: which is the last?
        ("Transaction ID 633198761234", None),  # not the UPI reference's label
        ("UTR 6331 98?6 1234", None),
    ],
)
def test_references_are_read_only_whole_and_labelled(line: str, reference: str | None) -> None:
    assert read_one(f"Payment Successful\n{line}").reference == reference


def test_a_reference_under_its_label_is_read_but_not_one_two_lines_down() -> None:
    assert read_one("Payment Successful\nUTR\n633198761234").reference == "633198761234"
    assert read_one("Payment Successful\nUTR\nFrom SBI\n633198761234").reference is None


def test_two_different_references_give_none() -> None:
    text = "Payment Successful\nUTR 633198761234\nRRN 633198761235"
    assert read_one(text).reference is None


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("₹15,000", Decimal(15000)),
        ("₹ 1,95,000.50", Decimal("195000.50")),
        ("Rs. 2,700.00", Decimal(2700)),
        ("INR 50,000.00", Decimal(50000)),
        ("%677.39", Decimal("677.39")),  # the rupee sign read as %
        ("~ 5,500.37", Decimal("5500.37")),
        ("२6,200", Decimal(6200)),  # the rupee sign read as a Devanagari two
        ("ह 1,300.00", Decimal(1300)),
        ("¥~1,00,000.00", Decimal(100000)),  # the sign read as two symbols
        ("X~ 64,000.00", Decimal(64000)),
        ("F 3,500.00", Decimal(3500)),
        ("~300", Decimal(300)),  # behind a sign look-alike even without grouping
        ("ह 300", None),  # but not behind a letter
        ("~3,/00", None),
        ("~8 096", None),  # 8,096 or 8 and 096?
        ("२५ 2,624.00", Decimal(2624)),  # "Rs." as the Hindi model reads it
        ("२५, 5,923.00", Decimal(5923)),
        ("₹२1,26,000", None),  # ₹1,26,000 or ₹21,26,000?
        ("२३,400", None),  # ₹3,400 with the 3 read as ३, or 23,400?
        ("Amount: 4,392.00", Decimal("4392.00")),
        ("₹1,5O0", Decimal(1500)),  # O read for 0
        ("24,392.00", None),  # ₹4,392.00 with the sign read as 2, or 24,392.00?
        ("83,000.02", None),  # ditto
        ("¥$2,000", None),  # was ₹82,000: the 8 became $
        ("₹३1,000.70", None),  # was ₹31,000.70: the sign swallowed the 3
        ("INR 1 43,000.00", None),  # was 1,43,000.00
        ("INR 117 A2", None),  # was 117.42
        ("Rs. 2,700. 00", None),
        ("रू, 600", None),  # was ₹1,600
        ("₹15,00,0", None),  # impossible grouping
        ("₹0", None),
    ],
)
def test_amounts_are_read_only_when_nothing_else_could_be_meant(
    line: str, amount: Decimal | None
) -> None:
    assert read_one(f"Payment Successful\n{line}").amount == amount


def test_an_ambiguous_amount_is_settled_by_a_sure_one_elsewhere() -> None:
    text = "Payment Successful\n24,392.00\nDebited from SBI\nRs 4,392.00"
    assert read_one(text).amount == Decimal("4392.00")


def test_two_different_amounts_give_none() -> None:
    text = "Payment Successful\n₹15,000\nCashback ₹25"
    assert read_one(text).amount is None


@pytest.mark.parametrize(
    ("line", "at", "precision"),
    [
        ("27 Nov 2026, 4:10 pm", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("Nov 27, 2026 04:10 PM", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("27 November 2026 at 4:10 p.m.", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("27/11/2026 16:10:22", datetime(2026, 11, 27, 16, 10, 22), Precision.MINUTE),
        ("27-11-2026 09:05", datetime(2026, 11, 27, 9, 5), Precision.MINUTE),
        ("27-Nov-2026 04:10 PM", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("27 नवंबर 2026, 4:10 PM", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("27 नवंबर 2026, शाम 4:10", datetime(2026, 11, 27, 16, 10), Precision.MINUTE),
        ("2O26-11-27", datetime(2026, 11, 27), Precision.DAY),
        # am/pm lost by OCR on a 12-hour screen: the day is sure, the time is not.
        ("27 Nov 2026, 4:10", datetime(2026, 11, 27), Precision.DAY),
    ],
)
def test_dates_and_times(line: str, at: datetime, precision: Precision) -> None:
    assert read_one(f"Payment Successful\n{line}").occurred_at == Moment(
        at.replace(tzinfo=IST), precision
    )


@pytest.mark.parametrize(
    "line",
    [
        "29 Nov 2026, 4:10 pm",  # tomorrow
        "31/02/2026 10:00",  # no such day
        "27 Nov 2020, 4:10 pm",  # more than five years ago
    ],
)
def test_impossible_dates_give_none(line: str) -> None:
    assert read_one(f"Payment Successful\n{line}").occurred_at is None


def test_two_different_dates_give_none() -> None:
    text = "Payment Successful\n27 Nov 2026, 4:10 pm\n26 Nov 2026, 4:10 pm"
    assert read_one(text).occurred_at is None


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("Payment Successful", PaymentStatus.SUCCESS),
        ("Money sent SUuCCessfully", PaymentStatus.SUCCESS),
        ("भुगतान सफल", PaymentStatus.SUCCESS),
        ("Transaction pending", PaymentStatus.PENDING),
        ("भुगतान लंबित है", PaymentStatus.PENDING),
        ("Payment Failed", PaymentStatus.FAILED),
        ("लेनदेन असफल", PaymentStatus.FAILED),  # contains सफल, means failed
        ("Transaction unsuccessful", PaymentStatus.FAILED),
        ("Payment failed. If debited, refund is pending", None),  # two stories
    ],
)
def test_status(line: str, status: PaymentStatus | None) -> None:
    assert read_one(f"{line}\n₹500").status == status


def test_a_screen_without_its_status_line_says_nothing_of_the_status() -> None:
    payment = read_one("₹15,000\nUTR 633198761234")
    assert payment.status is None
    assert payment.amount == Decimal(15000)


def test_a_split_upi_id_is_not_read_as_its_tail() -> None:
    assert read_one("Payment Successful\nUPI ID agrawalg8669011 915@paytm").receiver_upi is None


def test_a_garbled_upi_handle_is_not_read() -> None:
    assert read_one("Payment Successful\nUPI ID: sharmas@oksb;").receiver_upi is None
    assert read_one("Payment Successful\nUPI ID: sharmas@okxyz").receiver_upi is None


@pytest.mark.parametrize(
    ("upi", "read"),
    [
        ("ramesh9876543210@ybl", True),  # a mobile number after letters: no look-alikes
        ("kavita15@ybl", False),  # "a1" could have been "al": OCR read it "kavital5"
        ("kavital5@ybl", False),
        ("rekha.so@paytm", True),
        ("chandrakar50@paytm", False),  # "50" and "so" look alike
    ],
)
def test_upi_ids_where_a_letter_meets_a_look_alike_digit_are_not_read(upi: str, read: bool) -> None:
    payment = read_one(f"Payment Successful\nUPI ID: {upi}")
    assert payment.receiver_upi == (upi if read else None)


def test_upi_id_labels_as_ocr_reads_them() -> None:
    for label in ("UPIID", "UPL ID", "uPI 1D", "UPI आईडी", "To"):
        text = f"Payment Successful\n{label}\nrameshk@okaxis"
        assert read_one(text).receiver_upi == "rameshk@okaxis", label


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        ("Paid to\nRamesh Kumar", "Ramesh Kumar"),
        ("Sent to RAMESH KUMAR", "RAMESH KUMAR"),
        ("प्राप्तकर्ता Sunita Tiwari", "Sunita Tiwari"),
        ("Beneficiary: QUICKCASH SERVICES", "QUICKCASH SERVICES"),
        ("Sent to pooja Yadav", None),  # OCR-mangled case: not sure
        ("Paid to\nge 2 Sunita Sharma BE", None),
        ("To\nUPI ID", None),
    ],
)
def test_receiver_names(lines: str, name: str | None) -> None:
    assert read_one(f"Payment Successful\n{lines}").receiver_name == name


def test_bank_and_app() -> None:
    assert read_one("YONO SBI\nTransaction Successful").bank == "SBI"
    assert read_one("PhonePe\nPaid successfully").app == "PhonePe"
    # handles name banks and apps, but say nothing of the account debited
    payment = read_one("Payment Successful\nTo: x@paytm\nme@okhdfcbank")
    assert (payment.bank, payment.app) == (None, None)
    assert read_one("Payment Successful\nFrom HDFC Bank XX12\nTo SBI XX34").bank is None


def test_the_receivers_bank_and_a_logo_are_not_the_debited_bank_and_the_app() -> None:
    text = GPAY_DETAILS.replace("From\nHDFC Bank XXXX4821\n", "") + "To: SBI XXXX1234\nBHIM UPI"
    payment = read_one(text)
    assert (payment.bank, payment.app) == (None, "Google Pay")
    assert read_one(GPAY_DETAILS.replace("Google Pay\n", "")).app is None


def test_text_that_is_no_payment_gives_nothing() -> None:
    assert read_payment_screen("Hello\nHow are you?", NOW) == []
    assert read_payment_screen("", NOW) == []


def test_a_line_no_phone_screen_has_is_ignored() -> None:
    assert read_one("Payment Successful\nUTR 633198761234 " + "x" * 200).reference is None
    assert read_payment_screen("Payment Successful\n" * 2000, NOW) == []  # too long


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        read_payment_screen(GPAY_DETAILS, datetime(2026, 11, 28, 18, 30))


def test_agree_keeps_what_both_read_alike_and_drops_what_they_do_not() -> None:
    first = PaymentText(MessageKind.DEBIT, amount=Decimal(500), reference="633198761234")
    second = PaymentText(
        MessageKind.DEBIT,
        amount=Decimal(500),
        reference="633198761284",
        receiver_name="RAMESH KUMAR",
    )
    merged = agree([first], [second])
    assert merged == [replace(first, reference=None, receiver_name="RAMESH KUMAR")]
    strict = agree([first], [second], both=frozenset({"receiver_name"}))
    assert strict[0].receiver_name is None
    assert agree([first], []) == [first]
