"""Rekognition's moderation taxonomy and the rules that map the installed classifiers onto it.

Both live in ``taxonomy.json`` next to this module (package data):

``labels``
    Every label of Rekognition's moderation model 7.0, with its parent (``""`` at the top) and its
    taxonomy level (1, 2 or 3). The level-2 "Gambling" has a level-1 parent of the same name, so a label
    is identified by its name *and* level; its parent is the label named ``parent`` one level up.
``rules``
    Where a label's evidence comes from: ``{"source": "nudenet", "class": C}`` is the best score of
    NudeNet's detections of class ``C``, optionally only counted when open_nsfw's NSFW probability is
    at least ``open_nsfw_at_least``; ``{"source": "open_nsfw", "at_least": t}`` is open_nsfw's NSFW
    probability when it is at least ``t``. A label's own evidence is the best of its rules.
``unmapped_nudenet_classes``
    NudeNet's other classes, each with the reason it maps to nothing.

:func:`moderation_labels` turns the evidence into ``ModerationLabels``: a label with evidence appears
with all its ancestors, each ancestor with the best confidence among its own evidence and its
descendants'; labels no rule reaches are never reported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

DATA_FILE = "taxonomy.json"
NUDENET = "nudenet"
OPEN_NSFW = "open_nsfw"


@dataclass(frozen=True)
class Label:
    name: str
    parent: str  # "" for a top-level label
    level: int  # 1, 2 or 3

    @property
    def key(self) -> tuple[str, int]:
        return (self.name, self.level)

    @property
    def parent_key(self) -> tuple[str, int] | None:
        return (self.parent, self.level - 1) if self.parent else None


@dataclass(frozen=True)
class Rule:
    label: Label
    source: str  # NUDENET or OPEN_NSFW
    detector_class: str | None = None  # the NudeNet class, for NUDENET rules
    at_least: float = 0.0  # the source's score must reach this to count
    open_nsfw_at_least: float = 0.0  # open_nsfw's NSFW probability must reach this too


@dataclass(frozen=True)
class Evidence:
    """What the classifiers said about one image.

    ``nudenet`` holds the best score (0-1) of each NudeNet class among the detections after NMS;
    ``open_nsfw`` is open_nsfw's NSFW probability (0-1).
    """

    nudenet: Mapping[str, float] = field(default_factory=dict)
    open_nsfw: float = 0.0


@dataclass(frozen=True)
class Taxonomy:
    model_version: str
    labels: tuple[Label, ...]
    rules: tuple[Rule, ...]
    unmapped_nudenet_classes: Mapping[str, str]

    def label(self, key: tuple[str, int]) -> Label:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[tuple[str, int], Label]:
        return {label.key: label for label in self.labels}

    def ancestors(self, label: Label) -> list[Label]:
        """The label's parent, grandparent, ... up to its top-level category."""
        by_key = self._by_key
        chain: list[Label] = []
        parent_key = label.parent_key
        while parent_key is not None:
            parent = by_key[parent_key]
            chain.append(parent)
            parent_key = parent.parent_key
        return chain

    def judged(self) -> list[Label]:
        """Labels that can be reported: those with a rule, and their ancestors."""
        keys: set[tuple[str, int]] = set()
        for rule in self.rules:
            keys.add(rule.label.key)
            keys.update(ancestor.key for ancestor in self.ancestors(rule.label))
        return [label for label in self.labels if label.key in keys]

    def never_reported(self) -> list[Label]:
        """Labels no installed model can judge: Argus never returns them."""
        judged = {label.key for label in self.judged()}
        return [label for label in self.labels if label.key not in judged]

    @property
    def mapped_nudenet_classes(self) -> set[str]:
        return {rule.detector_class for rule in self.rules if rule.detector_class is not None}


def rule_score(rule: Rule, evidence: Evidence) -> float:
    """The rule's score in 0-1, or 0 when its source is silent or below its thresholds."""
    if evidence.open_nsfw < rule.open_nsfw_at_least:
        return 0.0
    if rule.source == OPEN_NSFW:
        score = evidence.open_nsfw
    else:
        assert rule.detector_class is not None
        score = evidence.nudenet.get(rule.detector_class, 0.0)
    return score if score >= rule.at_least and score > 0.0 else 0.0


def moderation_labels(taxonomy: Taxonomy, evidence: Evidence, min_confidence: float) -> list[dict[str, Any]]:
    """``ModerationLabels`` for the evidence: labels at or above ``min_confidence`` (0-100), ancestors
    included, the most confident first (parents before children on ties)."""
    confidence: dict[tuple[str, int], float] = {}
    for rule in taxonomy.rules:
        score = 100.0 * rule_score(rule, evidence)
        if score <= 0.0:
            continue
        for label in (rule.label, *taxonomy.ancestors(rule.label)):
            confidence[label.key] = max(confidence.get(label.key, 0.0), score)
    reported = [(value, taxonomy.label(key)) for key, value in confidence.items() if value >= min_confidence]
    reported.sort(key=lambda item: (-item[0], item[1].level, item[1].name))
    return [
        {
            "Confidence": float(value),
            "Name": label.name,
            "ParentName": label.parent,
            "TaxonomyLevel": label.level,
        }
        for value, label in reported
    ]


def parse(document: Mapping[str, Any]) -> Taxonomy:
    """Build and check a taxonomy from ``taxonomy.json``'s structure; ValueError says what is wrong."""
    labels = tuple(
        Label(name=entry["name"], parent=entry["parent"], level=int(entry["level"]))
        for entry in document["labels"]
    )
    by_key: dict[tuple[str, int], Label] = {}
    for label in labels:
        if label.key in by_key:
            raise ValueError(f"label {label.name!r} appears twice at level {label.level}")
        by_key[label.key] = label
    for label in labels:
        if label.level not in (1, 2, 3):
            raise ValueError(f"label {label.name!r} has level {label.level}; levels are 1, 2 and 3")
        if (label.level == 1) != (label.parent == ""):
            raise ValueError(f"label {label.name!r}: only level-1 labels have no parent")
        if label.parent_key is not None and label.parent_key not in by_key:
            raise ValueError(f"label {label.name!r} has parent {label.parent!r}, which is not a label")
    rules = []
    for entry in document["rules"]:
        matches = [label for label in labels if label.name == entry["label"]]
        if len(matches) != 1:
            raise ValueError(f"rule label {entry['label']!r} must name exactly one label")
        source = entry["source"]
        if source not in (NUDENET, OPEN_NSFW):
            raise ValueError(f"rule source {source!r} is neither {NUDENET!r} nor {OPEN_NSFW!r}")
        if (source == NUDENET) != ("class" in entry):
            raise ValueError(f"rule for {entry['label']!r}: a nudenet rule names a class, others don't")
        rules.append(
            Rule(
                label=matches[0],
                source=source,
                detector_class=entry.get("class"),
                at_least=float(entry.get("at_least", 0.0)),
                open_nsfw_at_least=float(entry.get("open_nsfw_at_least", 0.0)),
            )
        )
    unmapped = dict(document.get("unmapped_nudenet_classes", {}))
    both = {rule.detector_class for rule in rules} & set(unmapped)
    if both:
        raise ValueError(f"NudeNet classes both mapped and unmapped: {sorted(c for c in both if c)}")
    return Taxonomy(
        model_version=str(document["model_version"]),
        labels=labels,
        rules=tuple(rules),
        unmapped_nudenet_classes=unmapped,
    )


@cache
def load() -> Taxonomy:
    """The taxonomy shipped with Argus (``taxonomy.json``, package data)."""
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse(json.loads(text))
