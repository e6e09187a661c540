"""Labels of an image: the ImageNet classifier's classes through the taxonomy, plus instances.

Confidence of a label (0-100) is the probability the classifier gives to it: the sum of the softmax
probabilities of the ImageNet classes that stand for the label or for one of its descendants (each
class counted once). A parent is therefore at least as confident as any child, and a concept whose
evidence is spread over sibling classes (tabby, tiger cat, Egyptian cat) gets the whole of it ("Cat").

Instances: people from :class:`~argus.vision.labels.persons.PersonDetector`; when an operator installed
a YOLO model, every object class from it instead (:mod:`argus.vision.labels.yolo`). A label with
detected instances is at least as confident as its best instance, and so are its ancestors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from argus.vision.labels.taxonomy import LabelInfo, Taxonomy

PERSON = "Person"
MIN_EVIDENCE = 1e-4  # labels below 0.01 % are never reported


@dataclass(frozen=True)
class Instance:
    box: tuple[float, float, float, float]  # left, top, right, bottom in pixels
    confidence: float  # 0-100


@dataclass
class Label:
    info: LabelInfo
    confidence: float  # 0-100
    instances: list[Instance] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.info.name


class Classifier(Protocol):
    def probabilities(self, rgb: NDArray[np.uint8]) -> NDArray[np.float64]: ...


class FoundPerson(Protocol):
    @property
    def box(self) -> tuple[float, float, float, float]: ...
    @property
    def score(self) -> float: ...
    @property
    def presence(self) -> float: ...


class FoundObject(Protocol):
    @property
    def class_name(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def box(self) -> tuple[float, float, float, float]: ...


class PeopleFinder(Protocol):
    def detect(self, rgb: NDArray[np.uint8]) -> Sequence[FoundPerson]: ...


class ObjectDetector(Protocol):
    def detect(self, rgb: NDArray[np.uint8]) -> Sequence[FoundObject]: ...


class LabelDetector:
    def __init__(
        self,
        taxonomy: Taxonomy,
        classifier: Classifier,
        people: PeopleFinder | None = None,
        objects: ObjectDetector | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.classifier = classifier
        self.people = people
        self.objects = objects
        self._class_labels = self._closures()

    def _closures(self) -> list[tuple[str, ...]]:
        """For each ImageNet class, its labels and all their ancestors, each once."""
        closures = []
        for labels in self.taxonomy.imagenet:
            names: list[str] = []
            for label in labels:
                for name in (label, *self.taxonomy.ancestors(label)):
                    if name not in names:
                        names.append(name)
            closures.append(tuple(names))
        return closures

    def evidence(self, probabilities: NDArray[np.float64]) -> dict[str, float]:
        """Label -> probability (0-1) from the classifier's class probabilities."""
        totals: dict[str, float] = defaultdict(float)
        for index in np.flatnonzero(probabilities >= MIN_EVIDENCE / 10):
            for name in self._class_labels[index]:
                totals[name] += float(probabilities[index])
        return {name: min(1.0, value) for name, value in totals.items() if value >= MIN_EVIDENCE}

    def instances(self, rgb: NDArray[np.uint8]) -> dict[str, tuple[LabelInfo, list[Instance]]]:
        found: dict[str, tuple[LabelInfo, list[Instance]]] = {}
        if self.objects is not None:
            for detection in self.objects.detect(rgb):
                info = self.taxonomy.label_for_detector_class(detection.class_name)
                instance = Instance(detection.box, 100.0 * detection.confidence)
                found.setdefault(info.name, (info, []))[1].append(instance)
        elif self.people is not None:
            info = self.taxonomy.labels[PERSON]
            for person in self.people.detect(rgb):
                # Either model may be sure of the person: noisy-or of the detector and the landmark model.
                confidence = 100.0 * (1.0 - (1.0 - person.score) * (1.0 - person.presence))
                found.setdefault(PERSON, (info, []))[1].append(Instance(person.box, confidence))
        return found

    def detect(self, rgb: NDArray[np.uint8]) -> list[Label]:
        """Every label with its confidence and instances, most confident first."""
        confidence = {
            name: 100.0 * value for name, value in self.evidence(self.classifier.probabilities(rgb)).items()
        }
        infos: dict[str, LabelInfo] = {name: self.taxonomy.labels[name] for name in confidence}
        boxes: Mapping[str, tuple[LabelInfo, list[Instance]]] = self.instances(rgb)
        for name, (info, instances) in boxes.items():
            infos[name] = info
            best = max(instance.confidence for instance in instances)
            chain = (name, *self.taxonomy.ancestors(name)) if name in self.taxonomy.labels else (name,)
            for member in chain:
                infos.setdefault(member, self.taxonomy.labels.get(member, info))
                confidence[member] = max(confidence.get(member, 0.0), best)
        labels = [
            Label(
                info=infos[name],
                confidence=min(100.0, value),
                instances=sorted(boxes[name][1], key=lambda instance: -instance.confidence)
                if name in boxes
                else [],
            )
            for name, value in confidence.items()
        ]
        labels.sort(key=lambda label: (-label.confidence, label.name))
        return labels
