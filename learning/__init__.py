"""The learner's journey through the content: topic statuses, ticked resources, notes, followed roadmaps, the
activity journal (recent actions, heatmap, streaks), and the pages that show them with the learner's quizzes:
the roadmap and topic pages and the dashboard.

Depends on roadmap (the content) and quizzes (memory, due reviews); quizzes announces what a learner did
(quizzes/events.py) and this app records it, so quizzes never imports it.
"""
