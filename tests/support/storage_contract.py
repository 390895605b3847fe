"""The storage contract, as tests every backend must pass.

A backend's test module subclasses `StorageContract` and provides a `make_store` fixture:
a callable that returns a fresh store on the same database each time it is called, so
that "survives a reopen" can be tested. Nothing here may depend on SQLite; checks that
do (pragmas, the migrations table) live in the backend's own test module.

Every write goes through `store.transaction()`, as `ConversationService` does: the caller
owns the transaction, and a backend is free to refuse writes outside one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.clock import IST
from bot.domain.complaint import BankAccount, Draft, Evidence, Suspect, Transaction
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey, Language
from bot.domain.parsing.identifiers import PaymentMode
from storage.base import Store

MakeStore = Callable[[], Store]

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=IST)
SUNITA = ConversationKey("test", "sunita")
RAVI = ConversationKey("test", "ravi")


def registered_state(reference: str = "261234567890", *, debits: int = 2) -> Conversation:
    """A conversation just after registration, with everything a complaint can hold."""
    transactions = [
        Transaction(
            amount=Decimal("2604000.50"),
            mode=PaymentMode.UPI,
            transaction_id="631845002917",
            bank="SBI",
            occurred_at=NOW - timedelta(hours=3),
        ),
        Transaction(
            amount=Decimal("50000"),
            mode=PaymentMode.NEFT,
            transaction_id="SBIN426331234567",
            bank="HDFC Bank",
            occurred_at=NOW - timedelta(hours=2, minutes=30),
        ),
        Transaction(amount=Decimal("999.99"), mode=PaymentMode.IMPS),
    ][:debits]
    draft = Draft(
        category="upi",
        lost_at=NOW - timedelta(hours=3),
        transactions=transactions,
        pending_tx=Transaction(amount=Decimal("12.34")),
        mobile="9876543210",
        suspect=Suspect(
            mobiles=["9123456780"],
            upi_ids=["quickcash@ybl", "fastmoney@paytm"],
            bank_accounts=[BankAccount(account_number="123456789012", ifsc="SBIN0001234")],
            urls=["https://kyc-update.example"],
            other=["@fraud_helpdesk"],
        ),
        description="किसी ने बैंक अधिकारी बनकर फ़ोन किया।",
        name="सुनीता वर्मा",
        state="CG",
        district="Raipur",
        evidence=[
            Evidence(file_ref="file-1", sha256="ab" * 32, mime_type="image/jpeg", size_bytes=1),
            Evidence(
                file_ref="file-2",
                sha256="cd" * 32,
                mime_type="application/pdf",
                size_bytes=2048,
                kind="document",
            ),
        ],
        consent_at=NOW,
        created_at=NOW - timedelta(minutes=5),
    )
    return Conversation(
        step="suspect",
        language=Language.HI,
        draft=draft,
        history=["category", "lost_at"],
        reference=reference,
        last_choice="register",
        last_activity=NOW,
    )


class StorageContract:
    """What `ConversationService` relies on from any `Store`."""

    # --- processed messages ------------------------------------------------------------

    def test_a_message_id_is_claimed_once_per_channel(self, make_store: MakeStore) -> None:
        """Channels redeliver; the second delivery of an id must be recognised."""
        store = make_store()
        with store.transaction():
            assert store.claim_message("telegram", "42", NOW) is True
        with store.transaction():
            assert store.claim_message("telegram", "42", NOW) is False
            assert store.claim_message("whatsapp", "42", NOW) is True
            assert store.claim_message("telegram", "43", NOW) is True

    def test_claimed_ids_survive_a_reopen(self, make_store: MakeStore) -> None:
        """A restarted bot must still refuse messages it applied before the restart."""
        store = make_store()
        with store.transaction():
            store.claim_message("telegram", "42", NOW)
        store.close()
        reopened = make_store()
        with reopened.transaction():
            assert reopened.claim_message("telegram", "42", NOW) is False

    # --- conversations -----------------------------------------------------------------

    def test_unknown_conversation_is_none(self, make_store: MakeStore) -> None:
        assert make_store().load_conversation(ConversationKey("test", "nobody")) is None

    def test_conversation_round_trip_keeps_decimals_and_time_zones(
        self, make_store: MakeStore
    ) -> None:
        """Amounts must not become floats and times must keep their offset: both end up
        in a complaint the police read."""
        state = registered_state()
        store = make_store()
        with store.transaction():
            store.save_conversation(SUNITA, state, NOW)
        store.close()

        loaded = make_store().load_conversation(SUNITA)

        assert loaded == state
        assert loaded is not None
        first = loaded.draft.transactions[0]
        assert isinstance(first.amount, Decimal)
        assert first.amount == Decimal("2604000.50")
        assert first.occurred_at is not None
        assert first.occurred_at.utcoffset() == timedelta(hours=5, minutes=30)
        assert first.occurred_at == NOW - timedelta(hours=3)
        assert loaded.draft.pending_tx == Transaction(amount=Decimal("12.34"))

    def test_saving_a_conversation_again_replaces_it(self, make_store: MakeStore) -> None:
        store = make_store()
        with store.transaction():
            store.save_conversation(SUNITA, Conversation(step="menu"), NOW)
        with store.transaction():
            store.save_conversation(SUNITA, Conversation(step="category"), NOW)
            store.save_conversation(RAVI, Conversation(step="language"), NOW)
        assert store.load_conversation(SUNITA) == Conversation(step="category")
        assert store.load_conversation(RAVI) == Conversation(step="language")
        assert store.load_conversation(ConversationKey("other", "sunita")) is None

    # --- reference numbers ---------------------------------------------------------------

    def test_reference_sequence_counts_per_year(self, make_store: MakeStore) -> None:
        """1, 2, 3 ... per year: a new year starts again at 1 and does not disturb the
        previous year's counter."""
        store = make_store()
        drawn: list[tuple[int, int]] = []
        for year in (2026, 2026, 2027, 2026, 2027, 2026):
            with store.transaction():
                drawn.append((year, store.next_reference_sequence(year)))
        assert [n for year, n in drawn if year == 2026] == [1, 2, 3, 4]
        assert [n for year, n in drawn if year == 2027] == [1, 2]

    def test_reference_sequence_continues_after_a_reopen(self, make_store: MakeStore) -> None:
        """A restart must never hand out a number that was already given to someone."""
        store = make_store()
        with store.transaction():
            first = [store.next_reference_sequence(2026) for _ in range(3)]
        store.close()
        reopened = make_store()
        with reopened.transaction():
            after = reopened.next_reference_sequence(2026)
        assert first == sorted(set(first))
        assert after > max(first)

    # --- complaints ----------------------------------------------------------------------

    def test_saved_complaint_comes_back_with_its_children_in_order(
        self, make_store: MakeStore
    ) -> None:
        state = registered_state()
        store = make_store()
        with store.transaction():
            store.save_complaint(SUNITA, state, NOW, submitted=False)
        store.close()

        record = make_store().get_complaint("261234567890")

        assert record is not None
        assert record["reference"] == "261234567890"
        assert record["channel"] == "test"
        assert record["user_id"] == "sunita"
        assert record["stage"] == "registered"
        assert record["mobile"] == "9876543210"
        assert record["name"] == "सुनीता वर्मा"
        assert Decimal(str(record["total_amount"])) == Decimal("2654000.50")
        assert [
            (
                Decimal(str(tx["amount"])),
                tx["mode"],
                tx["transaction_id"],
                tx["bank"],
            )
            for tx in record["transactions"]
        ] == [
            (Decimal("2604000.50"), "upi", "631845002917", "SBI"),
            (Decimal("50000"), "neft", "SBIN426331234567", "HDFC Bank"),
        ]
        assert [(s["kind"], s["value"], s["ifsc"]) for s in record["suspect_identifiers"]] == [
            ("mobile", "9123456780", None),
            ("upi_id", "quickcash@ybl", None),
            ("upi_id", "fastmoney@paytm", None),
            ("bank_account", "123456789012", "SBIN0001234"),
            ("url", "https://kyc-update.example", None),
            ("other", "@fraud_helpdesk", None),
        ]
        assert [(e["file_ref"], e["mime_type"], e["kind"]) for e in record["evidence"]] == [
            ("file-1", "image/jpeg", "photo"),
            ("file-2", "application/pdf", "document"),
        ]

    def test_unknown_complaint_is_none(self, make_store: MakeStore) -> None:
        assert make_store().get_complaint("261234567890") is None

    def test_resaving_a_complaint_replaces_its_children(self, make_store: MakeStore) -> None:
        """Every message re-saves the complaint; children must be replaced, never added
        again, and a removed debit must disappear."""
        store = make_store()
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(debits=2), NOW, submitted=False)
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(debits=2), NOW, submitted=False)
        record = store.get_complaint("261234567890")
        assert record is not None
        assert len(record["transactions"]) == 2
        assert len(record["suspect_identifiers"]) == 6
        assert len(record["evidence"]) == 2

        fewer = registered_state(debits=1)
        fewer.draft.suspect = Suspect(upi_ids=["quickcash@ybl"])
        fewer.draft.evidence = []
        with store.transaction():
            store.save_complaint(SUNITA, fewer, NOW + timedelta(minutes=1), submitted=False)
        record = store.get_complaint("261234567890")
        assert record is not None
        assert [tx["transaction_id"] for tx in record["transactions"]] == ["631845002917"]
        assert [s["value"] for s in record["suspect_identifiers"]] == ["quickcash@ybl"]
        assert record["evidence"] == []
        assert Decimal(str(record["total_amount"])) == Decimal("2604000.50")

    def test_submitting_marks_the_complaint_complete_for_good(self, make_store: MakeStore) -> None:
        """Once submitted, a later save (the conversation moves on) must not undo it."""
        store = make_store()
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(), NOW, submitted=False)
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(), NOW, submitted=True)
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(), NOW, submitted=False)
        record = store.get_complaint("261234567890")
        assert record is not None
        assert record["stage"] == "complete"
        assert record["submitted_at"] is not None

    def test_complaints_of_lists_only_that_persons_complaints(self, make_store: MakeStore) -> None:
        """The status question must never show someone else's complaint."""
        store = make_store()
        with store.transaction():
            store.save_complaint(SUNITA, registered_state("261111111111"), NOW, submitted=True)
            store.save_complaint(SUNITA, registered_state("262222222222"), NOW, submitted=False)
            store.save_complaint(RAVI, registered_state("263333333333"), NOW, submitted=False)

        sunita = store.complaints_of(SUNITA)
        ravi = store.complaints_of(RAVI)

        assert sorted(c.reference for c in sunita) == ["261111111111", "262222222222"]
        assert [c.reference for c in ravi] == ["263333333333"]
        assert store.complaints_of(ConversationKey("whatsapp", "sunita")) == []
        by_reference = {c.reference: c for c in sunita}
        assert by_reference["261111111111"].complete is True
        assert by_reference["262222222222"].complete is False
        assert by_reference["261111111111"].total_amount == Decimal("2654000.50")
        assert by_reference["261111111111"].status == "registered"

    def test_iter_complaints_yields_every_complaint(self, make_store: MakeStore) -> None:
        store = make_store()
        references = [f"26{n:010d}" for n in range(1, 6)]
        with store.transaction():
            for n, reference in enumerate(references):
                store.save_complaint(
                    SUNITA if n % 2 else RAVI,
                    registered_state(reference),
                    NOW + timedelta(minutes=n),
                    submitted=False,
                )
        records = list(store.iter_complaints())
        assert sorted(r["reference"] for r in records) == references
        assert all(len(r["transactions"]) == 2 for r in records)

    # --- atomicity -----------------------------------------------------------------------

    def test_a_failing_transaction_leaves_no_trace(self, make_store: MakeStore) -> None:
        """One message is all or nothing: if handling it fails, the message id must stay
        unclaimed (so the redelivery is applied) and nothing it wrote may remain."""
        store = make_store()
        with pytest.raises(RuntimeError, match="crash"), store.transaction():
            assert store.claim_message("telegram", "42", NOW)
            store.save_conversation(SUNITA, registered_state(), NOW)
            store.save_complaint(SUNITA, registered_state(), NOW, submitted=False)
            store.set_subscription(SUNITA, subscribed=True, language="hi", how="menu", at=NOW)
            raise RuntimeError("crash")

        assert store.load_conversation(SUNITA) is None
        assert store.get_complaint("261234567890") is None
        assert list(store.iter_complaints()) == []
        with store.transaction():
            assert store.claim_message("telegram", "42", NOW) is True
        store.close()
        reopened = make_store()
        assert reopened.load_conversation(SUNITA) is None
        assert reopened.get_complaint("261234567890") is None

    def test_a_failing_transaction_keeps_earlier_commits(self, make_store: MakeStore) -> None:
        store = make_store()
        with store.transaction():
            store.save_conversation(SUNITA, Conversation(step="menu"), NOW)
        with pytest.raises(RuntimeError), store.transaction():
            store.save_conversation(SUNITA, Conversation(step="category"), NOW)
            raise RuntimeError("crash")
        assert store.load_conversation(SUNITA) == Conversation(step="menu")
        with store.transaction():  # the store is still usable after a rollback
            store.save_conversation(SUNITA, Conversation(step="lost_at"), NOW)
        assert store.load_conversation(SUNITA) == Conversation(step="lost_at")

    # --- subscriptions -------------------------------------------------------------------

    def test_set_subscription_is_an_upsert(self, make_store: MakeStore) -> None:
        """Subscribing, unsubscribing and subscribing again must not collide, and the
        last change is the one that counts."""
        store = make_store()
        expected = {True: "hi", False: None}
        for subscribed in (True, False, True, False, True):
            with store.transaction():
                store.set_subscription(
                    SUNITA, subscribed=subscribed, language="hi", how="menu", at=NOW
                )
                assert store.subscription_language(SUNITA) == expected[subscribed]
                assert store.subscriber_count() == int(subscribed)
        with store.transaction():
            store.set_subscription(RAVI, subscribed=True, language="en", how="command", at=NOW)
            store.set_subscription(SUNITA, subscribed=True, language="en", how="language", at=NOW)
        with store.transaction():
            assert store.subscriber_count() == 2
            assert store.subscription_language(RAVI) == "en"
            assert store.subscription_language(SUNITA) == "en"  # updated, not added

    # --- reporting: outbox, status, notices ----------------------------------------------

    def _registered(self, store: Store, reference: str = "261234567890") -> None:
        with store.transaction():
            store.save_complaint(SUNITA, registered_state(reference), NOW, submitted=False)

    def test_pushes_get_increasing_versions_and_wait_in_order(self, make_store: MakeStore) -> None:
        store = make_store()
        self._registered(store)
        self._registered(store, "269999999990")
        with store.transaction():
            first = store.enqueue_push("261234567890", "registered", {"a": 1}, NOW, timedelta(1))
            second = store.enqueue_push("261234567890", "complete", {"a": 2}, NOW, timedelta(1))
            other = store.enqueue_push("269999999990", "registered", {}, NOW, timedelta(1))
        assert (first, second, other) == (1, 2, 1)
        with store.transaction():
            due = store.due_jobs(NOW)
        assert [(job.reference, job.version) for job in due] == [
            ("261234567890", 1),
            ("269999999990", 1),
        ]
        assert due[0].payload == {"a": 1, "version": 1}
        with store.transaction():
            store.mark_delivered(due[0].id, NOW, "remote-7")
            store.mark_retry(due[1].id, NOW + timedelta(minutes=5), "HTTP 503")
        with store.transaction():
            assert [(j.reference, j.version) for j in store.due_jobs(NOW)] == [("261234567890", 2)]
            assert store.next_attempt_at() == NOW
        record = store.get_complaint("261234567890")
        assert record is not None and record["remote_id"] == "remote-7"

    def test_dead_letters_are_listed_and_can_be_retried(self, make_store: MakeStore) -> None:
        store = make_store()
        self._registered(store)
        with store.transaction():
            store.enqueue_push("261234567890", "registered", {}, NOW, timedelta(hours=1))
            job = store.due_jobs(NOW)[0]
            store.mark_dead(job.id, "HTTP 400: bad field")
        with store.transaction():
            assert store.due_jobs(NOW + timedelta(days=1)) == []
            [dead] = store.list_outbox("dead")
        assert dead.last_error == "HTTP 400: bad field"
        later = NOW + timedelta(days=2)
        with store.transaction():
            assert store.retry_job(dead.id, later, timedelta(hours=1)) is True
            assert store.retry_job(dead.id, later, timedelta(hours=1)) is False
            [again] = store.due_jobs(later)
        assert again.deadline_at == later + timedelta(hours=1)

    def test_status_changes_apply_only_when_newer(self, make_store: MakeStore) -> None:
        store = make_store()
        self._registered(store)
        with store.transaction():
            applied = store.apply_status(
                "261234567890", "assigned", "", NOW, source="callback", received_at=NOW
            )
            replay = store.apply_status(
                "261234567890", "assigned", "", NOW, source="callback", received_at=NOW
            )
            older = store.apply_status(
                "261234567890", "rejected", "", NOW - timedelta(1), source="x", received_at=NOW
            )
        assert applied is not None and (applied.channel, applied.user_id) == ("test", "sunita")
        assert replay is None and older is None
        assert [c.status for c in store.complaints_of(SUNITA)] == ["assigned"]
        with pytest.raises(KeyError), store.transaction():
            store.apply_status("260000000001", "assigned", "", NOW, source="x", received_at=NOW)

    def test_notices_wait_per_channel_until_sent(self, make_store: MakeStore) -> None:
        store = make_store()
        with store.transaction():
            first = store.queue_notice("telegram", "42", None, "one", NOW)
            store.queue_notice("whatsapp", "91", None, "two", NOW)
        with store.transaction():
            assert [n.text for n in store.pending_notices("telegram")] == ["one"]
            store.mark_notice(first, sent=False, at=NOW, error="blocked")
            assert [n.id for n in store.pending_notices("telegram")] == [first]
            store.mark_notice(first, sent=True, at=NOW)
            assert store.pending_notices("telegram") == []
            assert [n.text for n in store.pending_notices("whatsapp")] == ["two"]
