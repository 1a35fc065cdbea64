"""The content: roadmaps, sections, topics, prerequisites and resources, loaded from content/ (loading.py),
searched (search.py), drawn (maps.py, structure.py) and rendered (rendering.py); the content API, the home and
search pages, and the content admin. Depends on no other app: what a learner does with it lives in learning/ and
quizzes/."""
