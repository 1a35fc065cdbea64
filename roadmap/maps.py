"""Lays a roadmap out as an SVG map: sections as bands, topics as boxes, prerequisites as arrows.

The layout is computed on the server so the map needs no JavaScript and no canvas. Arrows are routed
orthogonally through the free space between boxes: out of a box's bottom, along the gap under its row,
down a gap between columns (or a margin), along the gap above the target's row and into the target's top,
so no arrow runs under a box and every head points down (or right, between neighbours in a row). Parallel
runs in one gap get lanes of their own, so arrows do not lie on top of each other.

A prerequisite placed later in the roadmap than the topic that needs it would need an arrow pointing back
up the map; it is not drawn: the topic carries a mark and names it instead (`MapNode.later`).
"""

import textwrap
from dataclasses import dataclass, field

from .models import Topic
from .structure import OutlineSection

SECTION_TITLE_HEIGHT = 58
SECTION_BOTTOM = 18  # free space in a section's band below its last row
SECTION_GAP = 26
SECTION_INSET = 8  # a section's band starts this far from the map's edge
LANE_SPACING = 5
LANE_CLEARANCE = 6  # a lane keeps this far from a box
PORT_SHIFT = 8  # tails sit this far right of where heads would (see `_route`)
MARK_SIZE = 28
TITLE_BAND = (8, 38)  # a section title's text, from the top of its band: no lane runs through it


@dataclass(frozen=True)
class Layout:
    columns: int
    node_width: int
    node_height: int
    gap_x: int
    gap_y: int
    margin: int
    chars_per_line: int
    # Arrows spanning more rows than this are drawn only while one of their ends is pointed at or focused.
    far_rows: int = 10_000

    @property
    def width(self) -> int:
        return self.margin * 2 + self.columns * self.node_width + (self.columns - 1) * self.gap_x


WIDE = Layout(columns=3, node_width=220, node_height=58, gap_x=48, gap_y=40, margin=40, chars_per_line=20)
# One column for phones: 362 units wide, the map fits a 390 px screen at nearly full size and scrolls only down.
NARROW = Layout(columns=1, node_width=250, node_height=58, gap_x=0, gap_y=40, margin=56, chars_per_line=24,
                far_rows=4)


@dataclass
class MapNode:
    topic: Topic
    x: int
    y: int
    lines: list[str]
    section: int
    row: int  # counted over the whole map
    column: int
    width: int
    height: int
    later: list[Topic] = field(default_factory=list)  # prerequisites placed later in the roadmap

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        # Vertically centre one to three lines of 15px-high text.
        return self.y + self.height / 2 - (len(self.lines) - 1) * 8 + 5

    # With a learner's mark button at the right end of the box, the title is centred in the rest.
    @property
    def text_x_marked(self) -> float:
        return self.x + (self.width - MARK_SIZE - 6) / 2

    @property
    def mark_x(self) -> float:
        return self.x + self.width - MARK_SIZE - 6

    @property
    def mark_y(self) -> float:
        return self.y + (self.height - MARK_SIZE) / 2

    @property
    def later_titles(self) -> str:
        return ", ".join(topic.title for topic in self.later)


@dataclass
class MapSection:
    number: int
    title: str
    duration: str
    y: int
    height: int


Point = tuple[float, float]


@dataclass
class MapEdge:
    requires_id: int
    topic_id: int
    points: list[Point]  # an orthogonal polyline; the head is at the last point
    # Spans more than one section boundary (or, on a phone, many rows): drawn only while one of its ends is
    # hovered or focused, so that dozens of long arrows do not run down the whole map.
    far: bool

    @property
    def path(self) -> str:
        start, *rest = self.points
        return f"M{start[0]:g},{start[1]:g}" + "".join(f" L{x:g},{y:g}" for x, y in rest)


@dataclass
class RoadmapMap:
    width: int
    height: int
    sections: list[MapSection]
    nodes: list[MapNode]
    edges: list[MapEdge]


def _title_lines(title: str, chars: int) -> list[str]:
    lines = textwrap.wrap(title, chars) or [title]
    if len(lines) > 3:
        lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), chars, placeholder="…")]
    return lines


class _Channel:
    """A gap between boxes holding parallel lanes; each lane takes runs that do not overlap."""

    def __init__(self, positions: list[float]):
        self.positions = positions
        self.runs: list[list[tuple[float, float]]] = [[] for _ in positions]

    def free_lane(self, low: float, high: float, near: float | None = None) -> int | None:
        order = range(len(self.positions))
        if near is not None:
            order = sorted(order, key=lambda i: abs(self.positions[i] - near))
        for i in order:
            if all(high + LANE_SPACING <= a or low - LANE_SPACING >= b for a, b in self.runs[i]):
                return i
        return None

    def take(self, *ends: float, near: float | None = None) -> float:
        """The lane for a run between `ends` (the free one nearest to `near`, if given, else nearest to the
        middle of the gap); when every lane is taken, the one it overlaps least."""
        low, high = min(ends), max(ends)
        i = self.free_lane(low, high, near)
        if i is None:
            i = min(range(len(self.positions)),
                    key=lambda i: sum(max(0, min(high, b) - max(low, a)) for a, b in self.runs[i]))
        self.runs[i].append((low, high))
        return self.positions[i]


def _lanes(low: float, high: float, clearance: float = LANE_CLEARANCE) -> list[float]:
    """Lane positions between `low` and `high`, keeping `clearance` from both, the middle ones first."""
    low, high = low + clearance, high - clearance
    if high < low:
        return []
    count = int((high - low) // LANE_SPACING) + 1
    start = (low + high) / 2 - (count - 1) * LANE_SPACING / 2
    return sorted((start + i * LANE_SPACING for i in range(count)), key=lambda p: abs(p - (low + high) / 2))


def roadmap_map(outline: list[OutlineSection], edges: list[tuple[int, int]], layout: Layout = WIDE) -> RoadmapMap:
    nodes: dict[int, MapNode] = {}
    sections = []
    row_tops: list[int] = []  # the top of each row of boxes
    title_bands: dict[int, tuple[int, int]] = {}  # row -> the title text above it, for a section's first row
    y = SECTION_GAP
    for number, part in enumerate(outline, start=1):
        rows = max(1, -(-len(part.topics) // layout.columns))
        height = SECTION_TITLE_HEIGHT + rows * layout.node_height + (rows - 1) * layout.gap_y + SECTION_BOTTOM
        sections.append(
            MapSection(number=number, title=part.section.title, duration=part.section.duration, y=y, height=height)
        )
        title_bands[len(row_tops)] = (y + TITLE_BAND[0], y + TITLE_BAND[1])
        for row in range(rows):
            row_tops.append(y + SECTION_TITLE_HEIGHT + row * (layout.node_height + layout.gap_y))
        first_row = len(row_tops) - rows
        for index, topic in enumerate(part.topics):
            row, column = divmod(index, layout.columns)
            nodes[topic.pk] = MapNode(
                topic=topic,
                x=layout.margin + column * (layout.node_width + layout.gap_x),
                y=row_tops[first_row + row],
                lines=_title_lines(topic.title, layout.chars_per_line),
                section=number,
                row=first_row + row,
                column=column,
                width=layout.node_width,
                height=layout.node_height,
            )
        y += height + SECTION_GAP
    drawn = []
    for requires_id, topic_id in edges:
        start, end = nodes.get(requires_id), nodes.get(topic_id)
        if not (start and end):
            continue
        if (end.row, end.column) < (start.row, start.column):
            end.later.append(start.topic)
        else:
            drawn.append((start, end))
    return RoadmapMap(
        width=layout.width, height=y, sections=sections, nodes=list(nodes.values()),
        edges=_route(drawn, layout=layout, row_tops=row_tops, title_bands=title_bands),
    )


def _route(pairs, *, layout: Layout, row_tops: list[int], title_bands: dict) -> list[MapEdge]:
    """Orthogonal arrows for (prerequisite, topic) pairs whose topic comes later on the map."""
    box_h = layout.node_height
    # The gap above each row (between it and the row before, or the top of the map), minus a section title.
    above = []
    for row, top in enumerate(row_tops):
        ceiling = row_tops[row - 1] + box_h if row else 0
        band = title_bands.get(row)
        above.append(_Channel(_lanes(ceiling, band[0]) + _lanes(band[1], top) if band else _lanes(ceiling, top)))
    # The gaps beside the columns: k = 0 is the left margin, k = columns the right one.
    column_x = [layout.margin + k * (layout.node_width + layout.gap_x) for k in range(layout.columns)]
    gaps = ([(SECTION_INSET, layout.margin)] + [(x - layout.gap_x, x) for x in column_x[1:]]
            + [(layout.width - layout.margin, layout.width - SECTION_INSET)])
    beside = [_Channel(_lanes(low, high, clearance=4)) for low, high in gaps]

    def far(pair):
        start, end = pair
        return end.section - start.section > 1 or end.row - start.row > layout.far_rows

    # Shortest first, so they get the lanes in the middle of each gap; far arrows last.
    pairs = sorted(pairs, key=lambda p: (far(p), p[1].row - p[0].row, abs(p[1].column - p[0].column)))
    # Where each arrow leaves and enters, spread along the side in the order of the arrows' other ends,
    # so that no two arrows share a start or a head.
    shapes, sides = [], {}
    for index, (start, end) in enumerate(pairs):
        if end.row == start.row:
            shape = "beside" if end.column == start.column + 1 else "over"
        else:
            shape = "down"
        shapes.append(shape)
        if shape != "beside":
            out_side = "top" if shape == "over" else "bottom"
            sides.setdefault((start.topic.pk, out_side), []).append((end.center_x, index, "start", start))
            sides.setdefault((end.topic.pk, "top"), []).append((start.center_x, index, "end", end))
    ports = {}
    for (_, side), ends in sides.items():
        ends.sort(key=lambda end: end[:2])
        node = ends[0][3]
        # Tails sit a little right of where heads would: a tail under a box and a head on the box below
        # it never line up into what would look like one arrow.
        shift = PORT_SHIFT if side == "bottom" else 0
        for i, (_, index, role, _) in enumerate(ends):
            ports[index, role] = round(node.x + node.width * (i + 1) / (len(ends) + 1) + shift, 1)

    edges = []
    for index, ((start, end), shape) in enumerate(zip(pairs, shapes, strict=True)):
        if shape == "beside":
            mid_y = start.y + box_h / 2
            points = [(start.x + start.width, mid_y), (end.x, mid_y)]
        else:
            x1, x2 = ports[index, "start"], ports[index, "end"]
            if shape == "over":  # along the gap above the row: up out of one box, down into the other
                lane = above[start.row].take(x1, x2, near=start.y)
                points = [(x1, start.y), (x1, lane), (x2, lane), (x2, end.y)]
            elif end.row == start.row + 1 and x1 == x2:
                points = [(x1, start.y + box_h), (x2, end.y)]
            elif end.row == start.row + 1:  # neighbouring rows: one run along the gap between them
                lane = above[end.row].take(x1, x2)
                points = [(x1, start.y + box_h), (x1, lane), (x2, lane), (x2, end.y)]
            else:  # along the gap under the start, down a gap beside the columns, along the gap above the end
                # The gap nearest to both ends with a free lane all the way down (any gap, when none is).
                middles = [(low + high) / 2 for low, high in gaps]
                by_distance = sorted(range(len(gaps)), key=lambda k: abs(middles[k] - x1) + abs(middles[k] - x2))
                span = (start.y + box_h, end.y)
                k = next((k for k in by_distance if beside[k].free_lane(*span) is not None), by_distance[0])
                out_lane = above[start.row + 1].take(x1, *gaps[k])
                in_lane = above[end.row].take(x2, *gaps[k])
                down = beside[k].take(*span)
                points = [(x1, start.y + box_h), (x1, out_lane), (down, out_lane), (down, in_lane),
                          (x2, in_lane), (x2, end.y)]
        edges.append(MapEdge(requires_id=start.topic.pk, topic_id=end.topic.pk, points=points, far=far((start, end))))
    return edges
