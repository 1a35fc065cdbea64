"""Every cache Ascent keeps, and the one rule that makes each entry stale.

This package depends on no app: apps call it, it never calls them.

- `redis_backend`, the backend: Redis, degrading to a per-process fallback while Redis is down.
  Stale when: a process wrote during an outage; it empties Redis when Redis answers again.
- `anonymous_pages`: whole responses of the public pages and the content API, for visitors without a session.
  Stale when: the content version changes (any content edit) or the release does.
- `learner_pages`: a signed-in learner's whole roadmap, topic and dashboard pages.
  Stale when: the learner's `state_version` changes (any write of theirs, or an admin's to their account), the
  content version or the release changes, or the time the view named (`page_changes_at()`, MAX_AGE) passes.
- `fragments`: parts of pages built from content (roadmap plans and maps, topic pages, API bodies) and a
  learner's year heatmap, in Redis.
  Stale when: the content version changes or the release does. A learner fragment's key names everything it
  shows (the year: its days' counts, today, the language), so it never needs invalidating.

`versions` holds what every layer is keyed on: `bump_content_version()` after any content change, and
`release_id()` (RELEASE_ID from the environment, else git, else "unreleased") for the code that renders.
Learner values outside pages (the menu's due badge, the workload forecast, in quizzes/) follow the signed-in
pages' rule: they are keyed on the learner's `state_version`.
"""
