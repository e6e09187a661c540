"""Every person in an image: BlazePose landmarks per person, seeded by faces and the pose detector.

MediaPipe's pose detector is built to find the one dominant person (its graph tracks only the first
detection): on ``zidane.jpg`` it finds one of the two men even at a 0.1 score threshold, on ``bus.jpg``
one of the three walking. Faces are found far more reliably (BlazeFace full range finds both men and
both frontal faces of the bus), so persons are found in two ways:

1. Face seeds. For each BlazeFace face, the pose detector runs on a window around it
   (:data:`WINDOW_FACES` face widths square, the face near its top, so the person it belongs to
   dominates the window). The first detection whose landmarks put the nose inside the face (grown by
   :data:`FACE_MATCH_GROWTH`) is that face's person.
2. The pose detector on the whole image, for persons whose face is not visible (seen from behind,
   face too small): each detection of at least ``min_score`` whose landmark model confirms a pose.

A pose whose head and shoulder points lie within :data:`DUPLICATE_DISTANCE` torso lengths of an
already accepted pose is the same person and is dropped. Persons are returned largest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.ppe.pose import (
    LANDMARK_INDEX,
    Box,
    PersonDetection,
    PersonPose,
    PoseDetector,
    crop_detections,
)

WINDOW_FACES = 7.0  # side of the window around a face, in face widths
WINDOW_ABOVE = 1.0  # face widths of the window above the face's top
FACE_MATCH_GROWTH = 0.25  # the face box grown by this fraction of its size on each side
DUPLICATE_DISTANCE = 0.25  # same person: mean head/shoulder point distance, in torso lengths
MAX_PERSONS = 15
UPPER_BODY = tuple(range(0, 13))  # nose, eyes, ears, mouth, shoulders
BOX_MARGIN = 0.35  # torso lengths the person box may reach past the visible landmarks
HIP_BELOW_FACE = 3.5  # face-box sizes from the face centre down to the mid-hip point
SCALE_ABOVE_HIP = 5.0  # face-box sizes from the mid-hip point up to the body's size point


@dataclass(frozen=True)
class Person:
    """One person: body landmarks, their BlazeFace face (None when none was found) and a box in pixels."""

    pose: PersonPose
    face: DetectedFace | None
    box: Box
    confidence: float  # 0..1

    @property
    def area(self) -> float:
        return (self.box[2] - self.box[0]) * (self.box[3] - self.box[1])


def torso_length(pose: PersonPose) -> float:
    """Distance from the mid-shoulder to the mid-hip point in pixels (at least 1)."""
    points = pose.points
    shoulders = (points[LANDMARK_INDEX["left_shoulder"]] + points[LANDMARK_INDEX["right_shoulder"]]) / 2
    hips = (points[LANDMARK_INDEX["left_hip"]] + points[LANDMARK_INDEX["right_hip"]]) / 2
    return max(1.0, float(np.hypot(*(shoulders - hips))))


def same_person(a: PersonPose, b: PersonPose) -> bool:
    scale = min(torso_length(a), torso_length(b))
    gaps = np.hypot(*(a.points[list(UPPER_BODY)] - b.points[list(UPPER_BODY)]).T)
    return bool(gaps.mean() < DUPLICATE_DISTANCE * scale)


def face_contains(face: DetectedFace, xy: tuple[float, float], growth: float = FACE_MATCH_GROWTH) -> bool:
    left, top, right, bottom = face.box
    dx, dy = growth * (right - left), growth * (bottom - top)
    return left - dx <= xy[0] <= right + dx and top - dy <= xy[1] <= bottom + dy


def landmark_box(pose: PersonPose, width: int, height: int, margin: float = 0.0) -> Box:
    """Box of the visible landmarks (all of them when none is visible), grown by ``margin`` torso
    lengths on each side (twice that above, for the top of the head), clipped to the image."""
    visible = pose.visibility >= 0.5
    points = pose.points[visible] if visible.any() else pose.points
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    grow = margin * torso_length(pose)
    return (
        float(np.clip(left - grow, 0, width)),
        float(np.clip(top - 2.0 * grow, 0, height)),
        float(np.clip(right + grow, 0, width)),
        float(np.clip(bottom + grow, 0, height)),
    )


def person_box(pose: PersonPose, width: int, height: int) -> Box:
    """The person mask's box, kept within :data:`BOX_MARGIN` torso lengths of the visible landmarks
    (where people touch, one person's mask spills onto the other); the landmarks' box without a mask."""
    limits = landmark_box(pose, width, height, BOX_MARGIN)
    mask = pose.mask_box(width, height)
    if mask is None:
        return landmark_box(pose, width, height)
    box = (
        max(mask[0], limits[0]),
        max(mask[1], limits[1]),
        min(mask[2], limits[2]),
        min(mask[3], limits[3]),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return landmark_box(pose, width, height)
    return box


def detection_from_face(face: DetectedFace) -> PersonDetection:
    """A pose detection made up from a face, for a person the pose detector misses.

    The mid-hip point is put :data:`HIP_BELOW_FACE` face heights below the face centre and the body's
    size point :data:`SCALE_ABOVE_HIP` face heights above the hips (adult proportions: the hips are
    about four head heights below the top of the head), along the face's up direction (perpendicular
    to its eye line). The score is the face's.
    """
    left, top, right, bottom = face.box
    size = max(right - left, bottom - top)
    centre = np.array([(left + right) / 2.0, (top + bottom) / 2.0])
    right_eye, left_eye = face.keypoints[0], face.keypoints[1]
    roll = math.atan2(left_eye[1] - right_eye[1], left_eye[0] - right_eye[0])
    down = np.array([-math.sin(roll), math.cos(roll)])  # the face's downward direction in the image
    hips = centre + HIP_BELOW_FACE * size * down
    scale_point = hips - SCALE_ABOVE_HIP * size * down
    keypoints = np.stack([hips, scale_point, centre + size * down, centre - size * down])
    return PersonDetection(face_box=face.box, score=face.score, keypoints=keypoints)


class PersonFinder:
    """Finds persons with the pose models, seeded by BlazeFace faces (thread-safe)."""

    def __init__(self, poses: PoseDetector, faces: BlazeFaceDetector, min_score: float = 0.5) -> None:
        self.poses = poses
        self.faces = faces
        self.min_score = min_score

    def _face_window(self, face: DetectedFace) -> Box:
        left, top, right, _ = face.box
        side = WINDOW_FACES * (right - left)
        centre = (left + right) / 2.0
        window_top = top - WINDOW_ABOVE * (right - left)
        return (centre - side / 2.0, window_top, centre + side / 2.0, window_top + side)

    def _pose_for_face(self, rgb: NDArray[np.uint8], face: DetectedFace) -> PersonPose | None:
        candidates = [
            detection
            for detection in crop_detections(self.poses, rgb, self._face_window(face))[:2]
            if detection.score >= self.min_score
        ]
        candidates.append(detection_from_face(face))
        for detection in candidates:
            pose = self.poses.landmarks(rgb, detection)
            if pose.score >= 0.5 and face_contains(face, pose.point("nose")):
                return pose
        return None

    def find(self, rgb: NDArray[np.uint8], faces: list[DetectedFace] | None = None) -> list[Person]:
        """Persons in an RGB ``uint8`` image, largest box first, at most :data:`MAX_PERSONS`."""
        height, width = rgb.shape[:2]
        if faces is None:
            faces = self.faces.detect(rgb)
        faces = sorted(faces, key=lambda face: face.width * face.height, reverse=True)
        found: list[tuple[PersonPose, DetectedFace | None]] = []

        def known(pose: PersonPose) -> bool:
            return any(same_person(pose, other) for other, _ in found)

        for face in faces:
            pose = self._pose_for_face(rgb, face)
            if pose is not None and not known(pose):
                found.append((pose, face))
        used = {id(face) for _, face in found}
        for detection in self.poses.detect(rgb):
            if detection.score < self.min_score:
                break
            pose = self.poses.landmarks(rgb, detection)
            if pose.score < 0.5 or known(pose):
                continue
            nose = pose.point("nose")
            owner = next((f for f in faces if id(f) not in used and face_contains(f, nose)), None)
            if owner is not None:
                used.add(id(owner))
            found.append((pose, owner))

        persons = []
        for pose, seed in found:
            box = person_box(pose, width, height)
            confidence = max(pose.detection.score, seed.score if seed is not None else 0.0)
            persons.append(Person(pose=pose, face=seed, box=box, confidence=float(confidence)))
        persons.sort(key=lambda person: person.area, reverse=True)
        return persons[:MAX_PERSONS]
