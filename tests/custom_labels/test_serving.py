"""Serving helpers: the response geometry."""

from __future__ import annotations

from argus.workers.image.custom_labels import geometry


def test_geometry_gives_the_box_and_its_corners_as_ratios() -> None:
    assert geometry((10.0, 20.0, 60.0, 100.0), 200, 100) == {
        "BoundingBox": {"Width": 0.25, "Height": 0.8, "Left": 0.05, "Top": 0.2},
        "Polygon": [
            {"X": 0.05, "Y": 0.2},
            {"X": 0.3, "Y": 0.2},
            {"X": 0.3, "Y": 1.0},
            {"X": 0.05, "Y": 1.0},
        ],
    }


def test_geometry_clips_to_the_image() -> None:
    box = geometry((-5.0, -5.0, 50.0, 50.0), 100, 100)["BoundingBox"]
    assert box == {"Width": 0.5, "Height": 0.5, "Left": 0.0, "Top": 0.0}
