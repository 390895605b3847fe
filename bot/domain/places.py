"""Indian states, union territories and Chhattisgarh's districts, in both scripts.

Proper names are data, not sentences, so they live here rather than in the catalogs; both
spellings are accepted when typed, and the one in the user's language is shown. A name
typed with a slip ("raipr", "बिलासपूर") is read loosely with rapidfuzz and said to be
unsure, so the conversation asks before storing it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.domain.parsing.digits import plain_words
from bot.domain.parsing.replies import read_reply
from bot.domain.parsing.vocabulary import FILLER_WORDS
from bot.domain.payments import Reading


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    en: str
    hi: str
    short_en: str = ""
    short_hi: str = ""

    def name(self, language: str) -> str:
        return self.hi if language == "hi" else self.en

    def label(self, language: str) -> str:
        """The name as a button or list row shows it (WhatsApp allows 24 characters)."""
        short = self.short_hi if language == "hi" else self.short_en
        return short or self.name(language)


def _places(rows: tuple[tuple[str, ...], ...]) -> tuple[Place, ...]:
    return tuple(Place(*row) for row in rows)


HOME_STATE_ID = "CG"

STATES: tuple[Place, ...] = _places(
    (
        ("CG", "Chhattisgarh", "छत्तीसगढ़"),
        ("AP", "Andhra Pradesh", "आंध्र प्रदेश"),
        ("AR", "Arunachal Pradesh", "अरुणाचल प्रदेश"),
        ("AS", "Assam", "असम"),
        ("BR", "Bihar", "बिहार"),
        ("GA", "Goa", "गोवा"),
        ("GJ", "Gujarat", "गुजरात"),
        ("HR", "Haryana", "हरियाणा"),
        ("HP", "Himachal Pradesh", "हिमाचल प्रदेश"),
        ("JH", "Jharkhand", "झारखंड"),
        ("KA", "Karnataka", "कर्नाटक"),
        ("KL", "Kerala", "केरल"),
        ("MP", "Madhya Pradesh", "मध्य प्रदेश"),
        ("MH", "Maharashtra", "महाराष्ट्र"),
        ("MN", "Manipur", "मणिपुर"),
        ("ML", "Meghalaya", "मेघालय"),
        ("MZ", "Mizoram", "मिज़ोरम"),
        ("NL", "Nagaland", "नागालैंड"),
        ("OD", "Odisha", "ओडिशा"),
        ("PB", "Punjab", "पंजाब"),
        ("RJ", "Rajasthan", "राजस्थान"),
        ("SK", "Sikkim", "सिक्किम"),
        ("TN", "Tamil Nadu", "तमिलनाडु"),
        ("TS", "Telangana", "तेलंगाना"),
        ("TR", "Tripura", "त्रिपुरा"),
        ("UP", "Uttar Pradesh", "उत्तर प्रदेश"),
        ("UK", "Uttarakhand", "उत्तराखंड"),
        ("WB", "West Bengal", "पश्चिम बंगाल"),
        ("AN", "Andaman and Nicobar Islands", "अंडमान और निकोबार द्वीपसमूह"),
        ("CH", "Chandigarh", "चंडीगढ़"),
        ("DN", "Dadra and Nagar Haveli and Daman and Diu", "दादरा और नगर हवेली और दमन और दीव"),
        ("DL", "Delhi", "दिल्ली"),
        ("JK", "Jammu and Kashmir", "जम्मू और कश्मीर"),
        ("LA", "Ladakh", "लद्दाख"),
        ("LD", "Lakshadweep", "लक्षद्वीप"),
        ("PY", "Puducherry", "पुडुचेरी"),
    )
)

CHHATTISGARH_DISTRICTS: tuple[Place, ...] = _places(
    (
        ("raipur", "Raipur", "रायपुर"),
        ("bilaspur", "Bilaspur", "बिलासपुर"),
        ("durg", "Durg", "दुर्ग"),
        ("rajnandgaon", "Rajnandgaon", "राजनांदगांव"),
        ("korba", "Korba", "कोरबा"),
        ("raigarh", "Raigarh", "रायगढ़"),
        ("bastar", "Bastar", "बस्तर"),
        ("surguja", "Surguja", "सरगुजा"),
        ("janjgir_champa", "Janjgir-Champa", "जांजगीर-चांपा"),
        ("mahasamund", "Mahasamund", "महासमुंद"),
        ("balod", "Balod", "बालोद"),
        ("baloda_bazar", "Baloda Bazar", "बलौदाबाजार"),
        ("balrampur", "Balrampur", "बलरामपुर"),
        ("bemetara", "Bemetara", "बेमेतरा"),
        ("bijapur", "Bijapur", "बीजापुर"),
        ("dantewada", "Dantewada", "दंतेवाड़ा"),
        ("dhamtari", "Dhamtari", "धमतरी"),
        ("gariaband", "Gariaband", "गरियाबंद"),
        ("gpm", "Gaurela-Pendra-Marwahi", "गौरेला-पेंड्रा-मरवाही"),
        ("jashpur", "Jashpur", "जशपुर"),
        ("kabirdham", "Kabirdham", "कबीरधाम"),
        ("kanker", "Kanker", "कांकेर"),
        ("kondagaon", "Kondagaon", "कोंडागांव"),
        ("korea", "Korea", "कोरिया"),
        (
            "mcb",
            "Manendragarh-Chirmiri-Bharatpur",
            "मनेंद्रगढ़-चिरमिरी-भरतपुर",
            "Manendragarh (MCB)",
            "मनेंद्रगढ़ (MCB)",
        ),
        (
            "mma",
            "Mohla-Manpur-Ambagarh Chowki",
            "मोहला-मानपुर-अंबागढ़ चौकी",
            "Mohla-Manpur",
            "मोहला-मानपुर",
        ),
        ("mungeli", "Mungeli", "मुंगेली"),
        ("narayanpur", "Narayanpur", "नारायणपुर"),
        ("sakti", "Sakti", "सक्ती"),
        ("sarangarh", "Sarangarh-Bilaigarh", "सारंगढ़-बिलाईगढ़"),
        ("sukma", "Sukma", "सुकमा"),
        ("surajpur", "Surajpur", "सूरजपुर"),
        (
            "kcg",
            "Khairagarh-Chhuikhadan-Gandai",
            "खैरागढ़-छुईखदान-गंडई",
            "Khairagarh (KCG)",
            "खैरागढ़ (KCG)",
        ),
    )
)

_SEPARATORS = re.compile(r"[\s\-_.,()]+")


def _fold(text: str) -> str:
    """Case, spacing, punctuation and nukta insensitive form for matching typed names."""
    text = unicodedata.normalize("NFC", text).casefold().replace("\u093c", "")
    return _SEPARATORS.sub("", text)


# Spellings people actually type, and towns they name instead of their district.
ALIASES: dict[str, tuple[str, ...]] = {
    "CG": ("chattisgarh", "chhatisgarh", "chhattisgad", "chattisgad", "छत्तिसगढ़", "छतीसगढ़"),
    "UP": ("uttarpradesh",),
    "MP": ("madhyapradesh",),
    "durg": ("bhilai", "भिलाई", "durgbhilai"),
    "kabirdham": ("kawardha", "कवर्धा"),
    "kanker": ("uttarbastarkanker",),
    "dantewada": ("dakshinbastar",),
    "janjgir_champa": ("janjgir", "champa", "जांजगीर", "चांपा"),
    # District headquarters and towns people name instead of their district.
    "surguja": ("ambikapur", "अंबिकापुर", "sarguja"),
    "bastar": ("jagdalpur", "जगदलपुर"),
    "jashpur": ("jashpurnagar", "jashpur nagar", "जशपुर नगर"),
    "baloda_bazar": ("bhatapara", "भाटापारा", "balodabazar", "बलौदा बाजार"),
    "gpm": ("pendra", "gaurela", "marwahi", "पेंड्रा", "गौरेला"),
    "mcb": ("manendragarh", "chirmiri", "मनेंद्रगढ़", "चिरमिरी"),
    "kcg": ("khairagarh", "खैरागढ़"),
    "mma": ("mohla", "मोहला", "manpur"),
    "korea": ("koriya", "कोरिया", "baikunthpur", "बैकुंठपुर"),
    "rajnandgaon": ("rajnandgoan", "rajnandgav", "dongargarh", "डोंगरगढ़"),
}
_NOISE = re.compile(r"(city|district|distt|dist|jila|zila|zilla|शहर|जिला|ज़िला)$")


def _exact(text: str, places: tuple[Place, ...]) -> Place | None:
    """The place whose English or Hindi name (or id, or a common spelling) matches `text`;
    a unique prefix of at least four characters also counts, because people abbreviate on
    phones, and a trailing "city" or "district" is ignored."""
    wanted = _NOISE.sub("", _fold(text)) or _fold(text)
    if not wanted:
        return None
    for place in places:
        if wanted in _names(place):
            return place
    if len(wanted) < 4:
        return None
    prefixed = [
        p for p in places if _fold(p.en).startswith(wanted) or _fold(p.hi).startswith(wanted)
    ]
    return prefixed[0] if len(prefixed) == 1 else None


def _names(place: Place) -> set[str]:
    names = {_fold(place.en), _fold(place.hi), _fold(place.id)}
    return names | {_fold(alias) for alias in ALIASES.get(place.id, ())}


def _allowed_edits(length: int) -> int:
    """Typos tolerated in a name this long: none below 5 letters ("durg" vs "duru")."""
    if length < 5:
        return 0
    return 1 if length <= 7 else 2


def _loose(wanted: str, places: tuple[Place, ...]) -> Place | None:
    """The one place within a few typos of `wanted` (rapidfuzz Levenshtein), or None."""
    limit = _allowed_edits(len(wanted))
    if limit == 0:
        return None
    choices = {name: place for place in places for name in _names(place)}
    matches = process.extract(
        wanted, list(choices), scorer=Levenshtein.distance, score_cutoff=limit, limit=6
    )
    if not matches:
        return None
    best = min(distance for _name, distance, _i in matches)
    found = {choices[name] for name, distance, _i in matches if distance == best}
    return found.pop() if len(found) == 1 else None


def read_place(text: str, places: tuple[Place, ...]) -> Reading[Place] | None:
    """Read a place from an answer: sure for a name (alone or with words that name no
    place, "main raipur se hoon"), unsure for a name within a typo or two
    (`unsure.place.typo`), None for anything else, including "pata nahi"."""
    if len(text) > 200 or read_reply(text) is not None:
        return None
    exact = _exact(text, places)
    if exact is not None:
        return Reading(exact)
    words = [word for word in plain_words(text).split() if word not in FILLER_WORDS]
    if not words or len(words) > 4:
        return None
    joined = _exact(" ".join(words), places)
    if joined is not None:
        return Reading(joined)
    loose = _loose(_NOISE.sub("", _fold(" ".join(words))), places)
    return None if loose is None else Reading(loose, sure=False, why="unsure.place.typo")


def find_place(text: str, places: tuple[Place, ...]) -> Place | None:
    """The place `text` names for sure (see `read_place`), or None: a loose reading is
    never returned here, because callers of this function store what it returns."""
    reading = read_place(text, places)
    return reading.value if reading is not None and reading.sure else None


def place_by_id(place_id: str, places: tuple[Place, ...]) -> Place | None:
    return next((place for place in places if place.id == place_id), None)
