"""The app's action functions, grouped by subject; ``src/app.py`` registers them."""
