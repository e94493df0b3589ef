"""Trailhound app for Splunk SOAR (entry point: src.app:app)."""
