"""Source formats: recognise what a JSON document holds and turn each study into a TrialRecord.

Supported: ClinicalTrials.gov API v2 (one study, a ``{"studies": [...]}`` page, ctrdata copies
with collapsed arrays), classic API v1 (one ``full_studies`` element or a whole
``FullStudiesResponse``), classic XML converted to JSON by ctrdata. Anything else is reported as
unsupported, with what it looks like.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.trials.formats import classic_v1, classic_xml, v2
from bot.trials.records import TrialRecord

Parser = Callable[[dict[str, Any]], TrialRecord]


class UnsupportedDocument(ValueError):
    """The document is valid JSON but not a trial record this importer reads."""


@dataclass(frozen=True)
class Element:
    """One study inside a file: where it is (``studies[3]``, or "" for a one-study file) and data."""

    where: str
    data: Any


def split(doc: Any) -> Iterator[Element]:
    """The study elements of a document: one study, an API page, a v1 response, or a list."""
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield Element(f"[{i}]", item)
        return
    if not isinstance(doc, dict):
        raise UnsupportedDocument(f"expected a JSON object, found {type(doc).__name__}")
    if isinstance(doc.get("studies"), list):
        for i, item in enumerate(doc["studies"]):
            yield Element(f"studies[{i}]", item)
        return
    full = doc.get("FullStudiesResponse")
    if isinstance(full, dict) and isinstance(full.get("FullStudies"), list):
        for i, item in enumerate(full["FullStudies"]):
            yield Element(f"FullStudiesResponse.FullStudies[{i}]", item)
        return
    yield Element("", doc)


def parser_for(data: Any) -> Parser:
    """The parser for one study element, or :class:`UnsupportedDocument` saying what it is."""
    if not isinstance(data, dict):
        raise UnsupportedDocument(f"a study must be a JSON object, found {type(data).__name__}")
    if "protocolSection" in data:
        return v2.parse
    if "ProtocolSection" in data or isinstance(data.get("Study"), dict):
        return classic_v1.parse
    if "id_info" in data or "required_header" in data:
        return classic_xml.parse
    if data.get("resourceType") == "ResearchStudy":
        raise UnsupportedDocument(
            "FHIR ResearchStudy (e.g. the French ECLAIRE registry): not supported; "
            "import the trial's ClinicalTrials.gov record instead"
        )
    if "resourceType" in data:
        raise UnsupportedDocument(f"FHIR {data['resourceType']!s:.40} resource: not a trial record")
    keys = ", ".join(sorted(map(str, data))[:6]) or "no keys"
    raise UnsupportedDocument(f"not a ClinicalTrials.gov study (top-level keys: {keys})")
