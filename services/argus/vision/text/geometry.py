"""Plane geometry for text boxes: quadrilaterals, homographies, oriented rectangles, overlap areas.

Points are ``(x, y)`` with y pointing down (image convention). A :data:`Quad` lists its corners
clockwise on screen from the top-left: top-left, top-right, bottom-right, bottom-left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]


def rectangle(left: float, top: float, right: float, bottom: float) -> Quad:
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def homography(quad: Quad) -> NDArray[np.float64]:
    """The 3x3 matrix taking the unit square's ``(s, r)`` corners to ``quad`` (top-left first)."""
    src = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    dst = np.array(quad, dtype=np.float64)
    rows = []
    rhs = []
    for (s, r), (x, y) in zip(src, dst, strict=True):
        rows.append([s, r, 1.0, 0.0, 0.0, 0.0, -s * x, -r * x])
        rows.append([0.0, 0.0, 0.0, s, r, 1.0, -s * y, -r * y])
        rhs.extend([x, y])
    solution = np.linalg.solve(np.array(rows), np.array(rhs))
    return np.append(solution, 1.0).reshape(3, 3)


def apply(matrix: NDArray[np.float64], s: float, r: float) -> Point:
    x, y, w = matrix @ np.array([s, r, 1.0])
    return float(x / w), float(y / w)


def sub_quad(matrix: NDArray[np.float64], s0: float, s1: float, r0: float, r1: float) -> Quad:
    """The part ``[s0, s1] x [r0, r1]`` of the unit square, carried into the image by ``matrix``."""
    return (apply(matrix, s0, r0), apply(matrix, s1, r0), apply(matrix, s1, r1), apply(matrix, s0, r1))


def edge_angle(quad: Quad) -> float:
    """Angle in radians of the top edge (positive: the edge goes down to the right on screen)."""
    (x0, y0), (x1, y1) = quad[0], quad[1]
    return math.atan2(y1 - y0, x1 - x0)


def oriented_box(points: Sequence[Point], angle: float) -> Quad:
    """The rectangle at ``angle`` (radians) that tightly holds ``points``, as a clockwise quad."""
    cos, sin = math.cos(angle), math.sin(angle)
    # Coordinates along the rectangle's own axes: u along the text, v across it (down).
    us = [x * cos + y * sin for x, y in points]
    vs = [-x * sin + y * cos for x, y in points]
    u0, u1, v0, v1 = min(us), max(us), min(vs), max(vs)

    def back(u: float, v: float) -> Point:
        return (u * cos - v * sin, u * sin + v * cos)

    return (back(u0, v0), back(u1, v0), back(u1, v1), back(u0, v1))


def bounds(points: Sequence[Point]) -> tuple[float, float, float, float]:
    """``(left, top, right, bottom)`` of the points."""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def area(polygon: Sequence[Point]) -> float:
    """Unsigned area (shoelace formula); 0 for fewer than three points."""
    return abs(_signed_area(polygon))


def _signed_area(polygon: Sequence[Point]) -> float:
    """Positive when the points turn clockwise on screen (counter-clockwise with y up)."""
    if len(polygon) < 3:
        return 0.0
    total = 0.0
    for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        total += x0 * y1 - x1 * y0
    return total / 2


def clip(subject: Sequence[Point], convex: Sequence[Point]) -> list[Point]:
    """Sutherland-Hodgman: the part of ``subject`` (any simple polygon) inside ``convex``.

    A concave subject may come back with zero-width bridges along the clip edges; they add no area,
    so :func:`area` of the result is the intersection area either way.
    """
    orientation = 1.0 if _signed_area(convex) >= 0 else -1.0
    output = list(subject)
    for (ax, ay), (bx, by) in zip(convex, [*convex[1:], convex[0]], strict=True):
        if not output:
            break

        def side(point: Point, ax: float = ax, ay: float = ay, bx: float = bx, by: float = by) -> float:
            return orientation * ((bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax))

        def crossing(p: Point, q: Point, sp: float, sq: float) -> Point:
            t = sp / (sp - sq)
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

        source, output = output, []
        for p, q in zip(source, [*source[1:], source[0]], strict=True):
            sp, sq = side(p), side(q)
            if sq >= 0:
                if sp < 0:
                    output.append(crossing(p, q, sp, sq))
                output.append(q)
            elif sp >= 0:
                output.append(crossing(p, q, sp, sq))
    return output


def overlap_fraction(convex: Sequence[Point], region: Sequence[Point]) -> float:
    """Share of the convex polygon's area that lies inside ``region`` (0 when it has no area)."""
    whole = area(convex)
    if whole <= 0:
        return 0.0
    return area(clip(region, convex)) / whole
