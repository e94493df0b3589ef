"""Anomaly scores: indicators with evidence, their combination, propagation, investigations.

Pure math lives in small modules (``robust``, ``beacon``, ``travel``, ``combine``,
``propagation``, ``attack``, ``threat_intel``); ``indicators/`` holds one module per
indicator, each a single async function over Elasticsearch aggregations; ``engine``
runs them for one entity and combines the result.
"""
