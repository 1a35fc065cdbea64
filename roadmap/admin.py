from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count

from caching.versions import bump_content_version

from .models import Placement, Prerequisite, Resource, Roadmap, Section, Topic
from .prerequisites import cycle_with_requirements
from .rendering import render_content_markdown
from .search import refresh_search_vectors


class InvalidatesCachedContent:
    """Every admin write to content makes the cached pages and API answers stale."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(bump_content_version)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(bump_content_version)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(bump_content_version)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(bump_content_version)


# URLs typed without a scheme are taken as https (Django 6's default, set explicitly now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "title", "duration"]
    extra = 0
    show_change_link = True


@admin.register(Roadmap)
class RoadmapAdmin(InvalidatesCachedContent, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "source_author", "order", "topic_count"]
    list_editable = ["order"]
    search_fields = ["title", "summary", "source_author"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(topic_count=Count("placements"))

    @admin.display(description="Topics", ordering="topic_count")
    def topic_count(self, roadmap):
        return roadmap.topic_count


class PlacementFormSet(forms.BaseInlineFormSet):
    """A topic sits in a roadmap once: refuse one that another section of the same roadmap already holds."""

    def clean(self):
        super().clean()
        section = self.instance
        chosen = [
            form.cleaned_data["topic"]
            for form in self.forms
            if form.cleaned_data.get("topic") and not form.cleaned_data.get("DELETE")
        ]
        elsewhere = set(
            Placement.objects.filter(roadmap_id=section.roadmap_id, topic__in=chosen)
            .exclude(section=section)
            .values_list("topic__title", flat=True)
        )
        seen = set()
        for topic in chosen:
            if topic.title in elsewhere:
                raise forms.ValidationError(f"“{topic}” is already placed in another section of this roadmap.")
            if topic in seen:
                raise forms.ValidationError(f"“{topic}” is listed twice in this section.")
            seen.add(topic)

    def save_new(self, form, commit=True):
        form.instance.roadmap_id = self.instance.roadmap_id
        return super().save_new(form, commit=commit)


class PlacementInline(admin.TabularInline):
    model = Placement
    formset = PlacementFormSet
    fields = ["order", "topic"]
    autocomplete_fields = ["topic"]
    extra = 1


@admin.register(Section)
class SectionAdmin(InvalidatesCachedContent, admin.ModelAdmin):
    list_display = ["title", "roadmap", "order", "duration"]
    list_filter = ["roadmap"]
    list_select_related = ["roadmap"]
    search_fields = ["title"]
    inlines = [PlacementInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A section's title is part of its topics' search vectors.
        refresh_search_vectors(topic_ids=form.instance.placements.values_list("topic_id", flat=True))


class ResourceInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Resource
    fields = ["order", "title", "url", "kind", "cost", "author"]
    extra = 1


class PrerequisiteFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        topic = self.instance
        required = [
            form.cleaned_data["requires"]
            for form in self.forms
            if form.cleaned_data.get("requires") and not form.cleaned_data.get("DELETE")
        ]
        if topic.pk is None:
            return
        if topic in required:
            raise forms.ValidationError("A topic cannot be its own prerequisite.")
        cycle = cycle_with_requirements(topic_id=topic.pk, requires_ids=[t.pk for t in required])
        if cycle:
            titles = dict(Topic.objects.filter(pk__in=cycle).values_list("pk", "title"))
            path = " → ".join(titles[pk] for pk in reversed(cycle))
            raise forms.ValidationError(
                f"These prerequisites would create a cycle: {path}. Remove one of the links."
            )


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    formset = PrerequisiteFormSet
    fk_name = "topic"
    fields = ["requires"]
    autocomplete_fields = ["requires"]
    extra = 1
    verbose_name = "prerequisite"
    verbose_name_plural = "prerequisites (topics to learn first)"


@admin.register(Topic)
class TopicAdmin(InvalidatesCachedContent, admin.ModelAdmin):
    list_display = ["title", "level", "estimated_hours", "resource_count"]
    list_filter = ["level", "placements__roadmap"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "level", "estimated_hours", "body"]
    inlines = [PrerequisiteInline, ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources", distinct=True))

    @admin.display(description="Resources", ordering="resource_count")
    def resource_count(self, topic):
        return topic.resource_count

    def save_model(self, request, obj, form, change):
        obj.body_html = render_content_markdown(obj.body)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_vectors(topic_ids=[form.instance.pk])


@admin.register(Resource)
class ResourceAdmin(InvalidatesCachedContent, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "topic", "kind", "cost", "author"]
    list_filter = ["kind", "cost", "topic__placements__roadmap"]
    list_select_related = ["topic"]
    search_fields = ["title", "author", "url", "topic__title"]
    autocomplete_fields = ["topic"]
