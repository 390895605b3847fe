"""Whole conversations, written once and reused by several tests."""

from __future__ import annotations

from bot.domain.reference import normalize_reference
from support.person import Person


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
    from bot.domain.reference import DEMO_REFERENCE_KEY, make_reference

    other = make_reference(2000 + int(reference[:2]), 999_999_999, key=DEMO_REFERENCE_KEY)
    assert other != reference and normalize_reference(other) == other
    return other


def mistyped_reference(reference: str) -> str:
    """`reference` with one digit typed wrong: its check digit no longer holds."""
    changed = reference[:5] + str((int(reference[5]) + 1) % 10) + reference[6:]
    assert normalize_reference(changed) is None
    return changed


async def hindi_money_trail(user: Person) -> str:
    """नमस्ते to reference number, one UPI debit; returns the reference."""
    await user.send("नमस्ते")
    user.sees("किस भाषा", "Which language")
    await user.press("हिंदी")
    user.sees("1930")
    await user.press("ठगी की शिकायत")
    await user.press("UPI से भुगतान")
    await user.send("आज 3 बजे")
    user.sees("सही है?")  # 3 at night or in the afternoon: the latest, confirmed by a tap
    await user.press("हाँ, सही है")
    await user.send("26 लाख 4 हजार")
    user.sees("₹26,04,000", "सही है?")  # over ₹10 lakh: shown back before it is stored
    await user.press("हाँ, सही है")
    await user.send("631845002917")
    await user.press("SBI")
    await user.send("98765 43210")
    user.sees("₹26,04,000", "631845002917")
    await user.press("शिकायत दर्ज करें")
    user.sees("शिकायत संख्या")
    return reference_in(user.text)


async def hindi_details(user: Person, evidence: str = "छोड़ें") -> None:
    """From the reference to the final submit; `evidence` is the button that ends the
    screenshot question ("हो गया" when a screenshot is already there)."""
    await user.send("quickcash@ybl")
    await user.press("हो गया")
    await user.send("किसी ने बैंक अधिकारी बनकर फ़ोन किया और KYC के नाम पर ऐप डाउनलोड करवाया।")
    await user.send("सुनीता वर्मा")
    await user.press("छत्तीसगढ़")
    await user.send("रायपुर")
    await user.press(evidence)
    user.sees("सुनीता वर्मा", "quickcash@ybl", "रायपुर")
    await user.press("जमा करें")


async def english_money_trail(user: Person) -> str:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send("today 3 pm")
    await user.send("Rs. 26,04,000")
    user.sees("₹26,04,000", "Is that right?")
    await user.press("Yes, that's right")
    await user.send("631845002917")
    await user.press("HDFC")
    await user.send("+91 98765 43210")
    user.sees("₹26,04,000")
    await user.press("Register complaint")
    user.sees("Complaint number")
    return reference_in(user.text)


async def english_details(user: Person) -> None:
    await user.send("9123456780")
    await user.press("Done")
    await user.press("Skip")
    await user.send("Ravi Kumar")
    await user.press("Another state")
    await user.send("Madhya Pradesh")
    await user.send("Indore")
    await user.send_photo()
    await user.press("Done")
    user.sees("Ravi Kumar", "Indore", "1 screenshot attached")
    await user.press("Submit")


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


async def reach(user: Person, step: str) -> None:
    """Answers questions the shortest English way until `step` is being asked."""
    for reached, action, value in ENGLISH_PATH:
        if action == "send":
            await user.send(value)
        else:
            await user.press(value)
        assert user.state.step == reached, (reached, user.text)
        if reached == step:
            return
    raise AssertionError(f"no path to {step}")
