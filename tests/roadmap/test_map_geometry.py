"""The map's arrows (roadmap/maps.py): routed around boxes, one head each, pointing down the roadmap only,
never lying on top of one another; checked on small layouts and on every real roadmap, wide and narrow."""

import itertools

import pytest
from django.core.management import call_command

from roadmap.maps import NARROW, WIDE, roadmap_map
from roadmap.models import Roadmap, Section, Topic
from roadmap.structure import OutlineSection, prerequisite_edges, roadmap_outline


def outline_of(*sections: int) -> list[OutlineSection]:
    """Sections of the given sizes, topics numbered 1, 2, ... in order."""
    numbers = itertools.count(1)
    return [OutlineSection(section=Section(title=f"Section {s}", duration=""),
                           topics=[Topic(pk=(n := next(numbers)), title=f"Topic {n}") for _ in range(size)])
            for s, size in enumerate(sections, start=1)]


def segments(edge):
    return list(itertools.pairwise(edge.points))


def crosses_interior(segment, node) -> bool:
    (x1, y1), (x2, y2) = segment
    left, right, top, bottom = node.x, node.x + node.width, node.y, node.y + node.height
    if x1 == x2:
        return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top
    return top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left


def overlap(a, b) -> bool:
    """Two segments on one line sharing more than a point."""
    (ax1, ay1), (ax2, ay2) = a
    (bx1, by1), (bx2, by2) = b
    if ax1 == ax2 == bx1 == bx2:
        return min(max(ay1, ay2), max(by1, by2)) - max(min(ay1, ay2), min(by1, by2)) > 0
    if ay1 == ay2 == by1 == by2:
        return min(max(ax1, ax2), max(bx1, bx2)) - max(min(ax1, ax2), min(bx1, bx2)) > 0
    return False


def assert_well_drawn(drawn):
    nodes = {node.topic.pk: node for node in drawn.nodes}
    heads = set()
    for edge in drawn.edges:
        start, end = nodes[edge.requires_id], nodes[edge.topic_id]
        assert edge.path.count("M") == 1, "one line, so one head"
        for (x1, y1), (x2, y2) in segments(edge):
            assert x1 == x2 or y1 == y2, f"{edge.path}: not orthogonal"
        for segment, node in itertools.product(segments(edge), drawn.nodes):
            assert not crosses_interior(segment, node), f"{edge.path} runs under {node.topic.title}"
        (hx1, hy1), (hx2, hy2) = edge.points[-2:]
        into_top = hx1 == hx2 and hy2 > hy1 and hy2 == end.y and end.x < hx2 < end.x + end.width
        into_side = hy1 == hy2 and hx2 > hx1 and hx2 == end.x and end.row == start.row
        assert into_top or into_side, f"{edge.path}: the head must point down into the top (or right, beside)"
        assert (end.row, end.column) > (start.row, start.column), "never back up the map"
        assert edge.points[-1] not in heads, "two arrows share a head"
        heads.add(edge.points[-1])
        x, y = edge.points[0]
        assert start.x <= x <= start.x + start.width
        assert y in (start.y, start.y + start.height, start.y + start.height / 2), "a tail starts on its box"
    shown = [edge for edge in drawn.edges if not edge.far]
    for a, b in itertools.combinations(shown, 2):
        for sa, sb in itertools.product(segments(a), segments(b)):
            assert not overlap(sa, sb), f"{a.path} and {b.path} lie on top of each other"


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_arrows_between_neighbours_rows_and_sections(layout):
    # 1 -> 2 (beside), 1 -> 3 (over the middle box), 1 -> 4 (next row), 1 -> 7 (two rows down),
    # 2 -> 8 (next section), 3 -> 10 (three sections down: far), 5 -> 6
    edges = [(1, 2), (1, 3), (1, 4), (1, 7), (2, 8), (3, 10), (5, 6), (4, 9)]
    drawn = roadmap_map(outline_of(7, 1, 1, 3), edges, layout)
    assert len(drawn.edges) == len(edges)
    assert_well_drawn(drawn)
    assert [e.far for e in drawn.edges if (e.requires_id, e.topic_id) == (3, 10)] == [True]


def test_a_prerequisite_placed_later_is_named_on_its_topic_not_drawn():
    # 5 (section 2) is needed by 2 (section 1); 3 is needed by 1, later in the same section
    drawn = roadmap_map(outline_of(3, 2), [(5, 2), (3, 1), (1, 4)])
    nodes = {node.topic.pk: node for node in drawn.nodes}
    assert [(e.requires_id, e.topic_id) for e in drawn.edges] == [(1, 4)]
    assert [t.pk for t in nodes[2].later] == [5] and [t.pk for t in nodes[1].later] == [3]
    assert nodes[2].later_titles == "Topic 5"


def test_many_arrows_out_of_one_box_get_their_own_tails_and_lanes():
    edges = [(1, n) for n in range(2, 13)] + [(2, n) for n in range(5, 13)]
    drawn = roadmap_map(outline_of(12), edges)
    assert len(drawn.edges) == len(edges)
    assert_well_drawn(drawn)
    tails = [e.points[0] for e in drawn.edges if e.requires_id == 1]
    assert len(set(tails)) == len(tails)


@pytest.mark.django_db
def test_every_real_roadmap_is_well_drawn_wide_and_narrow():
    call_command("load_content", verbosity=0)
    for roadmap, layout in itertools.product(Roadmap.objects.all(), [WIDE, NARROW]):
        outline = roadmap_outline(roadmap)
        ids = [topic.pk for part in outline for topic in part.topics]
        edges = prerequisite_edges(ids)
        drawn = roadmap_map(outline, edges, layout)
        assert_well_drawn(drawn)
        later = sum(len(node.later) for node in drawn.nodes)
        assert len(drawn.edges) + later == len(edges), roadmap.slug  # every prerequisite is shown one way
