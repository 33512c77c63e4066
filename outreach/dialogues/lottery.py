"""The community dialogues' stratified lottery: a pure, deterministic function anyone can re-run.

Nothing here touches the database, the clock or a random generator; the same inputs always give
the same outputs. Algorithm "jcr-dialogue-lottery-v1", precisely (enough to re-implement it in
any language):

Inputs
  seed      32 bytes, made with Python's `secrets` when the series is created and kept secret
            until the draw. Published as 64 lower-case hex digits.
  pool      for each stratum, the pseudonymous ids of its eligible applicants. A stratum key is
            "<district slug>/<group>" (for example "natomas/youth"); ids are upper-case letters
            and digits. No personal data.
  seats     for each stratum, the number of seats (0 when the stratum has none).

Commitment (published before the window closes)
  commitment = lower-case hex SHA-256 of the 32 seed bytes (not of the hex text).

Pool hash (published after the draw)
  canonical = JSON of {stratum key: sorted list of ids}, keys sorted, no spaces
              (Python: json.dumps(pool, sort_keys=True, separators=(",", ":"))), UTF-8;
  pool_hash = lower-case hex SHA-256 of `canonical`.
  Every stratum with applicants appears; strata without applicants are left out.

Draw, for each stratum on its own (strata never influence each other)
  1. ids = the stratum's ids, sorted ascending (byte order), duplicates removed;
  2. for each id: score = HMAC-SHA256(key = seed bytes, message = UTF-8 of stratum key + "|" + id);
  3. order = ids sorted by score ascending (as bytes; the id breaks a tie, which in practice
     never happens);
  4. selected = the first `seats` of `order` (everyone when seats >= len(ids));
     wait list = the rest, in order (place 1 is the first after the selected).

Why this construction: the seed is fixed (committed) before anyone knows the pool, and the pool
is fixed before anyone but the office knows the seed; HMAC gives each applicant an
unpredictable, independent score under a key nobody could choose after seeing the pool; sorting
by score is a uniform random permutation; stratum keys in the message make strata independent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ALGORITHM_VERSION = "jcr-dialogue-lottery-v1"
SEED_BYTES = 32


def stratum_key(district_slug: str, group: str) -> str:
    return f"{district_slug}/{group}"


def seed_from_hex(seed_hex: str) -> bytes:
    """The seed's bytes; ValueError unless it is exactly SEED_BYTES bytes of hex."""
    seed = bytes.fromhex(seed_hex.strip())
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed must be {SEED_BYTES} bytes ({SEED_BYTES * 2} hex digits)")
    return seed


def commitment(seed: bytes) -> str:
    """SHA-256 of the seed bytes, lower-case hex."""
    return hashlib.sha256(seed).hexdigest()


def canonical_pool(pool: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The pool as published: strata with applicants only, each list sorted and unique."""
    return {key: sorted(set(ids)) for key, ids in sorted(pool.items()) if ids}


def pool_hash(pool: Mapping[str, Sequence[str]]) -> str:
    """SHA-256 (hex) of the canonical JSON of the pool (see the module docstring)."""
    text = json.dumps(canonical_pool(pool), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def score(seed: bytes, stratum: str, pseudonym: str) -> bytes:
    return hmac.new(seed, f"{stratum}|{pseudonym}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class StratumResult:
    seats: int
    selected: tuple[str, ...]
    waitlist: tuple[str, ...]

    @property
    def oversubscribed(self) -> bool:
        return bool(self.waitlist)

    def as_dict(self) -> dict:
        return {"seats": self.seats, "selected": list(self.selected), "waitlist": list(self.waitlist)}


def draw(
    *,
    seed: bytes,
    pool: Mapping[str, Sequence[str]],
    seats: Mapping[str, int],
    version: str = ALGORITHM_VERSION,
) -> dict[str, StratumResult]:
    """Run the lottery: {stratum key: StratumResult} for every stratum that has applicants.

    Raises ValueError for an unknown algorithm version, a seed of the wrong length or a
    negative number of seats.
    """
    if version != ALGORITHM_VERSION:
        raise ValueError(f"unknown lottery algorithm {version!r} (this code runs {ALGORITHM_VERSION})")
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed must be {SEED_BYTES} bytes")
    results: dict[str, StratumResult] = {}
    for key, ids in canonical_pool(pool).items():
        n = seats.get(key, 0)
        if n < 0:
            raise ValueError(f"negative seats for {key}")
        order = sorted(ids, key=lambda pseudonym, key=key: (score(seed, key, pseudonym), pseudonym))
        results[key] = StratumResult(seats=n, selected=tuple(order[:n]), waitlist=tuple(order[n:]))
    return results


def record_build(
    *, series: str, seed: bytes, pool: Mapping[str, Sequence[str]], seats: Mapping[str, int], drawn_at: str
) -> dict:
    """The published draw record: everything needed to check the draw, and nothing personal."""
    pool = canonical_pool(pool)
    results = draw(seed=seed, pool=pool, seats=seats)
    return {
        "series": series,
        "algorithm_version": ALGORITHM_VERSION,
        "commitment": commitment(seed),
        "seed": seed.hex(),
        "pool_hash": pool_hash(pool),
        "pool": pool,
        "seats": {key: int(seats.get(key, 0)) for key in sorted(set(seats) | set(pool))},
        "results": {key: result.as_dict() for key, result in results.items()},
        "drawn_at": drawn_at,
    }


@dataclass(frozen=True)
class Verification:
    commitment_ok: bool
    pool_hash_ok: bool
    results_ok: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.commitment_ok and self.pool_hash_ok and self.results_ok


def record_verify(record: Mapping) -> Verification:
    """Re-run a published record: the seed matches the commitment, the pool matches its hash,
    and the draw from seed + pool + seats gives exactly the published results."""
    problems = []
    try:
        seed = seed_from_hex(str(record["seed"]))
        pool = {str(k): [str(i) for i in v] for k, v in dict(record["pool"]).items()}
        seats = {str(k): int(v) for k, v in dict(record["seats"]).items()}
        published = dict(record["results"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return Verification(False, False, False, (f"the record cannot be read: {exc}",))
    commitment_ok = commitment(seed) == str(record.get("commitment", ""))
    if not commitment_ok:
        problems.append("the seed does not match the published commitment")
    pool_hash_ok = pool_hash(pool) == str(record.get("pool_hash", ""))
    if not pool_hash_ok:
        problems.append("the pool does not match the published pool hash")
    try:
        again = draw(seed=seed, pool=pool, seats=seats, version=str(record.get("algorithm_version", "")))
    except ValueError as exc:
        problems.append(str(exc))
        return Verification(commitment_ok, pool_hash_ok, False, tuple(problems))
    recomputed = {key: result.as_dict() for key, result in again.items()}
    results_ok = recomputed == {str(k): dict(v) for k, v in published.items()}
    if not results_ok:
        differing = sorted(k for k in set(recomputed) | set(published) if recomputed.get(k) != published.get(k))
        problems.append("the results differ from a re-run in: " + ", ".join(differing))
    return Verification(commitment_ok, pool_hash_ok, results_ok, tuple(problems))
