"""The admin's question list and form show each question's calibrated difficulty beside its item statistics."""

import pytest

from quizzes.models import Question

pytestmark = pytest.mark.django_db


def test_the_question_list_and_form_show_calibrated_difficulty(client, quiz_content, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin)
    question = Question.objects.get(key="dot-product")
    Question.objects.filter(pk=question.pk).update(calibrated_difficulty=-0.734)
    html = client.get("/admin/quizzes/question/").content.decode()
    assert "Calibrated" in html and "−0.73" in html.replace("-0.73", "−0.73")
    assert html.index("Discrimination") < html.index("Calibrated")
    assert html.count('class="field-calibrated">–<') == Question.objects.count() - 1  # never answered in a placement
    form = client.get(f"/admin/quizzes/question/{question.pk}/change/").content.decode()
    assert "Calibrated difficulty (Rasch, from placement tests): -0.73" in form
