"""A bot process killed with SIGKILL at any moment loses no answer and applies none twice.

The channel redelivers every message that was not acknowledged, so after a crash the
worker replays the whole script from the first message: what was committed before the
kill must be recognised as a duplicate, what was not must be applied now, and the
complaint must come out exactly as in a run that never crashed.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support.crash_worker import KEY, SCRIPT
from support.person import person_on

from bot.domain.messages import Text
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow  # real bot.py processes

REPO = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "support" / "crash_worker.py"
TIMESTAMPS = ("created_at", "updated_at", "submitted_at")


class Run:
    """What one worker process reported before it ended or was killed."""

    def __init__(self, applied: list[str], duplicates: list[str], returncode: int) -> None:
        self.applied = applied
        self.duplicates = duplicates
        self.returncode = returncode


def run_worker(db: Path, *, kill_after: int | None = None, delay: float = 0.0) -> Run:
    """Runs the script against `db`; with `kill_after`, SIGKILLs the process `delay`
    seconds after it reported that many messages."""
    applied: list[str] = []
    duplicates: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(WORKER), str(db)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            _, message_id, outcome = line.split()
            (applied if outcome == "applied" else duplicates).append(message_id)
            if kill_after is not None and len(applied) + len(duplicates) == kill_after:
                if delay:
                    time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                break
        returncode = process.wait(timeout=60)
    return Run(applied, duplicates, returncode)


def complaint_without_timestamps(db: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    store = SqliteStore(db)
    try:
        records = list(store.iter_complaints())
        assert len(records) == 1, f"expected one complaint, found {len(records)}"
        record = {k: v for k, v in records[0].items() if k not in TIMESTAMPS}
        state = store.load_conversation(KEY)
        assert state is not None
        claimed = store.db.execute("select count(*) from processed_messages").fetchone()[0]
        assert claimed == len(SCRIPT)
        return record, state.model_dump()
    finally:
        store.close()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    """The complaint as it is when nothing crashes: what every crashed run must match."""
    db = tmp_path_factory.mktemp("uninterrupted") / "a.db"
    run = run_worker(db)
    assert run.returncode == 0
    assert run.applied == [message_id for message_id, _ in SCRIPT]
    record, state = complaint_without_timestamps(db)
    assert record["stage"] == "complete"
    assert [tx["transaction_id"] for tx in record["transactions"]] == [
        "631845002917",
        "412345678901",
    ]
    assert Decimal(record["total_amount"]) == Decimal("2654000")
    assert sorted(s["value"] for s in record["suspect_identifiers"]) == [
        "9123456780",
        "quickcash@ybl",
    ]
    assert state["step"] == "menu"
    assert state["subscribed"] is True
    return record, state


RANDOM = None  # a kill point drawn at run time, a few milliseconds after a message


@pytest.mark.parametrize(
    "kill_after",
    [
        pytest.param(3, id="after-3"),
        pytest.param(9, id="after-add-another-debit"),
        pytest.param(14, id="after-register"),
        pytest.param(20, id="after-20"),
        pytest.param(RANDOM, id="random-mid-message"),
    ],
)
def test_kill_and_redeliver_gives_the_same_complaint(
    tmp_path: Path, uninterrupted: tuple[dict[str, Any], Any], kill_after: int | None
) -> None:
    delay = 0.0
    if kill_after is RANDOM:
        seed = random.randrange(2**32)
        chance = random.Random(seed)
        kill_after, delay = chance.randrange(1, 12), chance.uniform(0.0, 0.01)
        print(f"seed {seed}: kill {delay:.4f}s after message {kill_after}")
    db = tmp_path / "b.db"
    killed = run_worker(db, kill_after=kill_after, delay=delay)
    assert killed.returncode in (-signal.SIGKILL, 0)

    reruns: list[Run] = []
    while not reruns or reruns[-1].returncode != 0:
        assert len(reruns) < 3, "the worker does not finish after a crash"
        reruns.append(run_worker(db))
    rerun = reruns[-1]

    # Everything the killed run reported is recognised as already applied, and no
    # message is applied by both runs.
    assert set(killed.applied) <= set(rerun.duplicates)
    assert not set(killed.applied) & set(rerun.applied)
    assert len(rerun.applied) + len(rerun.duplicates) == len(SCRIPT)

    expected_record, expected_state = uninterrupted
    record, state = complaint_without_timestamps(db)
    assert len(record["transactions"]) == 2
    assert record["transactions"] == expected_record["transactions"]
    assert record["suspect_identifiers"] == expected_record["suspect_identifiers"]
    assert record["total_amount"] == expected_record["total_amount"]
    assert record["stage"] == expected_record["stage"] == "complete"
    assert record == expected_record
    assert state["step"] == expected_state["step"]
    assert state == expected_state


async def test_a_redelivered_message_is_applied_once(service: ConversationService) -> None:
    """The in-process view of the same guarantee: same id twice, one effect."""
    victim = person_on(service, "twice")
    await victim.send("नमस्ते")
    await victim.press("हिंदी")
    await victim.press("ठगी की शिकायत")
    await victim.press("UPI से भुगतान")
    await victim.send("2 घंटे पहले")
    before = victim.state

    first = await victim.deliver(Text("5 लाख 4 हजार"), message_id="tg-777")
    after_first = victim.state
    second = await victim.deliver(Text("5 लाख 4 हजार"), message_id="tg-777")

    assert first, "the first delivery must be answered"
    assert second == []
    assert victim.state == after_first
    assert before.step == "tx_amount"
    assert after_first.step == "tx_utr"
    assert after_first.draft.pending_tx is not None
    assert after_first.draft.pending_tx.amount == Decimal("504000")
