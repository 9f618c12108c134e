FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY flows ./flows
COPY schema ./schema
# The trained models the transform loads (recognizer, relation model, casing lexicon).
COPY models ./models
COPY config ./config
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --create-home kg
USER kg
ENV KG_SCHEMA_DIR=/app/schema KG_MODELS_DIR=/app/models
ENTRYPOINT []
CMD ["kg", "serve", "--config", "/app/config/ingest.yaml"]
