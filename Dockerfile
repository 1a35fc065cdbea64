# Production image: the locked dependencies, collected static files, gunicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir uv && useradd --create-home --uid 1000 ascent
WORKDIR /app

COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN DEBUG=0 SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput

# Names the code in cached pages' keys (caching/versions.py), so a deploy never replays the last one's pages:
# `docker compose build --build-arg RELEASE_ID=$(git rev-parse --short=12 HEAD)`. The image has no .git.
ARG RELEASE_ID=unreleased
ENV STATIC_ROOT=/app/staticfiles DEBUG=0 RELEASE_ID=$RELEASE_ID
USER ascent
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
