# permitpath: the GraphQL service. Build: docker build -t permitpath .
# Run:   docker run -p 8000:8000 permitpath                         (embedded SQLite in /var/lib/permitpath)
#        docker run -p 8000:8000 -e DATABASE_URL=postgresql+asyncpg://user:pw@db:5432/permitpath permitpath
#        (bring a PostgreSQL database to the latest schema first:
#         docker run --entrypoint permitpath -e DATABASE_URL=... permitpath migrate)
# Cluster: docker run --entrypoint dask -p 8786:8786 permitpath scheduler
#          docker run --entrypoint permitpath permitpath worker --scheduler tcp://scheduler:8786
#          docker run -p 8000:8000 -e PERMITPATH_DASK_SCHEDULER=tcp://scheduler:8786 permitpath

# --- build: the locked dependencies and the package, in a virtualenv ----------------------------------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first: this layer is reused until requirements.lock changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY api ./api
COPY schema ./schema
COPY db ./db
COPY solver ./solver
RUN pip install --no-deps .

# --- runtime: the virtualenv only, as an unprivileged user --------------------------------------------
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PERMITPATH_PORT=8000
RUN groupadd --system --gid 10001 permitpath \
    && useradd --system --uid 10001 --gid permitpath --no-create-home permitpath \
    && mkdir -p /var/lib/permitpath \
    && chown permitpath:permitpath /var/lib/permitpath
COPY --from=build /opt/venv /opt/venv
# The working directory holds the embedded SQLite file when DATABASE_URL is not set.
WORKDIR /var/lib/permitpath
USER permitpath
# 8000: the service; 8786: a scheduler started from this image (`dask scheduler`).
EXPOSE 8000 8786
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD python -c "import os, sys, urllib.request; port = os.environ.get('PERMITPATH_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2).status == 200 else 1)"
ENTRYPOINT ["permitpath", "serve", "--host", "0.0.0.0"]
