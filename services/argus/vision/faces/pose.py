"""Head pose (Roll, Yaw, Pitch in degrees) from 14 facial landmarks with ``cv2.solvePnP``.

3-D template
    Fourteen points of the anthropometric 3-D face model of the Institute of Systems and Robotics,
    University of Coimbra (P. Martins, J. Batista, ``glAnthropometric3DModel.cpp``), in centimetres, as
    used by the open-source ``head-pose-estimation`` projects with dlib's 68 points. They are written
    here in camera axes for a face looking straight into the camera: x to the image's right, y down,
    z away from the camera. :data:`TEMPLATE_3D` lists them in :data:`TEMPLATE_POINTS` order: brow ends,
    outer and inner eye corners, nostril wings, mouth corners, lower lip and chin. The template is
    centred on its mean.

Landmarks
    :func:`estimate_pose` takes the ``(14, 2)`` pixel positions of those points in that order. The same
    anatomical points are :data:`TEMPLATE_INDICES_MESH` in MediaPipe's 468-point face mesh (the default
    landmarker, :mod:`.mesh`) and :data:`TEMPLATE_INDICES_68` in the iBUG 68-point layout (dlib's
    predictor, opt-in, :mod:`.landmarks`). The mesh points are the ends of the upper brow contour (iBUG's
    brow points also run along the upper edge), the eye corners, the outer points of the alar wings, the
    outer lip corners, the bottom of the outer lower lip and the chin; docs/models.md gives how far they
    lie from dlib's iBUG points on the test photos.

Camera
    Pinhole with focal length = image width in pixels, principal point at the image centre, no lens
    distortion. ``solvePnP`` (iterative Levenberg-Marquardt) starts from a frontal face placed on the ray
    through the landmarks' centre at the distance that gives the observed outer-eye-corner spacing, so it
    cannot converge to the mirror solution behind the camera.

Angles
    The rotation is taken relative to the line of sight from the camera to the face, so a face looking
    straight at the camera has Yaw = Pitch = 0 wherever it is in the picture. With ``R`` that rotation
    (template -> line-of-sight frame), ``R = Rz(roll) @ Ry(-yaw) @ Rx(-pitch)``:

    * ``Roll`` > 0: the face is rotated clockwise in the image (the image-right eye is lower).
    * ``Yaw`` > 0: the face turns towards the image's right (the subject turns to their own left; the nose
      moves right of the face centre).
    * ``Pitch`` > 0: the face tilts up (chin up; the nose moves up towards the eyes).

    Mirroring the image horizontally negates Roll and Yaw and keeps Pitch. Each angle is in
    ``[-180, 180]``. A generic template fitted to detected landmarks is accurate to several degrees, and
    the fit is poorer beyond about 45 degrees of yaw, where the landmarks of the far side are guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

TEMPLATE_POINTS = (
    "image-left brow, outer end",
    "image-left brow, inner end",
    "image-right brow, inner end",
    "image-right brow, outer end",
    "image-left eye, outer corner",
    "image-left eye, inner corner",
    "image-right eye, inner corner",
    "image-right eye, outer corner",
    "image-left nostril wing",
    "image-right nostril wing",
    "image-left mouth corner",
    "image-right mouth corner",
    "lower lip, bottom centre",
    "chin",
)
# The template points in MediaPipe's 468-point face mesh and in the iBUG 68-point layout (0-based).
TEMPLATE_INDICES_MESH = (70, 107, 336, 300, 33, 133, 362, 263, 98, 327, 61, 291, 17, 152)
TEMPLATE_INDICES_68 = (17, 21, 22, 26, 36, 39, 42, 45, 31, 35, 48, 54, 57, 8)
_ANTHROPOMETRIC = np.array(
    [
        (-6.825897, -6.760612, -4.402142),  # image-left brow, outer end (mesh 70, iBUG 17)
        (-1.330353, -7.122144, -6.903745),  # image-left brow, inner end (mesh 107, iBUG 21)
        (1.330353, -7.122144, -6.903745),  # image-right brow, inner end (mesh 336, iBUG 22)
        (6.825897, -6.760612, -4.402142),  # image-right brow, outer end (mesh 300, iBUG 26)
        (-5.311432, -5.485328, -3.987654),  # image-left eye, outer corner (mesh 33, iBUG 36)
        (-1.789930, -5.393625, -4.413414),  # image-left eye, inner corner (mesh 133, iBUG 39)
        (1.789930, -5.393625, -4.413414),  # image-right eye, inner corner (mesh 362, iBUG 42)
        (5.311432, -5.485328, -3.987654),  # image-right eye, outer corner (mesh 263, iBUG 45)
        (-2.005628, -1.409845, -6.165652),  # image-left nostril wing (mesh 98, iBUG 31)
        (2.005628, -1.409845, -6.165652),  # image-right nostril wing (mesh 327, iBUG 35)
        (-2.774015, 2.080775, -5.048531),  # image-left mouth corner (mesh 61, iBUG 48)
        (2.774015, 2.080775, -5.048531),  # image-right mouth corner (mesh 291, iBUG 54)
        (0.0, 3.116408, -6.097667),  # lower lip, bottom centre (mesh 17, iBUG 57)
        (0.0, 7.415691, -4.070434),  # chin (mesh 152, iBUG 8)
    ],
    dtype=np.float64,
)
TEMPLATE_3D = _ANTHROPOMETRIC - _ANTHROPOMETRIC.mean(axis=0)
_OUTER_EYE_SPAN = float(np.linalg.norm(TEMPLATE_3D[7] - TEMPLATE_3D[4]))


@dataclass(frozen=True)
class Pose:
    roll: float
    yaw: float
    pitch: float

    def as_rekognition(self) -> dict[str, float]:
        return {"Roll": self.roll, "Yaw": self.yaw, "Pitch": self.pitch}


def _wrap(degrees: float) -> float:
    wrapped = (degrees + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 and degrees > 0 else float(wrapped)


def euler_from_rotation(rotation: NDArray[np.float64]) -> Pose:
    """Split ``R = Rz(roll) @ Ry(-yaw) @ Rx(-pitch)`` (see module docstring) into degrees."""
    sin_beta = float(np.clip(-rotation[2, 0], -1.0, 1.0))
    beta = math.asin(sin_beta)
    if abs(sin_beta) < 0.999999:
        alpha = math.atan2(rotation[2, 1], rotation[2, 2])
        gamma = math.atan2(rotation[1, 0], rotation[0, 0])
    else:  # gimbal lock: put everything into roll
        alpha = 0.0
        gamma = math.atan2(-rotation[0, 1], rotation[1, 1])
    return Pose(
        roll=_wrap(math.degrees(gamma)),
        yaw=_wrap(-math.degrees(beta)),
        pitch=_wrap(-math.degrees(alpha)),
    )


def line_of_sight(direction: NDArray[np.float64]) -> NDArray[np.float64]:
    """The smallest rotation taking the optical axis ``(0, 0, 1)`` onto ``direction``."""
    unit = direction / np.linalg.norm(direction)
    axis = np.cross([0.0, 0.0, 1.0], unit)
    sin_angle = float(np.linalg.norm(axis))
    if sin_angle < 1e-12:
        return np.eye(3)
    angle = math.atan2(sin_angle, float(unit[2]))
    rotation, _ = cv2.Rodrigues(axis / sin_angle * angle)
    return np.asarray(rotation, dtype=np.float64)


def camera_matrix(width: int, height: int) -> NDArray[np.float64]:
    focal = float(width)
    return np.array([[focal, 0.0, width / 2.0], [0.0, focal, height / 2.0], [0.0, 0.0, 1.0]])


def estimate_pose(points: NDArray[np.float64], width: int, height: int) -> Pose:
    """Head pose from the ``(14, 2)`` pixel :data:`TEMPLATE_POINTS` in a ``width`` x ``height`` image."""
    if points.shape != (len(TEMPLATE_POINTS), 2):
        raise ValueError(f"expected ({len(TEMPLATE_POINTS)}, 2) template points, got {points.shape}")
    image_points = np.ascontiguousarray(points, dtype=np.float64)
    matrix = camera_matrix(width, height)
    focal, cx, cy = matrix[0, 0], matrix[0, 2], matrix[1, 2]

    eye_span = float(np.linalg.norm(image_points[7] - image_points[4]))
    if eye_span < 1.0:  # degenerate landmarks: no pose to speak of
        return Pose(roll=0.0, yaw=0.0, pitch=0.0)
    depth = focal * _OUTER_EYE_SPAN / eye_span
    centre = image_points.mean(axis=0)
    tvec = np.array([[(centre[0] - cx) * depth / focal], [(centre[1] - cy) * depth / focal], [depth]])
    try:
        ok, rvec, found_tvec = cv2.solvePnP(
            TEMPLATE_3D,
            image_points,
            matrix,
            np.zeros(4),
            rvec=np.zeros((3, 1), dtype=np.float64),
            tvec=tvec,
            useExtrinsicGuess=True,
            flags=cv2.SOLVEPNP_ITERATIVE,
        )
    except cv2.error:  # degenerate input, e.g. all landmarks on one pixel
        return Pose(roll=0.0, yaw=0.0, pitch=0.0)
    translation = np.asarray(found_tvec, dtype=np.float64).ravel()
    if not ok or translation[2] <= 0.0:
        return Pose(roll=0.0, yaw=0.0, pitch=0.0)
    rotation, _ = cv2.Rodrigues(rvec)
    relative = line_of_sight(translation).T @ np.asarray(rotation, dtype=np.float64)
    return euler_from_rotation(np.asarray(relative, dtype=np.float64))
