"""Regression (issue 11, low): complaint numbers could be enumerated. The per-year sequence
went through an affine map whose constants were in the source, so from one known number
the probe computed its neighbours and found two real complaints. The sequence now goes
through a keyed permutation (REFERENCE_KEY); without the key, numbers reveal neither
volume nor neighbours."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from support.journeys import english_money_trail, hindi_money_trail, reference_in
from support.person import person_on
from support.processes import HINDI_LINES, LINES_TO_REFERENCE, run_bot
from support.timing import Clock

from bot.domain import reference as references
from bot.domain.errors import ConfigurationError
from bot.domain.reference import is_valid_verhoeff, make_reference, permute
from bot.service.conversation import ConversationService
from bot.settings import load_settings
from storage.sqlite import SqliteStore

KEY = b"a-deployment-key-0123456789"
SPACE = 10**9
# The constants the old source published: sequence * 3**18 + 104,729 modulo 10**9.
OLD_MULTIPLIER, OLD_OFFSET = 387_420_489, 104_729


def affine_neighbours(reference: str) -> set[str]:
    """The probe's attack: invert the published map, step the sequence, map back."""
    sequence = (int(reference[2:-1]) - OLD_OFFSET) * pow(OLD_MULTIPLIER, -1, SPACE) % SPACE
    found = set()
    for neighbour in (sequence - 1, sequence + 1, sequence + 2):
        body = f"{reference[:2]}{(neighbour * OLD_MULTIPLIER + OLD_OFFSET) % SPACE:09d}"
        found.add(body + references.verhoeff_check_digit(body))
    return found


async def test_the_published_constants_no_longer_give_a_neighbour(
    store: SqliteStore, clock: Clock
) -> None:
    service = ConversationService(store, clock=clock, reference_key=KEY)
    registered = [await hindi_money_trail(person_on(service, f"victim-{n}")) for n in range(3)]
    for known in registered:
        assert affine_neighbours(known).isdisjoint(registered)


def test_consecutive_numbers_show_no_step() -> None:
    """The affine map moved every number by the same step (so the count of complaints
    between two numbers could be read off); keyed, the steps look random."""
    values = [int(make_reference(2026, n, key=KEY)[2:-1]) for n in range(1, 2001)]
    steps = {(b - a) % SPACE for a, b in itertools.pairwise(values)}
    assert len(steps) > 1990
    first_digits = [f"{value:09d}"[0] for value in values]
    assert all(150 <= first_digits.count(digit) <= 250 for digit in "0123456789")


def test_the_key_and_the_year_each_give_other_numbers() -> None:
    ours = {make_reference(2026, n, key=KEY)[2:] for n in range(1, 1001)}
    other_key = {make_reference(2026, n, key=b"another-key-0123456789")[2:] for n in range(1, 1001)}
    next_year = {make_reference(2027, n, key=KEY)[2:] for n in range(1, 1001)}
    assert len(ours & other_key) < 5 and len(ours & next_year) < 5


def _unpermute(value: int, key: bytes, tweak: int) -> int:
    """The inverse of `permute`, written here from its description: that it exists and
    undoes `permute` shows `permute` is one-to-one (no two complaints share a number)."""
    half, rounds = references._HALF, references._ROUNDS
    while True:
        left, right = divmod(value, half)
        for round_number in reversed(range(rounds)):
            left, right = (right - references._round(key, tweak, round_number, left)) % half, left
        value = left * half + right
        if value < SPACE:
            return value


def test_the_permutation_is_one_to_one_and_keeps_the_shape() -> None:
    rng = random.Random(11)
    for value in [0, 1, SPACE - 1, *(rng.randrange(SPACE) for _ in range(3000))]:
        scrambled = permute(value, key=KEY, tweak=2026)
        assert 0 <= scrambled < SPACE
        assert _unpermute(scrambled, KEY, 2026) == value
    reference = make_reference(2026, 42, key=KEY)
    assert len(reference) == 12 and reference.startswith("26") and is_valid_verhoeff(reference)


async def test_a_number_already_taken_is_skipped_not_overwritten(
    service: ConversationService, store: SqliteStore
) -> None:
    """After a change of REFERENCE_KEY a newly computed number may be an old complaint's.
    Simulated here by turning the counter back: the next number is one already given."""
    first = person_on(service, "first")
    taken = await hindi_money_trail(first)
    with store.transaction():
        store.db.execute("update reference_counters set last = last - 1")
    second = await english_money_trail(person_on(service, "second"))
    assert second != taken
    kept = store.get_complaint(taken)
    assert kept is not None and kept["user_id"] == "first" and kept["language"] == "hi"
    assert store.get_complaint(second) is not None


@pytest.mark.parametrize(
    "channel", [{"TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefgh"}, {
        "WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1",
        "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v",
    }],
)  # fmt: skip
def test_a_channel_deployment_must_have_a_key(
    monkeypatch: pytest.MonkeyPatch, channel: dict[str, str]
) -> None:
    monkeypatch.delenv("REFERENCE_KEY", raising=False)
    for name, value in channel.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="REFERENCE_KEY"):
        load_settings(env_file=None)
    monkeypatch.setenv("REFERENCE_KEY", "short")
    with pytest.raises(ConfigurationError, match="REFERENCE_KEY"):
        load_settings(env_file=None)
    monkeypatch.setenv("REFERENCE_KEY", KEY.decode())
    assert load_settings(env_file=None).reference_key_bytes == KEY


@pytest.mark.slow
def test_the_console_demo_runs_without_a_key(tmp_path: Path) -> None:
    """`make run` on a fresh machine: no settings at all, the demo's public key."""
    result = run_bot(
        tmp_path / "bot.db", "console", lines=HINDI_LINES[:LINES_TO_REFERENCE], REFERENCE_KEY=""
    )
    assert result.returncode == 0, result.stderr
    reference = reference_in(result.stdout)
    year = 2000 + int(reference[:2])
    assert reference == make_reference(year, 1, key=references.DEMO_REFERENCE_KEY)
