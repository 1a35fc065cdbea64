from rest_framework import serializers
from rest_framework.exceptions import APIException


def has_json_type(field, value) -> bool:
    """Whether `value` is of the JSON type the field takes. DRF alone would turn 5 into "5", "5" into 5 and "yes"
    into true; the schema promises exact types, and a client sending others has made a mistake."""
    if value is None:
        return True  # the field's own allow_null decides
    if isinstance(field, serializers.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, serializers.CharField):
        return isinstance(value, str)
    if isinstance(field, serializers.IntegerField):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return whole and not isinstance(value, bool)
    if isinstance(field, serializers.FloatField):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def type_error(field, value) -> str | None:
    return None if has_json_type(field, value) else field.error_messages["invalid"]


class StrictInput(serializers.Serializer):
    """Input serializer that refuses fields it does not know, so a typo is a 400, not silently ignored, and values
    of another JSON type than the field's."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise serializers.ValidationError(
                {name: [f"Unknown or read-only field. Writable fields: {', '.join(sorted(writable))}."]
                 for name in unknown}
            )
        errors = {}
        for name, value in data.items():
            field = self.fields[name]
            if isinstance(field, serializers.ListField) and isinstance(value, list):
                items = {i: [m] for i, item in enumerate(value) if (m := type_error(field.child, item))}
                if items:
                    errors[name] = items
            elif message := type_error(field, value):
                errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def body_of_own_object(serializer_class, request, *, own_object, plain=None):
    """The request's body validated by `serializer_class`, for a write to one of the learner's objects.

    A bad body for an object that is not the learner's is a 404 all the same (`own_object()` raises it):
    another learner's ids do not exist for this one, whatever is sent. A good body's 404 is left to the
    write, which reads the object under its lock anyway. `plain(data)`, when given, returns the serializer's
    validated data for a body it can tell is right without the serializer, or None to leave it the judge."""
    try:
        data = request.data  # malformed JSON raises here
        if plain is not None and (validated := plain(data)) is not None:
            return validated
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
    except APIException:
        own_object()
        raise
    return serializer.validated_data
