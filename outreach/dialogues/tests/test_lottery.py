"""The lottery as a pure function: determinism, strata, commitment, pool hash, re-runs."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from outreach.dialogues import lottery

SEED = bytes(range(32))


def _pool(n: int, key: str = "natomas/youth") -> dict[str, list[str]]:
    return {key: [f"ID{i:04d}" for i in range(n)]}


def test_draw_is_deterministic_and_independent_of_input_order():
    pool = {"natomas/youth": ["C", "A", "B", "E", "D"], "downtown/business": ["X", "Y", "Z"]}
    seats = {"natomas/youth": 2, "downtown/business": 1}
    first = lottery.draw(seed=SEED, pool=pool, seats=seats)
    shuffled = {"downtown/business": ["Z", "X", "Y"], "natomas/youth": ["E", "D", "C", "B", "A"]}
    assert lottery.draw(seed=SEED, pool=shuffled, seats=seats) == first
    assert lottery.draw(seed=SEED, pool=pool, seats=seats) == first


def test_draw_matches_the_documented_construction():
    """Re-implemented from the module docstring, without calling the module's helpers."""
    key, ids = "natomas/youth", ["Q7", "A1", "M3", "Z9"]
    scored = sorted(sorted(ids), key=lambda i: hmac.new(SEED, f"{key}|{i}".encode(), hashlib.sha256).digest())
    result = lottery.draw(seed=SEED, pool={key: ids}, seats={key: 2})[key]
    assert list(result.selected) == scored[:2]
    assert list(result.waitlist) == scored[2:]


def test_different_seeds_give_different_orders():
    pool, seats = _pool(30), {"natomas/youth": 5}
    a = lottery.draw(seed=SEED, pool=pool, seats=seats)["natomas/youth"]
    b = lottery.draw(seed=bytes(32), pool=pool, seats=seats)["natomas/youth"]
    assert a.selected != b.selected


def test_strata_are_drawn_independently():
    """Adding applicants to one stratum never changes another stratum's result."""
    seats = {"natomas/youth": 2, "downtown/youth": 2}
    base = {"natomas/youth": ["A", "B", "C", "D"], "downtown/youth": ["E", "F", "G"]}
    more = {**base, "downtown/youth": ["E", "F", "G", "H", "I"]}
    r1 = lottery.draw(seed=SEED, pool=base, seats=seats)
    r2 = lottery.draw(seed=SEED, pool=more, seats=seats)
    assert r1["natomas/youth"] == r2["natomas/youth"]
    # the same ids in another stratum get other scores (the stratum key is in the message)
    assert lottery.score(SEED, "natomas/youth", "A") != lottery.score(SEED, "downtown/youth", "A")


def test_every_applicant_lands_once_and_seats_are_respected():
    result = lottery.draw(seed=SEED, pool=_pool(25), seats={"natomas/youth": 6})["natomas/youth"]
    assert len(result.selected) == 6
    assert len(result.waitlist) == 19
    assert sorted(result.selected + result.waitlist) == _pool(25)["natomas/youth"]
    assert result.oversubscribed


def test_the_draw_is_roughly_uniform():
    """Over many seeds each of 6 applicants wins one of 2 seats about a third of the time."""
    wins = dict.fromkeys("ABCDEF", 0)
    for n in range(600):
        seed = hashlib.sha256(str(n).encode()).digest()
        for winner in lottery.draw(seed=seed, pool={"s/g": list(wins)}, seats={"s/g": 2})["s/g"].selected:
            wins[winner] += 1
    assert all(150 <= count <= 250 for count in wins.values()), wins


def test_seats_at_least_applicants_selects_everyone():
    result = lottery.draw(seed=SEED, pool=_pool(3), seats={"natomas/youth": 3})["natomas/youth"]
    assert sorted(result.selected) == _pool(3)["natomas/youth"]
    assert result.waitlist == ()
    assert not result.oversubscribed
    more = lottery.draw(seed=SEED, pool=_pool(3), seats={"natomas/youth": 10})["natomas/youth"]
    assert len(more.selected) == 3


def test_no_applicants_and_no_seats():
    assert lottery.draw(seed=SEED, pool={}, seats={"natomas/youth": 4}) == {}
    assert lottery.draw(seed=SEED, pool={"natomas/youth": []}, seats={"natomas/youth": 4}) == {}
    # applicants in a group without seats all go to the wait list
    result = lottery.draw(seed=SEED, pool=_pool(2), seats={})["natomas/youth"]
    assert result.selected == ()
    assert len(result.waitlist) == 2


def test_duplicate_ids_count_once():
    result = lottery.draw(seed=SEED, pool={"s/g": ["A", "A", "B"]}, seats={"s/g": 5})["s/g"]
    assert sorted(result.selected) == ["A", "B"]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown lottery algorithm"):
        lottery.draw(seed=SEED, pool=_pool(2), seats={}, version="v0")
    with pytest.raises(ValueError, match="32 bytes"):
        lottery.draw(seed=b"short", pool=_pool(2), seats={})
    with pytest.raises(ValueError, match="negative seats"):
        lottery.draw(seed=SEED, pool=_pool(2), seats={"natomas/youth": -1})
    with pytest.raises(ValueError, match="must be 32 bytes"):
        lottery.seed_from_hex("abcd")


def test_commitment_matches_the_seed():
    assert lottery.commitment(SEED) == hashlib.sha256(SEED).hexdigest()
    assert lottery.commitment(SEED) != lottery.commitment(bytes(32))


def test_pool_hash_is_canonical_and_changes_when_the_pool_is_tampered_with():
    pool = {"b/x": ["B2", "B1"], "a/y": ["A1"]}
    expected = hashlib.sha256(json.dumps({"a/y": ["A1"], "b/x": ["B1", "B2"]}, separators=(",", ":")).encode())
    assert lottery.pool_hash(pool) == expected.hexdigest()
    assert lottery.pool_hash({"a/y": ["A1"], "b/x": ["B1", "B2"]}) == lottery.pool_hash(pool)
    assert lottery.pool_hash({**pool, "a/y": ["A1", "A2"]}) != lottery.pool_hash(pool)  # one added
    assert lottery.pool_hash({"b/x": ["B2", "B1"]}) != lottery.pool_hash(pool)  # one removed
    assert lottery.pool_hash({"b/x": ["B2", "B1"], "a/x": ["A1"]}) != lottery.pool_hash(pool)  # moved stratum


def _record():
    pool = {"natomas/youth": [f"Y{i}" for i in range(8)], "natomas/business": ["B1", "B2"]}
    seats = {"natomas/youth": 3, "natomas/business": 4, "downtown/faith": 2}
    return lottery.record_build(series="s", seed=SEED, pool=pool, seats=seats, drawn_at="2026-01-01T00:00:00+00:00")


def test_a_record_re_runs_to_the_same_result():
    record = json.loads(json.dumps(_record()))  # as published and read back
    assert record["commitment"] == hashlib.sha256(SEED).hexdigest()
    assert record["seed"] == SEED.hex()
    assert record["seats"]["downtown/faith"] == 2  # seats without applicants are still recorded
    assert "downtown/faith" not in record["results"]
    assert sorted(record["results"]["natomas/business"]["selected"]) == ["B1", "B2"]  # 2 applicants, 4 seats
    verification = lottery.record_verify(record)
    assert verification.ok, verification.problems


@pytest.mark.parametrize(
    ("tamper", "failing"),
    [
        (lambda r: r.update(seed=bytes(32).hex()), "commitment"),
        (lambda r: r["pool"]["natomas/youth"].append("INTRUDER"), "pool_hash"),
        (
            lambda r: r["results"]["natomas/youth"].update(selected=r["results"]["natomas/youth"]["waitlist"][:3]),
            "results",
        ),
        (lambda r: r.update(algorithm_version="other"), "results"),
    ],
)
def test_tampering_is_detected(tamper, failing):
    record = json.loads(json.dumps(_record()))
    tamper(record)
    verification = lottery.record_verify(record)
    assert not verification.ok
    assert not getattr(verification, f"{failing}_ok")
    assert verification.problems


def test_an_unreadable_record_is_reported():
    verification = lottery.record_verify({"seed": "zz"})
    assert not verification.ok
    assert "cannot be read" in verification.problems[0]
