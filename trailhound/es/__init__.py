"""Elasticsearch: provisioning of the local node and client construction."""
