"""Does the placement test find what a learner knows? Simulated learners over the shipped content.

Each learner knows a prerequisite-closed set of a roadmap's topics: by default a random order of study that
respects the prerequisites, cut after a random number of topics (uniform from none to all), so every size of
knowledge is as likely; with `--knowledge closure`, random topics with everything they require. It answers
a question on a topic it knows right, and one on a topic it does not know wrong, except that with probability
NOISE the answer is flipped (a slip or a lucky guess).
`--guessing` instead lets a learner who does not know a topic pick at random (1 / choices right, 0.05 for a
number) and slip on one it knows with probability NOISE.

The test runs quizzes/placement.py as the site does; per learner it counts the questions asked and the share
of the roadmap's topics on which the proposal (proposed = known) agrees with the truth.

    uv run --frozen python bench/placement/simulate.py [--learners 200] [--noise 0.05] [--guessing]
        [--knowledge prefix|closure] [--seed 1] [--set NAME=VALUE]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ASCENT_DATA_DIR", "/tmp/ascent-bench-placement")
os.makedirs(os.environ["ASCENT_DATA_DIR"], exist_ok=True)

import django  # noqa: E402

django.setup()

from quizzes import placement  # noqa: E402
from quizzes.loading import read_questions  # noqa: E402
from roadmap.loading import read_content  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "content"


def roadmaps_of_content():
    """(slug, graph, items) per shipped roadmap, read from the content files (difficulties 0, as on a new site)."""
    content = read_content(ROOT)
    requires = {topic.slug: topic.prerequisites for topic in content.topics}
    files = read_questions(ROOT, set(requires))
    items_of, next_id = {}, 1
    for file in files:
        items_of[file.topic_slug] = []
        for question in file.questions:
            if not question.active:
                continue
            guess = placement.guess_for(kind=question.type, choices=len(question.choices))
            items_of[file.topic_slug].append(placement.Item(id=next_id, topic=file.topic_slug, guess=guess))
            next_id += 1
    result = []
    for roadmap in content.roadmaps:
        topics = [slug for section in roadmap.sections for slug in section.topics]
        graph = placement.graph_of(topics=topics, requires=requires)
        result.append((roadmap.slug, graph, [item for slug in topics for item in items_of.get(slug, [])]))
    return result


def studied_prefix(graph: placement.Graph, rng: random.Random) -> set[str]:
    """A random prerequisite-closed set: a prefix of a random order of study (each next topic drawn uniformly
    among those whose prerequisites are taken), of a length uniform from none to all."""
    left = {topic: set(graph.ancestors[topic]) for topic in graph.topics}
    order, known = [], set()
    while left:
        ready = sorted(topic for topic, needs in left.items() if needs <= known)
        topic = rng.choice(ready)
        order.append(topic)
        known.add(topic)
        del left[topic]
    return set(order[: rng.randint(0, len(order))])


def studied_topics(graph: placement.Graph, rng: random.Random) -> set[str]:
    """Another prerequisite-closed set: a number of topics (uniform from none to all) drawn at random, with
    everything they require. Unlike the prefix, a learner may know an advanced topic and few of its peers."""
    chosen = rng.sample(graph.topics, rng.randint(0, len(graph.topics)))
    return set(chosen).union(*(graph.ancestors[topic] for topic in chosen))


KNOWLEDGE = {"prefix": studied_prefix, "closure": studied_topics}


def answer(item: placement.Item, *, knows: bool, noise: float, guessing: bool, rng: random.Random) -> bool:
    if guessing:
        return rng.random() >= noise if knows else rng.random() < item.guess
    return knows != (rng.random() < noise)


def run_learner(graph, items, curves, *, knowledge, noise, guessing, rng):
    truth = KNOWLEDGE[knowledge](graph, rng)
    asked, answers, rasch = [], [], []
    ability = 0.0
    while (item := placement.next_item(answers, graph=graph, items=items, asked=asked, ability=ability,
                                       curves=curves)) is not None:
        correct = answer(item, knows=item.topic in truth, noise=noise, guessing=guessing, rng=rng)
        asked.append(item.id)
        answers.append(placement.Answered(item.topic, item.guess, correct))
        rasch.append((item.difficulty, correct))
        ability = placement.ability_after(rasch)
    known = placement.knowledge(answers, graph=graph, curves=curves).known
    proposed = {p.topic for p in placement.proposal(known, graph=graph)}
    agree = sum((topic in proposed) == (topic in truth) for topic in graph.topics) / len(graph.topics)
    false_done = len(proposed - truth) / len(graph.topics)
    return len(asked), agree, false_done, len(truth) / len(graph.topics)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200, help="per roadmap")
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--guessing", action="store_true")
    parser.add_argument("--knowledge", choices=sorted(KNOWLEDGE), default="prefix",
                        help="how a learner's known topics are drawn (see studied_prefix, studied_topics)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="try another value of one of quizzes/placement.py's constants, e.g. PROPOSE_AT=0.7")
    args = parser.parse_args()
    for setting in args.set:
        name, value = setting.split("=")
        setattr(placement, name, type(getattr(placement, name))(value))
    rng = random.Random(args.seed)
    rows, everything = [], []
    started = time.perf_counter()
    for slug, graph, items in roadmaps_of_content():
        curves = placement.topic_curves(graph)  # as a session does once, at its start
        results = [run_learner(graph, items, curves, knowledge=args.knowledge, noise=args.noise,
                               guessing=args.guessing, rng=rng) for _ in range(args.learners)]
        everything += results
        rows.append((slug, len(graph.topics), results))
    elapsed = time.perf_counter() - started
    mode = "guessing" if args.guessing else "flips"
    print(f"knowledge {args.knowledge}, noise {args.noise:.0%} ({mode}), {args.learners} learners a roadmap, "
          f"seed {args.seed}, {elapsed:.1f} s", *args.set)
    print("| roadmap | topics | questions (mean, max) | agreement (mean, 10th percentile) | proposed but not known |")
    print("|---|---|---|---|---|")
    for slug, topics, results in [*rows, ("all", "", everything)]:
        asked = [r[0] for r in results]
        agree = sorted(r[1] for r in results)
        print(f"| {slug} | {topics} | {statistics.mean(asked):.1f}, {max(asked)} | "
              f"{statistics.mean(agree):.1%}, {agree[len(agree) // 10]:.1%} | "
              f"{statistics.mean(r[2] for r in results):.1%} |")


if __name__ == "__main__":
    main()
