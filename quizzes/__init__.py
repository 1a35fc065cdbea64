"""Questions and what a learner does with them: quiz attempts, the answer pipeline (answers.py) and grading,
FSRS scheduling (scheduling.py, fitting.py, balancing.py), reviews, and reminders. Builds on roadmap's topics;
tells learning what happened through events.py rather than importing it."""
