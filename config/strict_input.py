from rest_framework import serializers


class StrictInput(serializers.Serializer):
    """Input serializer that refuses fields it does not know, so a typo is a 400, not silently ignored."""

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
        return super().to_internal_value(data)
