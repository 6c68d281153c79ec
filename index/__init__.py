"""Ingestion, analysis and writing: load → clean → detect language → analyze → write."""
