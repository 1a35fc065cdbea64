from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.text import Truncator

from caching.learner_pages import learner_state_changed
from caching.versions import bump_content_version
from roadmap.admin import InvalidatesCachedContent

from .models import Answer, Attempt, Choice, Question
from .question_rules import ChoiceData, choice_html, prompt_as_text, question_html, question_problems
from .statistics import verdict, with_item_statistics

PROMPT_CHARS = 72  # the question column of the list, at 1400 px with every statistics column beside it


def _problems(question: Question, *, choices: list[ChoiceData] | None) -> list:
    """The loader's rules (quizzes/question_rules.py) for a question as the admin is about to save it."""
    others = Question.objects.filter(topic_id=question.topic_id).exclude(pk=question.pk)
    return question_problems(
        kind=question.type, prompt=question.prompt or "", explanation=question.explanation or "",
        numeric_answer=question.numeric_answer, tolerance=question.tolerance, choices=choices,
        other_prompts=others.values_list("prompt", flat=True) if question.topic_id else (),
    )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "topic", "key", "type", "difficulty", "active", "prompt", "explanation", "numeric_answer", "tolerance",
            "tolerance_kind",
        ]

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the cleaned values
        for problem in _problems(self.instance, choices=None):
            if problem.field not in self.errors:  # "This field is required" says it already
                self.add_error(problem.field, problem.message[:1].upper() + problem.message[1:] + ".")


class ChoiceFormSet(forms.BaseInlineFormSet):
    """The choices, with the question they belong to, under the loader's rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            ChoiceData(text=f.cleaned_data.get("text", ""), correct=bool(f.cleaned_data.get("is_correct")))
            for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        messages = [p.message for p in _problems(self.instance, choices=kept) if p.field == "choices"]
        if messages:
            raise forms.ValidationError([m[:1].upper() + m[1:] + "." for m in messages])


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["order", "text", "is_correct", "feedback"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(InvalidatesCachedContent, admin.ModelAdmin):
    form = QuestionForm
    inlines = [ChoiceInline]
    list_display = ["prompt_text", "topic", "type", "difficulty", "active", "attempts", "facility_index",
                    "discrimination_index", "calibrated", "check_flag"]
    list_display_links = ["prompt_text"]
    list_filter = ["type", "active", "difficulty", "topic__placements__roadmap"]
    list_select_related = ["topic"]
    search_fields = ["key", "prompt", "topic__title"]
    autocomplete_fields = ["topic"]
    readonly_fields = ["statistics"]
    fieldsets = [
        (None, {"fields": ["topic", "key", "type", "difficulty", "active"]}),
        ("Text", {"fields": ["prompt", "explanation"]}),
        ("Numeric answer", {"fields": ["numeric_answer", "tolerance", "tolerance_kind"], "classes": ["collapse"]}),
        ("Item statistics (first attempts)", {"fields": ["statistics"]}),
    ]

    class Media:
        css = {"all": ["css/admin-questions.css"]}

    def get_queryset(self, request):
        return with_item_statistics(super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        # A wide table: without the navigation sidebar (the breadcrumbs still lead everywhere) the prompt and
        # every statistics column fit at 1400 px.
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    @admin.display(description="Question", ordering="prompt")
    def prompt_text(self, question):
        """The prompt as a learner reads it, without Markdown, cut to fit one column of the list."""
        return Truncator(prompt_as_text(question.prompt_html) or question.prompt).chars(PROMPT_CHARS)

    @admin.display(description="Attempts", ordering="stat_attempts")
    def attempts(self, question):
        return question.stat_attempts

    @admin.display(description="Facility", ordering="facility")
    def facility_index(self, question):
        return "–" if question.facility is None else f"{question.facility:.2f}"

    @admin.display(description="Discrimination", ordering="discrimination")
    def discrimination_index(self, question):
        return "–" if question.discrimination is None else f"{question.discrimination:.2f}"

    @admin.display(description="Calibrated", ordering="calibrated_difficulty")
    def calibrated(self, question):
        """Rasch difficulty from placement answers (quizzes/placement.py): below 0 easier than average."""
        return "–" if question.calibrated_difficulty is None else f"{question.calibrated_difficulty:+.2f}"

    @admin.display(description="Check")
    def check_flag(self, question):
        result = verdict(
            attempts=question.stat_attempts, facility=question.facility, discrimination=question.discrimination
        )
        if result.needs_checking:
            return format_html('<strong title="{}">needs checking</strong>', "; ".join(result.reasons))
        return ""

    @admin.display(description="Statistics")
    def statistics(self, question):
        if question.pk is None:
            return "–"
        stats = with_item_statistics(Question.objects.filter(pk=question.pk)).get()
        result = verdict(attempts=stats.stat_attempts, facility=stats.facility, discrimination=stats.discrimination)
        return format_html(
            "First attempts: {}<br>Facility index: {}<br>Discrimination index: {}<br>"
            "Calibrated difficulty (Rasch, from placement tests): {}<br>{}",
            stats.stat_attempts,
            "–" if stats.facility is None else f"{stats.facility:.2f}",
            "–" if stats.discrimination is None else f"{stats.discrimination:.2f}",
            self.calibrated(stats),
            ("Needs checking: " + "; ".join(result.reasons)) if result.needs_checking else "; ".join(result.reasons),
        )

    # The HTML is made as the loader makes it (quizzes/question_rules.py).
    def save_model(self, request, obj, form, change):
        for field, html in question_html(prompt=obj.prompt, explanation=obj.explanation).items():
            setattr(obj, field, html)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for choice_form in formset.forms:
            if choice_form.cleaned_data and not choice_form.cleaned_data.get("DELETE"):
                choice_form.instance.text_html = choice_html(choice_form.instance.text)
        super().save_formset(request, form, formset, change)
        transaction.on_commit(bump_content_version)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "points", "correct", "value", "time_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "topic", "started_at", "submitted_at", "score", "max_score", "is_first"]
    list_filter = ["is_first", "topic__placements__roadmap"]
    list_select_related = ["learner", "topic"]
    search_fields = ["learner__email", "topic__title"]
    readonly_fields = ["learner", "topic", "started_at", "submitted_at", "score", "max_score", "is_first"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    # A learner's quiz history is on their cached topic pages.
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(lambda: learner_state_changed(learner_id=obj.learner_id))

    def delete_queryset(self, request, queryset):
        learner_ids = set(queryset.values_list("learner_id", flat=True))
        super().delete_queryset(request, queryset)
        for learner_id in learner_ids:
            transaction.on_commit(lambda learner_id=learner_id: learner_state_changed(learner_id=learner_id))
