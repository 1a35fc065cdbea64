"""The placement test's reasoning: pure functions, no database (quizzes/placement_sessions.py stores it).

- Questions: a Rasch model, P(right) = 1 / (1 + exp(-(ability - difficulty))). A question's difficulty starts
  from its facility (`difficulty_from_facility`) and is then calibrated by placement answers (`calibrated`).
- Topics: for each topic of the roadmap, P(known) (`knowledge`). A learner has a level on the roadmap, and a
  topic that comes later in an order of study respecting the prerequisites (`study_places`) is less likely
  known at a given level (`topic_curves`); answers move the level, and each answered topic is updated by Bayes
  with a slip (a learner who knows it still errs) and a guess (one who does not still hits: 1/choices,
  1/(2^choices - 1) for multiple select, 0.05 for a number). This level is not the Rasch ability: that one,
  over the questions' difficulties, picks among a topic's questions and calibrates them.
- Prerequisites: knowing a topic means knowing what it requires, so a topic is at least as likely known as any
  answered topic that requires it; and not knowing one means not knowing what requires it.
- Next question: among the most uncertain topics, the one whose answer is expected to remove the most
  uncertainty (entropy) from all the topics, propagation included; within it, the question most informative
  at the learner's Rasch ability.
- End: after MAX_QUESTIONS, or once every topic is decided; topics at PROPOSE_AT or above are proposed done.

bench/placement/ measures it on simulated learners (bench/RESULTS.md).
"""

import heapq
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MAX_QUESTIONS = 15
SLIP = 0.1
NUMERIC_GUESS = 0.05
KNOWN_ABOVE = 0.85  # decided known
UNKNOWN_BELOW = 0.15  # decided not known
PROPOSE_AT = 0.6
MIN_ANSWERS_FOR_FACILITY = 5  # quizzes/statistics.py's MIN_ATTEMPTS: fewer say nothing reliable
LARGEST_DIFFICULTY = 3.0  # facility 0.05 or 0.95: beyond that one answer more or less swings it wildly
CALIBRATION_STEP = 0.2
_ABILITY_GRID = [step / 10 for step in range(-40, 41)]
_GRID = [step / 4 for step in range(-16, 17)]  # the learner's level, on the topics' places' scale
TOPIC_SLOPE = 4.0  # how sharply P(known) falls past the learner's level
LEVEL_SPREAD = 1.5  # the prior's standard deviation, in standard deviations of the topics' places
CANDIDATES = 8
STUDY_ORDERS = 200


@dataclass(frozen=True)
class Item:
    """A question as placement sees it: which topic it tests, how hard it is, how likely a lucky guess."""

    id: int
    topic: str
    difficulty: float = 0.0
    guess: float = 0.25


@dataclass(frozen=True)
class Graph:
    """A roadmap's topics with, for each, every topic it requires (directly or not) and every one requiring it."""

    topics: tuple[str, ...]
    ancestors: Mapping[str, frozenset[str]]
    descendants: Mapping[str, frozenset[str]]


def graph_of(*, topics: Sequence[str], requires: Mapping[str, Iterable[str]]) -> Graph:
    """The graph over `topics` (in roadmap order); edges to topics outside them are left out."""
    inside = set(topics)
    direct = {topic: {r for r in requires.get(topic, ()) if r in inside} for topic in topics}
    ancestors: dict[str, frozenset[str]] = {}

    def closure(topic: str) -> frozenset[str]:
        if topic not in ancestors:
            found = set(direct[topic])
            for required in direct[topic]:
                found |= closure(required)
            ancestors[topic] = frozenset(found)
        return ancestors[topic]

    for topic in topics:
        closure(topic)
    descendants: dict[str, set[str]] = {topic: set() for topic in topics}
    for topic in topics:
        for required in ancestors[topic]:
            descendants[required].add(topic)
    return Graph(tuple(topics), ancestors, {t: frozenset(d) for t, d in descendants.items()})


# --- Questions --------------------------------------------------------------------------------------------------


def difficulty_from_facility(*, facility: float | None, answers: int) -> float:
    """Rasch difficulty from the share of first attempts that got it right: log((1 - p) / p), clamped; 0 (an
    average question) when too few learners answered it."""
    if facility is None or answers < MIN_ANSWERS_FOR_FACILITY:
        return 0.0
    p = min(max(facility, 0.01), 0.99)
    return max(-LARGEST_DIFFICULTY, min(LARGEST_DIFFICULTY, math.log((1 - p) / p)))


def guess_for(*, kind: str, choices: int) -> float:
    """The chance of a right answer without knowing the topic: one choice in all, or for multiple select the one
    right set among every non-empty set of choices."""
    if kind == "numeric" or choices < 1:
        return NUMERIC_GUESS
    if kind == "multiple":
        return 1 / (2**choices - 1)
    return 1 / choices


def p_right(*, ability: float, difficulty: float) -> float:
    return 1 / (1 + math.exp(-(ability - difficulty)))


def calibrated(*, difficulty: float, ability: float, correct: bool) -> float:
    """One Elo step of a question's difficulty after an answer: a right answer from a learner the model expected
    to miss makes the question easier, a miss from one expected to succeed makes it harder."""
    step = CALIBRATION_STEP * (p_right(ability=ability, difficulty=difficulty) - (1.0 if correct else 0.0))
    return max(-LARGEST_DIFFICULTY, min(LARGEST_DIFFICULTY, difficulty + step))


def ability_after(answers: Iterable[tuple[float, bool]]) -> float:
    """The learner's ability given (difficulty, right) answers: the mean of its posterior under a standard normal
    prior, on a grid (no divergence when every answer is right, as maximum likelihood has)."""
    answers = list(answers)
    weights = []
    for ability in _ABILITY_GRID:
        log_weight = -ability * ability / 2
        for difficulty, correct in answers:
            p = p_right(ability=ability, difficulty=difficulty)
            log_weight += math.log(p if correct else 1 - p)
        weights.append(log_weight)
    top = max(weights)
    weights = [math.exp(w - top) for w in weights]
    return sum(a * w for a, w in zip(_ABILITY_GRID, weights, strict=True)) / sum(weights)


# --- Topics -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """One answer, as the knowledge estimate needs it."""

    topic: str
    guess: float
    correct: bool


def study_places(graph: Graph, *, orders: int = STUDY_ORDERS, seed: int = 0) -> dict[str, float]:
    """Where each topic falls, on average, in an order of study that respects the prerequisites: 0 first, 1 last.
    Averaged over random such orders (each topic drawn a random rank, then taken in rank order as soon as what
    it requires is taken), seeded, so the same graph always gives the same places."""
    rng = random.Random(seed)
    total = {topic: 0.0 for topic in graph.topics}
    last = max(len(graph.topics) - 1, 1)
    for _ in range(orders):
        rank = {topic: rng.random() for topic in graph.topics}
        left = {topic: len(graph.ancestors[topic]) for topic in graph.topics}  # prerequisites not yet taken
        ready = [(rank[t], t) for t in graph.topics if not left[t]]
        heapq.heapify(ready)
        position = 0
        while ready:
            _, topic = heapq.heappop(ready)
            total[topic] += position / last
            position += 1
            for dependant in graph.descendants[topic]:
                left[dependant] -= 1
                if not left[dependant]:
                    heapq.heappush(ready, (rank[dependant], dependant))
    return {topic: total[topic] / orders for topic in graph.topics}


def topic_curves(graph: Graph, *, places: Mapping[str, float] | None = None) -> dict[str, list[float]]:
    """P(known | level) for each topic on the level grid. Topics later in an order of study (`study_places`)
    are placed higher: a learner who knows an advanced topic likely knows the basics, one who knows only the
    basics likely not the advanced ones. The curves stay between the decision bounds: the level alone never
    decides a topic, only answers on it or on topics bound to it by prerequisites do."""
    places = places or study_places(graph)
    mean = sum(places.values()) / len(places)
    spread = math.sqrt(sum((p - mean) ** 2 for p in places.values()) / len(places)) or 1.0
    place = {topic: (places[topic] - mean) / spread for topic in graph.topics}
    width = KNOWN_ABOVE - UNKNOWN_BELOW
    return {
        topic: [UNKNOWN_BELOW + width / (1 + math.exp(-TOPIC_SLOPE * (level - place[topic]))) for level in _GRID]
        for topic in graph.topics
    }


def _likelihoods(answers: Iterable[Answered]) -> dict[str, tuple[float, float]]:
    """Per topic answered: (P(its answers | known), P(its answers | not known))."""
    result: dict[str, tuple[float, float]] = {}
    for answer in answers:
        if_known, if_not = result.get(answer.topic, (1.0, 1.0))
        if answer.correct:
            result[answer.topic] = (if_known * (1 - SLIP), if_not * answer.guess)
        else:
            result[answer.topic] = (if_known * SLIP, if_not * (1 - answer.guess))
    return result


@dataclass(frozen=True)
class Knowledge:
    known: dict[str, float]  # topic -> P(known), in roadmap order
    level: float  # the posterior mean of the learner's place on the topics' scale


def knowledge(
    answers: Sequence[Answered], *, graph: Graph, curves: Mapping[str, list[float]] | None = None,
) -> Knowledge:
    """P(known) of every topic after these answers.

    Given the learner's level, topics are known independently, each with its curve's chance; the answers
    update the level (on a grid) and each answered topic (by Bayes with slip and guess). Then prerequisites
    bind: a topic is at least as likely known as any answered topic that requires it, and at most as likely
    as any answered topic it requires."""
    curves = curves or topic_curves(graph)
    evidence = _likelihoods(answers)
    weights = []
    for g, level in enumerate(_GRID):
        weight = math.exp(-level * level / (2 * LEVEL_SPREAD**2))
        for topic, (if_known, if_not) in evidence.items():
            chance = curves[topic][g]
            weight *= chance * if_known + (1 - chance) * if_not
        weights.append(weight)
    total = sum(weights)
    weights = [w / total for w in weights]
    known = {}
    for topic in graph.topics:
        if_known, if_not = evidence.get(topic, (1.0, 1.0))
        p = 0.0
        for weight, chance in zip(weights, curves[topic], strict=True):
            p += weight * chance * if_known / (chance * if_known + (1 - chance) * if_not)
        known[topic] = p
    direct = {topic: known[topic] for topic in evidence}
    for topic, p in direct.items():  # what it requires is known at least as surely
        for required in graph.ancestors[topic]:
            known[required] = max(known[required], p)
    for topic, p in direct.items():  # what requires it is known at most as surely
        for dependant in graph.descendants[topic]:
            known[dependant] = min(known[dependant], known[topic], p)
    return Knowledge(known=known, level=sum(w * a for w, a in zip(weights, _GRID, strict=True)))


def _entropy(p: float) -> float:
    if p <= 0 or p >= 1:
        return 0.0
    return -(p * math.log(p) + (1 - p) * math.log(1 - p))


def is_decided(p: float) -> bool:
    return p > KNOWN_ABOVE or p < UNKNOWN_BELOW


def next_item(
    answers: Sequence[Answered], *, graph: Graph, items: Iterable[Item], asked: Iterable[int], ability: float,
    curves: Mapping[str, list[float]] | None = None,
) -> Item | None:
    """The unasked question that tells most, or None when the test is over (enough questions, every topic
    decided, or nothing left to ask about an undecided topic).

    The CANDIDATES most uncertain topics are weighed by how much uncertainty over all topics an answer to
    their most telling question (the smallest chance of a lucky guess) is expected to remove; within the
    topic, the question most informative at the learner's ability (Rasch) is asked."""
    asked = set(asked)
    if len(asked) >= MAX_QUESTIONS:
        return None
    curves = curves or topic_curves(graph)
    now = knowledge(answers, graph=graph, curves=curves)
    open_items: dict[str, list[Item]] = {}
    for item in items:
        if item.id not in asked and item.topic in now.known and not is_decided(now.known[item.topic]):
            open_items.setdefault(item.topic, []).append(item)
    if not open_items:
        return None
    before = sum(_entropy(p) for p in now.known.values())
    candidates = sorted(open_items, key=lambda topic: (abs(now.known[topic] - 0.5), graph.topics.index(topic)))
    best, best_key = None, None
    for topic in candidates[:CANDIDATES]:
        guess = min(item.guess for item in open_items[topic])
        p = now.known[topic]
        right = p * (1 - SLIP) + (1 - p) * guess
        expected = 0.0
        for correct, chance in ((True, right), (False, 1 - right)):
            after = knowledge([*answers, Answered(topic, guess, correct)], graph=graph, curves=curves)
            expected += chance * sum(_entropy(q) for q in after.known.values())
        item = max(
            (item for item in open_items[topic] if item.guess == guess),
            key=lambda item: (_information(ability=ability, difficulty=item.difficulty), -item.id),
        )
        key = (round(before - expected, 9), _information(ability=ability, difficulty=item.difficulty))
        if best_key is None or key > best_key:
            best, best_key = item, key
    return best


def _information(*, ability: float, difficulty: float) -> float:
    p = p_right(ability=ability, difficulty=difficulty)
    return p * (1 - p)


@dataclass(frozen=True)
class Proposed:
    topic: str
    confidence: float  # P(known)


def proposal(known: Mapping[str, float], *, graph: Graph) -> list[Proposed]:
    """Topics likely known enough to mark done, in roadmap order."""
    return [Proposed(topic, round(known[topic], 3)) for topic in graph.topics if known[topic] >= PROPOSE_AT]
