# The production image: the Django app under gunicorn, and the same image runs the migrations,
# the Celery worker and beat (see docker-compose.yml). Static files are collected at build time
# and served by WhiteNoise from a manifest with hashed names (STATIC_MANIFEST=true).
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# What WeasyPrint loads at run time to lay out the PDF reports, and a font for them; pg_dump and
# pg_restore (the server's major version) for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 rehab \
    && useradd --system --uid 10001 --gid rehab --create-home --home-dir /home/rehab \
        --shell /usr/sbin/nologin rehab

WORKDIR /app

# Dependencies first, so that a change to the code alone reuses this layer.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# The code and the collected static files stay root's and read-only to the app; what the app
# writes goes under /data: uploaded and generated files (media, a volume shared by web and
# worker) and its scratch directory (var).
ENV DEBUG=false \
    STATIC_MANIFEST=true \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    REHAB_VAR_DIR=/data/var
RUN python manage.py collectstatic --no-input \
    && mkdir -p /data/media /data/var /data/backups \
    && chown -R rehab:rehab /data

USER rehab
EXPOSE 8000

# docker-compose.yml runs `migrate` once, in a container of its own, before web, worker and beat
# start; started alone, the image serves the app (behind a TLS proxy: see the README).
CMD ["gunicorn", "rehab.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--no-control-socket"]
