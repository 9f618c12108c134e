FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY flows ./flows
COPY schema ./schema
COPY config ./config
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --create-home kg
USER kg
ENV KG_SCHEMA_DIR=/app/schema
ENTRYPOINT []
CMD ["kg", "serve", "--config", "/app/config/ingest.yaml"]
