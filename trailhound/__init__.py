"""trailhound."""
