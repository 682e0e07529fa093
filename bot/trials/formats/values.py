"""Reading and normalising single values (ages, statuses, phases, dates, ids) of any source format."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.trials.records import PHASES, SEXES, STATUSES, FieldError
from bot.trials.text import clean_registry_text

NCT_ID = re.compile(r"^NCT\d{8}$")


class Reader:
    """Typed access to one JSON object, raising :class:`FieldError` with the full field path.

    Lists are read leniently because ctrdata collapses them (a one-element list stored as its
    element, an empty list stored as ``{}``); ``collapsed`` records that this happened.
    """

    def __init__(self, data: Any, path: str, state: dict[str, bool] | None = None) -> None:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise FieldError(path or "(record)", f"expected an object, got {_type_name(data)}")
        self.data = data
        self.path = path
        self.state = state if state is not None else {"collapsed": False}

    def _sub(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, {}, [], "")

    def obj(self, key: str) -> Reader:
        return Reader(self.data.get(key), self._sub(key), self.state)

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False, clean: bool = False) -> str | None:
        value = self.data.get(key)
        if type(value) is str and value.strip():  # the common case, kept cheap
            result = clean_registry_text(value) if clean else value.strip()
            if result:
                return result
            value = None  # only markup (e.g. "&#xD;"): nothing to read
        if isinstance(value, dict) and not value:  # ctrdata's empty value
            value = None
        if isinstance(value, dict) and isinstance(value.get("textblock"), str):  # classic XML
            value = value["textblock"]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise FieldError(self._sub(key), "missing")
            return None
        if not isinstance(value, str):
            raise FieldError(self._sub(key), f"expected text, got {_type_name(value)}")
        result = clean_registry_text(value) if clean else value.strip()
        if not result and required:
            raise FieldError(self._sub(key), "missing")
        return result or None

    def _items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, dict) and not value:
            self.state["collapsed"] = True
            return []
        if isinstance(value, (str, dict)):
            self.state["collapsed"] = True
            return [value]
        raise FieldError(self._sub(key), f"expected a list, got {_type_name(value)}")

    def texts(self, key: str) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self._items(key)):
            if isinstance(item, dict) and not item:
                continue
            if not isinstance(item, str):
                raise FieldError(f"{self._sub(key)}[{i}]", f"expected text, got {_type_name(item)}")
            if item.strip():
                out.append(clean_registry_text(item))
        return tuple(out)

    def objs(self, key: str) -> list[Reader]:
        return [
            Reader(item, f"{self._sub(key)}[{i}]", self.state)
            for i, item in enumerate(self._items(key))
        ]

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None or value == {} or value == "":
            return None
        if isinstance(value, bool):
            raise FieldError(self._sub(key), f"expected a number, got {_type_name(value)}")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().isdigit():  # classic formats use text
            return int(value.strip())
        raise FieldError(self._sub(key), f"expected a whole number, got {value!r}")

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None or value == {}:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FieldError(self._sub(key), f"expected a number, got {_type_name(value)}")
        return float(value)

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or value == {}:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
            return value.strip().lower() in ("yes", "true")
        raise FieldError(self._sub(key), f"expected yes/no, got {value!r}")

    def where(self, key: str) -> str:
        return self._sub(key)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def nct_id(value: str | None, path: str) -> str:
    if value is None:
        raise FieldError(path, "missing")
    cleaned = value.strip().upper()
    if not NCT_ID.match(cleaned):
        raise FieldError(path, f"not an NCT number (NCT + 8 digits): {value[:40]!r}")
    return cleaned


_STATUS_ALIASES = {"UNKNOWN_STATUS": "UNKNOWN", "ACTIVE_NOT_RECRUITING": "ACTIVE_NOT_RECRUITING"}


def status(value: str | None, path: str) -> str:
    """``"RECRUITING"``, ``"Not yet recruiting"``, ``"Active, not recruiting"`` -> v2 enum."""
    if value is None:
        raise FieldError(path, "missing")
    key = re.sub(r"[^A-Z]+", "_", value.strip().upper()).strip("_")
    key = _STATUS_ALIASES.get(key, key)
    if key not in STATUSES:
        raise FieldError(path, f"unknown status {value[:40]!r}")
    return key


_PHASE_WORDS = {"0": "EARLY_PHASE1", "1": "PHASE1", "2": "PHASE2", "3": "PHASE3", "4": "PHASE4"}


def phases(values: tuple[str, ...], path: str) -> tuple[str, ...]:
    """v2 enums or classic text ("Phase 1/Phase 2", "Early Phase 1", "N/A") -> sorted v2 enums."""
    found: set[str] = set()
    for raw in values:
        text = raw.strip().upper()
        if text in PHASES:
            found.add(text)
            continue
        if text in ("N/A", "NOT APPLICABLE", "NA"):
            found.add("NA")
            continue
        parts = re.findall(r"(EARLY\s+)?PHASE\s*([0-4])", text)
        if not parts:
            raise FieldError(path, f"unknown phase {raw[:40]!r}")
        for early, digit in parts:
            found.add("EARLY_PHASE1" if early else _PHASE_WORDS[digit])
    return tuple(p for p in PHASES if p in found)


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.I)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25,
               "hour": 1 / 8766, "minute": 1 / 525960}


def age_years(value: str | None, path: str) -> float | None:
    """"18 Years" -> 18.0, "12 Months" -> 1.0, "N/A" -> None."""
    if value is None or value.strip().upper() in ("N/A", "NA", "NONE", ""):
        return None
    match = _AGE.match(value)
    if not match:
        raise FieldError(path, f"unreadable age {value[:40]!r} (expected e.g. '18 Years')")
    years = float(match.group(1)) * _UNIT_YEARS[match.group(2).lower()]
    return round(years, 3)


def sex(value: str | None, path: str) -> str | None:
    if value is None:
        return None
    key = value.strip().upper()
    key = {"BOTH": "ALL"}.get(key, key)
    if key not in SEXES:
        raise FieldError(path, f"unknown sex {value[:40]!r}")
    return key


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}


def date(value: str | None, path: str) -> str | None:
    """ISO dates ("2021-07", "2021-07-19") or classic ones ("March 3, 2021", "July 2001") -> ISO."""
    if value is None:
        return None
    text = value.strip()
    if re.match(r"^\d{4}-\d{2}(-\d{2})?$", text):
        return text
    match = re.match(r"^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$", text)
    if match and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        if match.group(2):
            return dt.date(int(match.group(3)), month, int(match.group(2))).isoformat()
        return f"{match.group(3)}-{month:02d}"
    match = re.match(r"^(\d{4})[-:](\d{2})[-:](\d{2})[ T]", text + " ")
    if match:  # ctrdata "2024-05-16 14:07:56", v1 DataVrs "2023:10:17 23:49:37"
        return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
    raise FieldError(path, f"unreadable date {value[:40]!r}")


_ID_PATTERNS = (
    ("CTIS", re.compile(r"^\d{4}-5\d{5}-\d{2}-\d{2}$")),
    ("EUDRACT", re.compile(r"^\d{4}-\d{6}-\d{2}$")),
    ("IDRCB", re.compile(r"^\d{4}-A\d{5}-\d{2}$", re.I)),
)
_ID_TYPES = {
    "EUDRACT_NUMBER": "EUDRACT", "EUDRACT NUMBER": "EUDRACT", "CTIS": "CTIS",
    "NIH": "NIH", "U.S. NIH GRANT/CONTRACT": "NIH", "FDA": "FDA", "VA": "VA", "CDC": "CDC",
    "AHRQ": "AHRQ", "SAMHSA": "SAMHSA", "OTHER_GRANT": "OTHER_GRANT",
    "OTHER GRANT/FUNDING NUMBER": "OTHER_GRANT", "REGISTRY": "REGISTRY",
    "REGISTRY IDENTIFIER": "REGISTRY", "OTHER": "OTHER", "OTHER IDENTIFIER": "OTHER",
}


def identifier_kind(value: str, declared: str | None, domain: str | None) -> str:
    """Secondary-id kind; the value's shape wins when the registry says OTHER or nothing."""
    kind = _ID_TYPES.get((declared or "").strip().upper(), "OTHER") if declared else "OTHER"
    if kind in ("OTHER", "REGISTRY"):
        if domain and re.sub(r"[^A-Z]", "", domain.upper()) == "IDRCB":
            return "IDRCB"
        for name, pattern in _ID_PATTERNS:
            if pattern.match(value.strip()):
                return name
    return kind
