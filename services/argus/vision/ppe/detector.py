"""DetectProtectiveEquipment: RGB image -> Rekognition ``Persons`` (and ``Summary``).

Per image: persons from :class:`~argus.vision.ppe.persons.PersonFinder` (BlazePose landmarks seeded by
BlazeFace faces), largest first, at most 15, ids ``0..n-1`` in that order. Per person, the body parts
Rekognition names, each returned only when found with at least 50 % confidence (Rekognition returns
nothing below 50 % either):

* ``FACE``: the person's BlazeFace face (searched again in a crop around the pose's head points when the
  whole-image pass missed it); confidence = the larger of the face detection's score and the mean
  visibility of the pose's nose, eyes and mouth. With no face found but those points visible, a face
  box from those points and their mean visibility.
* ``HEAD``: visible when the face is or the pose's head points (nose, eyes, ears) are; confidence = the
  larger of the two. Its box is the face box widened and raised to the top of the person mask.
* ``LEFT_HAND`` / ``RIGHT_HAND`` (the person's own left and right): the pose's wrist, pinky, index and
  thumb points; confidence = their mean visibility. The box is centred on the knuckles and sized from
  the wrist-knuckle distance.

Equipment per body part (:class:`EquipmentDetection`), again only at 50 % confidence or more:
``FACE_COVER`` from the face-mask classifier (:mod:`.mask`), ``HEAD_COVER`` and ``HAND_COVER`` from the
colour signals of :mod:`.cover`. Any type can be switched off (``enabled``): its body parts are then
reported with no equipment. ``HAND_COVER`` is off by default (:data:`DEFAULT_ENABLED`): its signal
measured no better than chance. A trained detector (:class:`EquipmentModel`, e.g. a YOLO or Custom Labels
PPE model) takes over the types it declares: its boxes are assigned to the body part they overlap most.
Accuracy and limits: docs/ppe.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import ModelFileMissing
from argus.vision.faces.analyzer import DETECTOR_FILE as FACE_DETECTOR_FILE
from argus.vision.faces.analyzer import bounding_box
from argus.vision.faces.analyzer import face_box as face_box_with_chin
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.ppe import cover
from argus.vision.ppe.mask import MODEL_FILE as MASK_FILE
from argus.vision.ppe.mask import FaceMaskClassifier
from argus.vision.ppe.persons import Person, PersonFinder, torso_length
from argus.vision.ppe.pose import DETECTOR_FILE, LANDMARK_FILE, Box, PersonPose, PoseDetector

MODEL_VERSION = "1.0"
EQUIPMENT_TYPES = ("FACE_COVER", "HAND_COVER", "HEAD_COVER")
# Types judged unless told otherwise. HAND_COVER's colour signal measured no better than chance on real
# bare hands and synthetic gloves (docs/ppe.md), so hands are reported with no equipment by default.
DEFAULT_ENABLED = ("FACE_COVER", "HEAD_COVER")
BODY_PART_OF_COVER = {
    "FACE_COVER": ("FACE",),
    "HEAD_COVER": ("HEAD",),
    "HAND_COVER": ("LEFT_HAND", "RIGHT_HAND"),
}
COVER_OF_BODY_PART = {
    "FACE": "FACE_COVER",
    "HEAD": "HEAD_COVER",
    "LEFT_HAND": "HAND_COVER",
    "RIGHT_HAND": "HAND_COVER",
}
MIN_RETURNED = 0.5  # Rekognition returns persons, body parts and equipment from 50 % confidence
HEAD_POINTS = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")
FACE_POINTS = ("nose", "left_eye", "right_eye", "mouth_left", "mouth_right")
HAND_POINTS = {
    "LEFT_HAND": ("left_wrist", "left_pinky", "left_index", "left_thumb"),
    "RIGHT_HAND": ("right_wrist", "right_pinky", "right_index", "right_thumb"),
}
# Head box: the face box widened by this fraction of its width on each side, and its top raised to the
# person mask's top, at most HEAD_MAX_ABOVE face heights above the face box (at least HEAD_MIN_ABOVE).
HEAD_WIDEN = 0.15
HEAD_MIN_ABOVE = 0.25
HEAD_MAX_ABOVE = 0.9
# The crown (head-cover region): the middle CROWN_WIDTH of the face's width, from the head's top to
# CROWN_BELOW_FACE_TOP face heights below the face box's top.
CROWN_WIDTH = 0.7
CROWN_BELOW_FACE_TOP = 0.05
# Hand box side: HAND_SIZE times the wrist-to-knuckles distance, at least HAND_MIN_TORSO torso lengths.
HAND_SIZE = 2.2
HAND_MIN_TORSO = 0.15
# Thresholds of the colour signals (fraction of pixels unlike the bare part): see docs/ppe.md.
HEAD_COVER_THRESHOLD = 0.5
HAND_COVER_THRESHOLD = 0.6


@dataclass(frozen=True)
class EquipmentDetection:
    """One item of PPE: type, box in pixels, detection confidence and whether it covers the part (0..1)."""

    type: str
    box: Box
    confidence: float
    covers: bool
    covers_confidence: float


@dataclass(frozen=True)
class BodyPart:
    """A body part: Rekognition name, box in pixels (Argus's own; Rekognition returns none), confidence."""

    name: str
    box: Box
    confidence: float
    equipment: tuple[EquipmentDetection, ...] = ()


@dataclass(frozen=True)
class PersonEquipment:
    """One person with their body parts; ``person`` holds the landmarks and face it came from."""

    person: Person
    body_parts: tuple[BodyPart, ...]
    box: Box  # the person's box grown to hold their face and head boxes

    @property
    def confidence(self) -> float:
        return self.person.confidence

    def part(self, name: str) -> BodyPart | None:
        return next((part for part in self.body_parts if part.name == name), None)


class EquipmentModel(Protocol):
    """Extension point: a trained PPE detector (a YOLO model, a Custom Labels model ...).

    ``types`` are the equipment types it detects; for those, the built-in signals are not run. ``detect``
    returns ``(type, box in pixels, confidence 0..1)`` for every item in the image; each is assigned to
    the body part of that type's parts that it overlaps most, and covers it when at least half of the
    item's box lies on the part's box.
    """

    types: frozenset[str]

    def detect(self, rgb: NDArray[np.uint8]) -> list[tuple[str, Box, float]]: ...


def _clip_box(box: Box, width: int, height: int) -> Box:
    return (
        float(np.clip(box[0], 0, width)),
        float(np.clip(box[1], 0, height)),
        float(np.clip(box[2], 0, width)),
        float(np.clip(box[3], 0, height)),
    )


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _intersection(a: Box, b: Box) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


@dataclass
class _Parts:
    """Body-part geometry of one person, before equipment."""

    face: Box | None = None
    face_confidence: float = 0.0
    head: Box | None = None
    head_confidence: float = 0.0
    crown: Box | None = None
    hands: dict[str, tuple[Box, float]] = field(default_factory=dict)


class ProtectiveEquipmentDetector:
    """Persons, body parts and PPE as Rekognition describes them (thread-safe)."""

    def __init__(
        self,
        finder: PersonFinder,
        masks: FaceMaskClassifier | None,
        enabled: Iterable[str] = DEFAULT_ENABLED,
        trained: EquipmentModel | None = None,
    ) -> None:
        self.finder = finder
        self.masks = masks
        self.enabled = frozenset(enabled)
        unknown = self.enabled - set(EQUIPMENT_TYPES)
        if unknown:
            raise ValueError(f"unknown equipment types {sorted(unknown)}")
        if (
            "FACE_COVER" in self.enabled
            and masks is None
            and (trained is None or "FACE_COVER" not in trained.types)
        ):
            raise ValueError("FACE_COVER needs the face-mask classifier or a trained model")
        self.trained = trained
        self.model_version = MODEL_VERSION

    @classmethod
    def from_dirs(
        cls,
        body_dir: Path,
        face_dir: Path,
        mask_dir: Path,
        device: str = "cpu",
        enabled: Iterable[str] = DEFAULT_ENABLED,
    ) -> ProtectiveEquipmentDetector:
        """Load the pose models, BlazeFace and the face-mask classifier from ``argus models fetch``'s dirs."""
        for path in (body_dir / DETECTOR_FILE, body_dir / LANDMARK_FILE, face_dir / FACE_DETECTOR_FILE):
            if not path.is_file():
                raise ModelFileMissing(f"{path} is missing; run `argus models fetch`")
        enabled = frozenset(enabled)
        masks = None
        if "FACE_COVER" in enabled:
            if not (mask_dir / MASK_FILE).is_file():
                raise ModelFileMissing(f"{mask_dir / MASK_FILE} is missing; run `argus models fetch`")
            masks = FaceMaskClassifier(mask_dir / MASK_FILE, device)
        finder = PersonFinder(
            PoseDetector.from_dir(body_dir), BlazeFaceDetector(face_dir / FACE_DETECTOR_FILE)
        )
        return cls(finder, masks, enabled)

    # -- geometry ---------------------------------------------------------------------------------

    def _face(self, rgb: NDArray[np.uint8], person: Person) -> tuple[Box | None, float]:
        pose = person.pose
        face: DetectedFace | None = person.face
        if face is None and np.mean([pose.visible(name) for name in HEAD_POINTS]) >= MIN_RETURNED:
            face = self._face_near_head(rgb, pose)
        visibility = float(np.mean([pose.visible(name) for name in FACE_POINTS]))
        if face is not None:
            # Two models see the face: BlazeFace (its score is low on small or turned faces) and the
            # pose landmarks' visibility of the nose, eyes and mouth; the face is there if either says so.
            return face_box_with_chin(face), max(float(face.score), visibility)
        if visibility < MIN_RETURNED:
            return None, visibility
        points = np.array([pose.point(name) for name in FACE_POINTS])
        eyes = (points[1] + points[2]) / 2.0
        mouth = (points[3] + points[4]) / 2.0
        size = 2.2 * max(float(np.hypot(*(mouth - eyes))), 1.0)
        centre = (eyes + mouth) / 2.0
        return (
            float(centre[0] - size / 2),
            float(centre[1] - size / 2),
            float(centre[0] + size / 2),
            float(centre[1] + size / 2),
        ), visibility

    def _face_near_head(self, rgb: NDArray[np.uint8], pose: PersonPose) -> DetectedFace | None:
        """BlazeFace on a square around the pose's head (faces too small for the whole-image pass)."""
        nose = np.array(pose.point("nose"))
        side = 0.9 * torso_length(pose)
        height, width = rgb.shape[:2]
        left, top = max(0, int(nose[0] - side / 2)), max(0, int(nose[1] - side / 2))
        right, bottom = min(width, int(nose[0] + side / 2)), min(height, int(nose[1] + side / 2))
        if right - left < 16 or bottom - top < 16:
            return None
        crop = np.ascontiguousarray(rgb[top:bottom, left:right])
        for face in self.finder.faces.detect(crop):
            box = (face.box[0] + left, face.box[1] + top, face.box[2] + left, face.box[3] + top)
            moved = DetectedFace(box=box, score=face.score, keypoints=face.keypoints + np.array([left, top]))
            if box[0] <= nose[0] <= box[2] and box[1] <= nose[1] <= box[3]:
                return moved
        return None

    def _parts(self, rgb: NDArray[np.uint8], person: Person) -> _Parts:
        height, width = rgb.shape[:2]
        pose = person.pose
        parts = _Parts()
        parts.face, parts.face_confidence = self._face(rgb, person)
        head_visibility = float(np.mean([pose.visible(name) for name in HEAD_POINTS]))
        parts.head_confidence = max(head_visibility, parts.face_confidence if parts.face is not None else 0.0)
        if parts.face is not None:
            left, top, right, bottom = parts.face
            face_w, face_h = right - left, bottom - top
            head_top = self._head_top(pose, parts.face)
            parts.head = _clip_box(
                (left - HEAD_WIDEN * face_w, head_top, right + HEAD_WIDEN * face_w, bottom), width, height
            )
            margin = (1.0 - CROWN_WIDTH) / 2.0 * face_w
            crown = (left + margin, head_top, right - margin, top + CROWN_BELOW_FACE_TOP * face_h)
            parts.crown = _clip_box(crown, width, height) if crown[3] > crown[1] else None
        elif head_visibility >= MIN_RETURNED:
            points = np.array([pose.point(name) for name in HEAD_POINTS])
            size = max(float(np.ptp(points[:, 0])), 0.25 * torso_length(pose))
            centre = points.mean(axis=0)
            parts.head = _clip_box(
                (centre[0] - size * 0.75, centre[1] - size, centre[0] + size * 0.75, centre[1] + size * 0.6),
                width,
                height,
            )
        for name, points_names in HAND_POINTS.items():
            points = np.array([pose.point(point) for point in points_names])
            visibility = float(np.mean([pose.visible(point) for point in points_names]))
            inside = bool(np.all((points >= 0) & (points < np.array([width, height]))))
            if not inside:
                continue
            knuckles = (points[1] + points[2]) / 2.0
            side = max(
                HAND_SIZE * float(np.hypot(*(knuckles - points[0]))), HAND_MIN_TORSO * torso_length(pose)
            )
            centre = (knuckles + points.mean(axis=0)) / 2.0
            box = (centre[0] - side / 2, centre[1] - side / 2, centre[0] + side / 2, centre[1] + side / 2)
            parts.hands[name] = (_clip_box(box, width, height), visibility)
        return parts

    @staticmethod
    def _head_top(pose: PersonPose, face: Box) -> float:
        """Top of the head: the person mask's top above the face's middle, within the allowed band."""
        left, top, right, bottom = face
        face_h = bottom - top
        lowest, highest = top - HEAD_MIN_ABOVE * face_h, top - HEAD_MAX_ABOVE * face_h
        xs = np.linspace(left + 0.3 * (right - left), right - 0.3 * (right - left), 5)
        ys = np.linspace(highest, top, 24)
        grid = np.array([(x, y) for y in ys for x in xs])
        inside = pose.mask_at(grid).reshape(len(ys), len(xs)) >= 0.5
        rows = np.flatnonzero(inside.mean(axis=1) >= 0.5)
        head_top = float(ys[rows[0]]) if rows.size else lowest
        return min(head_top, lowest)

    # -- equipment --------------------------------------------------------------------------------

    def _person_pixels(self, rgb: NDArray[np.uint8], pose: PersonPose, box: Box) -> NDArray[np.uint8]:
        centres = cover.box_centres(box, rgb)
        probability = pose.mask_at(centres) if len(centres) else None
        return cover.region_pixels(rgb, box, probability)

    def _builtin_equipment(
        self, rgb: NDArray[np.uint8], person: Person, parts: _Parts, mask_probability: float | None
    ) -> dict[str, list[EquipmentDetection]]:
        found: dict[str, list[EquipmentDetection]] = {}
        skin = cover.skin_model(rgb, parts.face)
        if "FACE_COVER" in self.enabled and parts.face is not None and mask_probability is not None:
            if mask_probability >= MIN_RETURNED:
                left, top, right, bottom = parts.face
                lower = (left, top + 0.45 * (bottom - top), right, bottom)
                found["FACE"] = [
                    EquipmentDetection("FACE_COVER", lower, mask_probability, True, mask_probability)
                ]
            skin = cover.skin_model(rgb, None) if mask_probability >= MIN_RETURNED else skin
        if "HEAD_COVER" in self.enabled and parts.crown is not None:
            score = cover.head_cover_score(self._person_pixels(rgb, person.pose, parts.crown), skin)
            if score is not None and score >= HEAD_COVER_THRESHOLD:
                found["HEAD"] = [EquipmentDetection("HEAD_COVER", parts.crown, score, True, score)]
        if "HAND_COVER" in self.enabled:
            for name, (box, _) in parts.hands.items():
                score = cover.hand_cover_score(self._person_pixels(rgb, person.pose, box), skin)
                if score is not None and score >= HAND_COVER_THRESHOLD:
                    found[name] = [EquipmentDetection("HAND_COVER", box, score, True, score)]
        return found

    def _trained_equipment(
        self, items: Sequence[tuple[str, Box, float]], boxes: Mapping[str, Box]
    ) -> dict[str, list[EquipmentDetection]]:
        found: dict[str, list[EquipmentDetection]] = {}
        for kind, box, confidence in items:
            if kind not in self.enabled or confidence < MIN_RETURNED:
                continue
            candidates = [(part, boxes[part]) for part in BODY_PART_OF_COVER[kind] if part in boxes]
            overlaps = [(_intersection(box, part_box), part, part_box) for part, part_box in candidates]
            overlaps = [entry for entry in overlaps if entry[0] > 0]
            if not overlaps:
                continue
            overlap, part, _ = max(overlaps)
            covered = overlap / max(_area(box), 1e-9)  # how much of the item lies on the part
            found.setdefault(part, []).append(
                EquipmentDetection(
                    kind, box, confidence, covered >= 0.5, float(min(1.0, max(covered, 1 - covered)))
                )
            )
        return found

    def analyze(self, rgb: NDArray[np.uint8]) -> list[PersonEquipment]:
        """Every person (largest first, at most 15) with body parts and equipment."""
        persons = [person for person in self.finder.find(rgb) if person.confidence >= MIN_RETURNED]
        all_parts = [self._parts(rgb, person) for person in persons]
        probabilities: list[float | None] = [None] * len(persons)
        builtin_face = "FACE_COVER" in self.enabled and not (
            self.trained and "FACE_COVER" in self.trained.types
        )
        if builtin_face and self.masks is not None:
            faces = [(index, parts.face) for index, parts in enumerate(all_parts) if parts.face is not None]
            if faces:
                values = self.masks.mask_probabilities(rgb, [box for _, box in faces if box is not None])
                for (index, _), value in zip(faces, values, strict=True):
                    probabilities[index] = value
        trained_items = self.trained.detect(rgb) if self.trained is not None else []
        results = []
        for person, parts, probability in zip(persons, all_parts, probabilities, strict=True):
            boxes: dict[str, Box] = {}
            confidences: dict[str, float] = {}
            if parts.face is not None and parts.face_confidence >= MIN_RETURNED:
                boxes["FACE"], confidences["FACE"] = parts.face, parts.face_confidence
            if parts.head is not None and parts.head_confidence >= MIN_RETURNED:
                boxes["HEAD"], confidences["HEAD"] = parts.head, parts.head_confidence
            for name, (box, visibility) in parts.hands.items():
                if visibility >= MIN_RETURNED:
                    boxes[name], confidences[name] = box, visibility
            equipment = self._builtin_equipment(rgb, person, parts, probability)
            if self.trained is not None:
                for part in list(equipment):
                    equipment[part] = [e for e in equipment[part] if e.type not in self.trained.types]
                for part, items in self._trained_equipment(trained_items, boxes).items():
                    equipment.setdefault(part, []).extend(items)
            body_parts = tuple(
                BodyPart(
                    name=name,
                    box=boxes[name],
                    confidence=confidences[name],
                    equipment=tuple(equipment.get(name, ())),
                )
                for name in ("FACE", "HEAD", "LEFT_HAND", "RIGHT_HAND")
                if name in boxes
            )
            box = person.box
            for name in ("FACE", "HEAD"):
                if name in boxes:
                    box = _union(box, boxes[name])
            box = _clip_box(box, rgb.shape[1], rgb.shape[0])
            results.append(PersonEquipment(person=person, body_parts=body_parts, box=box))
        return results

    # -- Rekognition shapes -----------------------------------------------------------------------

    def detect_protective_equipment(
        self, rgb: NDArray[np.uint8], summarization: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The ``DetectProtectiveEquipment`` response body for an RGB ``uint8`` image."""
        height, width = rgb.shape[:2]
        persons = self.analyze(rgb)
        response: dict[str, Any] = {
            "ProtectiveEquipmentModelVersion": self.model_version,
            "Persons": [
                person_response(index, person, width, height) for index, person in enumerate(persons)
            ],
        }
        if summarization is not None:
            response["Summary"] = summarize(
                persons,
                float(summarization.get("MinConfidence", MIN_RETURNED * 100.0)),
                list(summarization.get("RequiredEquipmentTypes") or []),
            )
        return response


def _percent(value: float) -> float:
    return float(min(100.0, max(0.0, value * 100.0)))


def person_response(index: int, person: PersonEquipment, width: int, height: int) -> dict[str, Any]:
    return {
        "BodyParts": [
            {
                "Name": part.name,
                "Confidence": _percent(part.confidence),
                "EquipmentDetections": [
                    {
                        "BoundingBox": bounding_box(item.box, width, height),
                        "Confidence": _percent(item.confidence),
                        "Type": item.type,
                        "CoversBodyPart": {
                            "Confidence": _percent(item.covers_confidence),
                            "Value": item.covers,
                        },
                    }
                    for item in part.equipment
                ],
            }
            for part in person.body_parts
        ],
        "BoundingBox": bounding_box(person.box, width, height),
        "Confidence": _percent(person.confidence),
        "Id": index,
    }


def summarize(
    persons: Sequence[PersonEquipment], min_confidence: float, required: Sequence[str]
) -> dict[str, Any]:
    """Rekognition's ``ProtectiveEquipmentSummary`` for ``required`` types at ``min_confidence`` (0-100).

    ``MinConfidence`` below 50 counts as 50 (Rekognition's rule). For each required type, each of its
    body parts (both hands for ``HAND_COVER``) is *covered* when it has an item of that type detected and
    covering it, both with at least ``min_confidence``; *bare* when the part is detected with at least
    ``min_confidence`` and not covered; otherwise (the part is not detected, or not confidently)
    *unknown*. A person is without the required equipment when any required part is bare, indeterminate
    when none is bare but one is unknown (or the person's own confidence is below ``min_confidence``),
    and with it when every required part is covered.
    """
    threshold = max(min_confidence, MIN_RETURNED * 100.0) / 100.0
    with_ids: list[int] = []
    without_ids: list[int] = []
    indeterminate: list[int] = []
    wanted = [kind for kind in EQUIPMENT_TYPES if kind in set(required)]
    for index, person in enumerate(persons):
        states: list[str] = []
        for kind in wanted:
            for name in BODY_PART_OF_COVER[kind]:
                part = person.part(name)
                if part is None or part.confidence < threshold:
                    states.append("unknown")
                elif any(
                    item.type == kind
                    and item.covers
                    and item.confidence >= threshold
                    and item.covers_confidence >= threshold
                    for item in part.equipment
                ):
                    states.append("covered")
                else:
                    states.append("bare")
        if "bare" in states:
            without_ids.append(index)
        elif "unknown" in states or person.confidence < threshold:
            indeterminate.append(index)
        else:
            with_ids.append(index)
    return {
        "PersonsWithRequiredEquipment": with_ids,
        "PersonsWithoutRequiredEquipment": without_ids,
        "PersonsIndeterminate": indeterminate,
    }
