"""All five source roadmaps are in Ascent, each complete in structure and crediting its author."""

from pathlib import Path

import pytest
from django.conf import settings

from roadmap.loading import read_content

EXPECTED_SECTIONS = {
    "al-mamari-machine-learning-roadmap": 14,  # 13 sections and the notable extras
    "self-study-ml-ai-roadmap": 11,  # the primer, 8 skill sections, more resources, words of wisdom
    "bourke-machine-learning-roadmap": 11,  # problems, the process and its 6 steps, tools, maths, resources
    "ml-notes-roadmap": 9,  # algorithms, pipeline, AI vs ML vs DL, model choice, study list, steps, ...
    "ml-mastery-roadmap": 9,  # 7 phases, the month-by-month path, study tips
}


@pytest.fixture(scope="module")
def roadmaps():
    return {r.slug: r for r in read_content(Path(settings.CONTENT_DIR)).roadmaps}


def test_the_five_roadmaps_and_their_sections(roadmaps):
    assert {slug: len(r.sections) for slug, r in roadmaps.items()} == EXPECTED_SECTIONS
    assert sorted(r.order for r in roadmaps.values()) == [1, 2, 3, 4, 5]
    for roadmap in roadmaps.values():
        assert roadmap.source_author, roadmap.slug
        assert all(section.topics for section in roadmap.sections), roadmap.slug


def test_the_mastery_phases_keep_their_durations(roadmaps):
    durations = [s.duration for s in roadmaps["ml-mastery-roadmap"].sections if s.duration]
    assert len(durations) >= 7 and "2-3 months" in durations


def test_shared_topics_are_one_topic_placed_in_several_roadmaps(roadmaps):
    placed_in = {}
    for roadmap in roadmaps.values():
        for section in roadmap.sections:
            for slug in section.topics:
                placed_in.setdefault(slug, set()).add(roadmap.slug)
    for shared in ["gradient-descent", "linear-regression", "convolutional-neural-networks"]:
        assert len(placed_in[shared]) >= 3, (shared, placed_in[shared])
