"""Whole conversations, written once and reused by several tests."""

from __future__ import annotations

from conftest import FakeUser

from bot.domain.reference import normalize_reference


def reference_in(text: str) -> str:
    """The 12-digit reference shown grouped in a reply (fails the test if none is valid)."""
    import re

    for match in re.finditer(r"\d{4} \d{4} \d{4}", text):
        reference = normalize_reference(match.group(0))
        if reference is not None:
            return reference
    raise AssertionError(f"no valid reference in:\n{text}")


def unissued_reference(reference: str) -> str:
    """A reference with a correct check digit that no complaint has."""
    from bot.domain.reference import make_reference

    other = make_reference(2000 + int(reference[:2]), 999_999_999)
    assert other != reference and normalize_reference(other) == other
    return other


def mistyped_reference(reference: str) -> str:
    """`reference` with one digit typed wrong: its check digit no longer holds."""
    changed = reference[:5] + str((int(reference[5]) + 1) % 10) + reference[6:]
    assert normalize_reference(changed) is None
    return changed


def hindi_money_trail(user: FakeUser) -> str:
    """नमस्ते to reference number, one UPI debit; returns the reference."""
    user.send("नमस्ते")
    user.sees("किस भाषा", "Which language")
    user.press("हिंदी")
    user.sees("1930")
    user.press("ठगी की शिकायत")
    user.press("UPI से भुगतान")
    user.send("आज 3 बजे")
    user.send("26 लाख 4 हजार")
    user.send("631845002917")
    user.press("SBI")
    user.send("98765 43210")
    user.sees("₹26,04,000", "631845002917")
    user.press("शिकायत दर्ज करें")
    user.sees("शिकायत संख्या")
    return reference_in(user.text)


def hindi_details(user: FakeUser) -> None:
    """From the reference to the final submit."""
    user.send("quickcash@ybl")
    user.press("हो गया")
    user.send("किसी ने बैंक अधिकारी बनकर फ़ोन किया और KYC के नाम पर ऐप डाउनलोड करवाया।")
    user.send("सुनीता वर्मा")
    user.press("छत्तीसगढ़")
    user.send("रायपुर")
    user.press("छोड़ें")
    user.sees("सुनीता वर्मा", "quickcash@ybl", "रायपुर")
    user.press("जमा करें")


def english_money_trail(user: FakeUser) -> str:
    user.send("hello")
    user.press("English")
    user.press("Report fraud")
    user.press("UPI payment")
    user.send("today 3 pm")
    user.send("Rs. 26,04,000")
    user.send("631845002917")
    user.press("HDFC")
    user.send("+91 98765 43210")
    user.sees("₹26,04,000")
    user.press("Register complaint")
    user.sees("Reference number")
    return reference_in(user.text)


def english_details(user: FakeUser) -> None:
    user.send("9123456780")
    user.press("Done")
    user.press("Skip")
    user.send("Ravi Kumar")
    user.press("Another state")
    user.send("Madhya Pradesh")
    user.send("Indore")
    user.send_photo()
    user.press("Done")
    user.sees("Ravi Kumar", "Indore", "1 screenshot attached")
    user.press("Submit")


# The English answers that lead from a new conversation to each step, in order. Each entry
# is (step reached after this input, action, value); `reach` replays them up to a step.
ENGLISH_PATH: tuple[tuple[str, str, str], ...] = (
    ("language", "send", "hello"),
    ("menu", "press", "English"),
    ("category", "press", "Report fraud"),
    ("lost_at", "press", "Investment"),
    ("tx_amount", "send", "today 3 pm"),
    ("tx_mode", "send", "5000"),
    ("tx_utr", "press", "UPI"),
    ("tx_bank", "send", "631845002917"),
    ("mobile", "press", "SBI"),
    ("confirm_trail", "send", "9876543210"),
    ("suspect", "press", "Register complaint"),
    ("description", "press", "Skip"),
    ("name", "press", "Skip"),
    ("state", "send", "Ravi Kumar"),
    ("district", "press", "Chhattisgarh"),
    ("evidence", "press", "Raipur"),
    ("summary", "press", "Skip"),
    ("awareness_offer", "press", "Submit"),
)
STEPS_IN_ORDER = tuple(step for step, _, _ in ENGLISH_PATH)


def reach(user: FakeUser, step: str) -> None:
    """Answers questions the shortest English way until `step` is being asked."""
    for reached, action, value in ENGLISH_PATH:
        if action == "send":
            user.send(value)
        else:
            user.press(value)
        assert user.state.step == reached, (reached, user.text)
        if reached == step:
            return
    raise AssertionError(f"no path to {step}")
