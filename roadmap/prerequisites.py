"""The prerequisite graph: topics point at the topics they require, and the graph never has a cycle."""

from collections.abc import Iterable, Mapping

from .models import Prerequisite


def find_cycle(requirements: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Returns one cycle as a path [a, b, ..., a] if `requirements` (topic -> required topics) has one."""
    visiting, done = set(), set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        visiting.add(node)
        path.append(node)
        for required in requirements.get(node, ()):
            if required in visiting:
                return path[path.index(required):] + [required]
            if required not in done:
                cycle = visit(required)
                if cycle:
                    return cycle
        visiting.discard(node)
        done.add(node)
        path.pop()
        return None

    for node in sorted(requirements):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def cycle_with_requirements(*, topic_id: int, requires_ids: Iterable[int]) -> list[int] | None:
    """The cycle that giving `topic` exactly these prerequisites would close, as topic ids, or None.

    One query over the edge table; the topic's current edges are replaced by the proposed ones.
    """
    requirements: dict[int, set[int]] = {}
    for dependent, required in Prerequisite.objects.exclude(topic_id=topic_id).values_list("topic_id", "requires_id"):
        requirements.setdefault(dependent, set()).add(required)
    requirements[topic_id] = set(requires_ids)
    return find_cycle(requirements)
