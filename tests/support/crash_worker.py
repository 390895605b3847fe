"""A bot process for tests/test_crash_recovery.py: feeds one person's whole Hindi
complaint (with a second debit, so a doubly applied answer would show) through the real
service and store, message by message, as a channel delivers it.

Usage: python tests/support/crash_worker.py DB_PATH

After each message it prints and flushes "done <message id> applied" (or "duplicate"
when the store had already seen the id), so the test knows how far it got before it
kills the process. Run it again after a kill and it starts over from the first message,
as a channel redelivers everything that was not acknowledged.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.domain.clock import IST
from bot.domain.messages import ChoicePressed, ConversationKey, Inbound, Payload, Text
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

FIXED_NOW = datetime(2026, 11, 27, 18, 0, tzinfo=IST)
KEY = ConversationKey("telegram", "crash-victim")

SCRIPT: tuple[tuple[str, Payload], ...] = (
    ("m01", Text("नमस्ते")),
    ("m01-hi", ChoicePressed("hi")),
    ("m02", ChoicePressed("report")),
    ("m03", ChoicePressed("upi")),
    ("m04", Text("2 घंटे पहले")),
    ("m05", Text("26 लाख 4 हजार")),
    ("m05-yes", ChoicePressed("unsure:yes")),  # over ₹10 lakh: confirmed by a tap
    ("m06", Text("631845002917")),
    ("m07", ChoicePressed("sbi")),
    ("m08", Text("98765 43210")),
    ("m09", ChoicePressed("add_tx")),
    ("m10", Text("50000")),
    ("m11", Text("412345678901")),
    ("m12", ChoicePressed("hdfc")),
    ("m13", ChoicePressed("same")),
    ("m14", ChoicePressed("register")),
    ("m15", Text("quickcash@ybl")),
    ("m16", Text("9123456780")),
    ("m17", ChoicePressed("done")),
    ("m18", Text("किसी ने बैंक अधिकारी बनकर फ़ोन किया और ऐप डाउनलोड करवाया।")),
    ("m19", Text("सुनीता वर्मा")),
    ("m20", ChoicePressed("CG")),
    ("m21", Text("रायपुर")),
    ("m22", ChoicePressed("done")),
    ("m23", ChoicePressed("submit")),
    ("m24", ChoicePressed("yes")),  # safety alerts, offered once the complaint is in
)


def main(db_path: str) -> int:
    store = SqliteStore(db_path)
    try:
        service = ConversationService(store, clock=lambda: FIXED_NOW)
        for message_id, payload in SCRIPT:
            replies = service.process(Inbound(key=KEY, message_id=message_id, payload=payload))
            outcome = "applied" if replies else "duplicate"
            print(f"done {message_id} {outcome}", flush=True)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
