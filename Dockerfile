# The production image: gunicorn serves the site and API; the same image runs the worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build_assets.mjs scripts/
RUN npm ci --no-audit --no-fund && npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=regulator.settings.production
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . && useradd --system regulator \
    && mkdir -p /app/var/uploads /app/var/beat && chown -R regulator /app/var
COPY --from=assets /app/public /app/public
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=x DATABASE_URL=sqlite:////tmp/x CELERY_BROKER_URL=memory:// \
    REDIS_CACHE_URL=redis://x NOTIFICATIONS_BACKEND=development python manage.py collectstatic --no-input
USER regulator
EXPOSE 8000
CMD ["gunicorn", "regulator.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
