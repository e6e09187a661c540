"""Geometry of text boxes: homographies, oriented boxes, overlap of a box with a region."""

from __future__ import annotations

import math

import pytest

from argus.vision.text.geometry import (
    Point,
    area,
    homography,
    oriented_box,
    overlap_fraction,
    rectangle,
    sub_quad,
)


def flat(points: tuple[Point, ...] | list[Point]) -> list[float]:
    return [value for point in points for value in point]


def test_homography_carries_the_unit_square_onto_the_quad() -> None:
    quad = ((10.0, 20.0), (110.0, 30.0), (105.0, 80.0), (5.0, 70.0))
    matrix = homography(quad)
    assert flat(sub_quad(matrix, 0.0, 1.0, 0.0, 1.0)) == pytest.approx(flat(quad))


def test_sub_quad_of_a_rectangle_is_the_matching_part() -> None:
    matrix = homography(rectangle(100, 50, 300, 90))
    assert flat(sub_quad(matrix, 0.25, 0.5, 0.0, 0.5)) == pytest.approx(flat(rectangle(150, 50, 200, 70)))


def test_oriented_box_at_an_angle_holds_a_turned_rectangle_exactly() -> None:
    angle = math.radians(20)
    cos, sin = math.cos(angle), math.sin(angle)
    corners = [(0.0, 0.0), (100.0, 0.0), (100.0, 30.0), (0.0, 30.0)]
    turned = [(x * cos - y * sin + 50, x * sin + y * cos + 40) for x, y in corners]
    assert flat(oriented_box(turned, angle)) == pytest.approx(flat(turned))
    assert flat(oriented_box(corners, 0.0)) == pytest.approx(flat(corners))


def test_overlap_fraction_is_the_share_of_the_box_inside_the_region() -> None:
    box = rectangle(0, 0, 10, 10)
    assert overlap_fraction(box, rectangle(4, -5, 20, 20)) == pytest.approx(0.6)
    assert overlap_fraction(box, rectangle(20, 20, 30, 30)) == 0.0
    assert overlap_fraction(box, rectangle(-1, -1, 11, 11)) == pytest.approx(1.0)


def test_overlap_with_a_concave_region_counts_only_the_covered_area() -> None:
    # An L-shaped region covering the left half and the bottom half of the box: 3/4 of it.
    ell = [(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (10.0, 5.0), (10.0, 10.0), (0.0, 10.0)]
    assert area(ell) == pytest.approx(75.0)
    assert overlap_fraction(rectangle(0, 0, 10, 10), ell) == pytest.approx(0.75)
