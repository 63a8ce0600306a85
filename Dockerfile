# syntax=docker/dockerfile:1
# Pitch-A-Seat: one image for the web app (`serve`), the worker (`worker`) and the one-shot
# migration (`db upgrade`). Any Debian bookworm base works; the default adds CPython 3.12 to
# it, which the app is run on (bookworm's own python3 is 3.11: docs/resilience.md, "Which
# Python"). scripts/container-check builds it from a debootstrapped plain bookworm:
#   docker build --build-arg BASE_IMAGE=debian:bookworm-slim .
ARG BASE_IMAGE=python:3.12-slim-bookworm

# ---- build: a virtualenv with the locked packages and the app, nothing else
FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The lock first, so a code change reuses the (slow) dependency layer.
COPY requirements.lock ./
# A network that re-signs TLS needs its CA for pip: pass it as the build secret "pip-ca"
# (--secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt); it never lands in a layer.
RUN --mount=type=secret,id=pip-ca \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && python3 -m venv /opt/pitchaseat \
 && /opt/pitchaseat/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
# (pip fetches the build backend, setuptools, here: the same CA applies.)
RUN --mount=type=secret,id=pip-ca \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && /opt/pitchaseat/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps . \
 && find /opt/pitchaseat -name '__pycache__' -prune -exec rm -rf {} +

# ---- runtime: the interpreter, the virtualenv and an unprivileged user
FROM ${BASE_IMAGE} AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --home-dir /var/lib/pitchaseat --create-home \
      --shell /usr/sbin/nologin pitchaseat
COPY --from=build /opt/pitchaseat /opt/pitchaseat
ENV PATH=/opt/pitchaseat/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PITCHASEAT_DATA_DIR=/var/lib/pitchaseat \
    PITCHASEAT_HOST=0.0.0.0 \
    PITCHASEAT_PORT=8000 \
    PITCHASEAT_LOG_JSON=true
USER pitchaseat
WORKDIR /var/lib/pitchaseat
# SQLite file, local photos and the .eml mailbox when no database, S3 or SMTP is configured.
VOLUME ["/var/lib/pitchaseat"]
EXPOSE 8000
# Ready = this process answers and its database (and Redis, when set) answer too.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('PITCHASEAT_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["pitchaseat"]
CMD ["serve"]
