"""The demo geocoder: a small built-in gazetteer of the demo districts' streets and landmarks
(jcr/core/demo/police_districts.geojson), behind geopy's Geocoder interface. It never uses the
network: `make run` and the tests use it. Its points are illustrative, not surveyed: a street
is a straight line between two ends and a house number is placed along it in proportion."""

from __future__ import annotations

import re

from geopy.geocoders.base import Geocoder
from geopy.location import Location

CITY = "Sacramento, CA"

# Street: (label, (lat, lon) at number 0, (lat, lon) at the highest number, highest number).
STREETS: list[tuple[str, tuple[float, float], tuple[float, float], int]] = [
    ("J St", (38.5826, -121.5045), (38.5660, -121.4300), 6000),
    ("K St", (38.5805, -121.5040), (38.5725, -121.4700), 3000),
    ("L St", (38.5790, -121.5030), (38.5700, -121.4650), 3300),
    ("Broadway", (38.5640, -121.5050), (38.5530, -121.4500), 6000),
    ("Freeport Blvd", (38.5600, -121.4950), (38.4850, -121.4950), 8000),
    ("Stockton Blvd", (38.5550, -121.4570), (38.4600, -121.4200), 9000),
    ("Franklin Blvd", (38.5400, -121.4700), (38.4400, -121.4480), 9000),
    ("Del Paso Blvd", (38.6050, -121.4500), (38.6350, -121.4150), 4000),
    ("Northgate Blvd", (38.6100, -121.4900), (38.6800, -121.4950), 6000),
    ("Florin Rd", (38.4950, -121.5200), (38.4950, -121.3800), 9000),
    ("Folsom Blvd", (38.5650, -121.4650), (38.5550, -121.3700), 9999),
    ("Alhambra Blvd", (38.5800, -121.4680), (38.5560, -121.4680), 2000),
    ("21st St", (38.5800, -121.4800), (38.5200, -121.4850), 6000),
    ("16th St", (38.5850, -121.4870), (38.5600, -121.4880), 3000),
    ("Marysville Blvd", (38.6200, -121.4350), (38.6800, -121.4350), 5000),
    ("Truxel Rd", (38.6100, -121.5050), (38.6900, -121.5100), 6000),
    ("Riverside Blvd", (38.5600, -121.5050), (38.4950, -121.5350), 7000),
    ("Fruitridge Rd", (38.5150, -121.5000), (38.5150, -121.3900), 9000),
    ("65th St", (38.5650, -121.4300), (38.5100, -121.4300), 6000),
    ("Power Inn Rd", (38.5600, -121.4050), (38.4700, -121.4000), 9000),
    # In the county, outside every demo district (Rancho Cordova).
    ("Zinfandel Dr", (38.5900, -121.2900), (38.6200, -121.2900), 3000),
]

# Landmark: (label, latitude, longitude). The last one is outside the county on purpose.
PLACES: list[tuple[str, float, float]] = [
    ("Sacramento County Courthouse, 720 9th St", 38.5797, -121.4960),
    ("Sacramento City Hall, 915 I St", 38.5816, -121.4930),
    ("California State Capitol, 1315 10th St", 38.5766, -121.4934),
    ("Cal Expo, 1600 Exposition Blvd", 38.5925, -121.4263),
    ("Sacramento Zoo, 3930 W Land Park Dr", 38.5398, -121.5050),
    ("Sacramento International Airport, 6900 Airport Blvd", 38.6954, -121.5908),
    ("San Francisco City Hall, 1 Dr Carlton B Goodlett Pl, San Francisco", 37.7793, -122.4193),
]

_ABBREVIATIONS = {
    "street": "st",
    "boulevard": "blvd",
    "road": "rd",
    "avenue": "ave",
    "drive": "dr",
    "west": "w",
}
_TAIL = re.compile(r",?\s*(sacramento|rancho cordova)?\s*,?\s*(ca|california)?\s*(\d{5})?\s*$")
_NUMBER = re.compile(r"^(\d{1,5})(?:\s+(.*))?$")


def normalize(text: str) -> str:
    """Lower case, punctuation out, common suffixes abbreviated, city and state dropped."""
    text = re.sub(r"[^\w\s,]", " ", (text or "").lower())
    text = _TAIL.sub("", re.sub(r"\s+", " ", text).strip())
    words = [_ABBREVIATIONS.get(word, word) for word in text.replace(",", " ").split()]
    return " ".join(words)


def _street_point(street, number: int) -> tuple[float, float]:
    _label, (lat0, lon0), (lat1, lon1), highest = street
    share = min(max(number, 0), highest) / highest
    return round(lat0 + (lat1 - lat0) * share, 6), round(lon0 + (lon1 - lon0) * share, 6)


def search(query: str, limit: int = 5) -> list[tuple[str, float, float]]:
    """(label, latitude, longitude) matching `query`: a house number and a street ("1200 J
    Street"), a street alone (its middle), or words of a landmark's name; best matches first."""
    text = normalize(query)
    if len(text) < 2:
        return []
    number = None
    match = _NUMBER.match(text)
    if match:
        number, text = int(match.group(1)), match.group(2) or ""
    results: list[tuple[int, str, float, float]] = []
    for street in STREETS:
        name = normalize(street[0])
        if name.startswith(text):
            rank = 0 if name == text else 1
            if number is not None and number <= street[3]:
                lat, lon = _street_point(street, number)
                results.append((rank, f"{number} {street[0]}, {CITY}", lat, lon))
            elif number is None:
                lat, lon = _street_point(street, street[3] // 2)
                results.append((rank + 1, f"{street[0]}, {CITY}", lat, lon))
    if number is None or not results:
        whole = normalize(query)
        for label, lat, lon in PLACES:
            if whole and all(word in normalize(label) for word in whole.split()):
                results.append((2, label, lat, lon))
    results.sort(key=lambda row: (row[0], row[1]))
    return [(label, lat, lon) for _rank, label, lat, lon in results[:limit]]


class DemoGeocoder(Geocoder):
    """geopy's interface over the gazetteer above (no network)."""

    def geocode(self, query, *, exactly_one=True, limit=5, timeout=None, **kwargs):
        rows = search(str(query), limit=1 if exactly_one else limit)
        locations = [Location(label, (lat, lon), {"demo": True}) for label, lat, lon in rows]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None
