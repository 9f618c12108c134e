FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY flows ./flows
COPY schema ./schema
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --create-home kg
USER kg
ENV KG_SCHEMA_DIR=/app/schema
ENTRYPOINT []
CMD ["kg", "--help"]
