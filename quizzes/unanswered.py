"""Questions a quiz form leaves blank: named and confirmed before grading, since a blank scores 0 and never
comes back for review. The API grades what it is sent (its contract); only the pages ask first."""

from .answers import GivenAnswer
from .attempts import ServedItem

# The form field that says the learner saw the unanswered questions named and chose to submit anyway.
CONFIRM_FIELD = "confirm_unanswered"


def unanswered_items(items: list[ServedItem], answers: list[GivenAnswer]) -> list[ServedItem]:
    """The served questions with no answer among `answers` (the form's parsed answers), in served order."""
    answered = {answer.question for answer in answers}
    return [item for item in items if item.id not in answered]


def unanswered_sentence(items: list[ServedItem]) -> str:
    """"Question 3 is unanswered.", "Questions 2 and 5 are unanswered.", "Questions 1, 2 and 5 are ..."."""
    numbers = [str(item.position + 1) for item in items]
    if len(numbers) == 1:
        return f"Question {numbers[0]} is unanswered."
    return f"Questions {', '.join(numbers[:-1])} and {numbers[-1]} are unanswered."
