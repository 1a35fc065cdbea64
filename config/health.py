from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Liveness and readiness for the compose health checks: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks = {"database": "ok"}
        status = 200
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        checks = {"database": f"error: {error.__class__.__name__}"}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "checks": checks}, status=status)
