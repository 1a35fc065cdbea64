# Quiz questions, attempts and review cards arrive with the quiz and review issues.
