# Esi Pro: one image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0 \
    ESIPRO_DATA_DIR=/data

WORKDIR /app
# Pango and a font for WeasyPrint (the booklet's PDFs).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 esipro \
    && mkdir -p /data \
    && chown esipro:esipro /data

# Dependencies first (their own layer, rebuilt only when pyproject.toml or constraints.txt change).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt

COPY . .
RUN pip install --no-deps -c constraints.txt .

USER esipro
VOLUME ["/data"]
EXPOSE 8000
CMD ["gunicorn", "esipro.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
