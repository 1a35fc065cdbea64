"""Lays a roadmap out as an SVG map: sections as bands, topics as nodes, prerequisites as arrows.

The layout is computed on the server so the map needs no JavaScript and no canvas.
"""

import textwrap
from dataclasses import dataclass

from .models import Topic
from .structure import OutlineSection

COLUMNS = 3
NODE_WIDTH, NODE_HEIGHT = 220, 58
GAP_X, GAP_Y = 28, 30
MARGIN = 24
SECTION_TITLE_HEIGHT = 46
SECTION_GAP = 26
CHARS_PER_LINE = 22
WIDTH = MARGIN * 2 + COLUMNS * NODE_WIDTH + (COLUMNS - 1) * GAP_X


@dataclass
class MapNode:
    topic: Topic
    x: int
    y: int
    lines: list[str]
    section: int
    width: int = NODE_WIDTH
    height: int = NODE_HEIGHT

    @property
    def text_y(self) -> float:
        # Vertically centre one to three lines of 15px-high text.
        return self.y + self.height / 2 - (len(self.lines) - 1) * 8 + 5


@dataclass
class MapSection:
    number: int
    title: str
    duration: str
    y: int
    height: int


@dataclass
class MapEdge:
    requires_id: int
    topic_id: int
    path: str
    # Spans more than one section boundary: drawn only while one of its ends is hovered or focused,
    # so that dozens of long arrows do not cross the whole map.
    far: bool


@dataclass
class RoadmapMap:
    width: int
    height: int
    sections: list[MapSection]
    nodes: list[MapNode]
    edges: list[MapEdge]


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, CHARS_PER_LINE) or [title]
    if len(lines) > 3:
        lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), CHARS_PER_LINE, placeholder="…")]
    return lines


def roadmap_map(outline: list[OutlineSection], edges: list[tuple[int, int]]) -> RoadmapMap:
    nodes: dict[int, MapNode] = {}
    sections = []
    y = MARGIN
    for number, part in enumerate(outline, start=1):
        rows = max(1, -(-len(part.topics) // COLUMNS))
        height = SECTION_TITLE_HEIGHT + rows * NODE_HEIGHT + (rows - 1) * GAP_Y + 18
        sections.append(
            MapSection(number=number, title=part.section.title, duration=part.section.duration, y=y, height=height)
        )
        for index, topic in enumerate(part.topics):
            row, column = divmod(index, COLUMNS)
            nodes[topic.pk] = MapNode(
                topic=topic,
                x=MARGIN + column * (NODE_WIDTH + GAP_X),
                y=y + SECTION_TITLE_HEIGHT + row * (NODE_HEIGHT + GAP_Y),
                lines=_title_lines(topic.title),
                section=number,
            )
        y += height + SECTION_GAP
    map_edges = []
    for requires_id, topic_id in edges:
        start, end = nodes.get(requires_id), nodes.get(topic_id)
        if start and end:
            far = abs(start.section - end.section) > 1
            map_edges.append(MapEdge(requires_id=requires_id, topic_id=topic_id, path=_curve(start, end), far=far))
    return RoadmapMap(width=WIDTH, height=y, sections=sections, nodes=list(nodes.values()), edges=map_edges)


def _curve(start: MapNode, end: MapNode) -> str:
    """A smooth arrow from the prerequisite's node to the dependent's."""
    if end.y > start.y:  # downwards: bottom edge to top edge
        x1, y1 = start.x + start.width / 2, start.y + start.height
        x2, y2 = end.x + end.width / 2, end.y
        bend = max(24, (y2 - y1) / 2)
        return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} {x2:.0f},{y2:.0f}"
    if end.y == start.y:
        if abs(end.x - start.x) == NODE_WIDTH + GAP_X:  # neighbours in a row: side to side
            forward = end.x > start.x
            x1 = start.x + (start.width if forward else 0)
            x2 = end.x + (0 if forward else end.width)
            y1 = y2 = start.y + start.height / 2
            return f"M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}"
        # further along the row: an arc over the nodes in between, top edge to top edge
        x1, x2, y1 = start.x + start.width / 2, end.x + end.width / 2, start.y
        return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - 34:.0f} {x2:.0f},{y1 - 34:.0f} {x2:.0f},{y1:.0f}"
    # upwards (a prerequisite placed later in the roadmap): top edge to bottom edge
    x1, y1 = start.x + start.width / 2, start.y
    x2, y2 = end.x + end.width / 2, end.y + end.height
    bend = max(24, (y1 - y2) / 2)
    return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - bend:.0f} {x2:.0f},{y2 + bend:.0f} {x2:.0f},{y2:.0f}"
