"""Knowledge-graph ETL for news: read -> extract -> resolve -> load."""
