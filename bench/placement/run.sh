#!/usr/bin/env bash
# The placement test on simulated learners over the shipped content (bench/placement/simulate.py): questions
# asked and agreement of the proposal with what each learner knows, at 0% and 5% noise, then with guessing, then
# with knowledge drawn another way (random topics and their prerequisites).
# No database: the content files are read as `load_content` reads them. LEARNERS (per roadmap, default 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
LEARNERS=${LEARNERS:-200}
UV=$(command -v uv || echo ~/.local/bin/uv)
uptime
for noise in 0 0.05; do
  "$UV" run --frozen python bench/placement/simulate.py --learners "$LEARNERS" --noise "$noise" "$@"
done
"$UV" run --frozen python bench/placement/simulate.py --learners "$LEARNERS" --noise 0.05 --guessing "$@"
"$UV" run --frozen python bench/placement/simulate.py --learners "$LEARNERS" --noise 0.05 --knowledge closure "$@"
uptime
