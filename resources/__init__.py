"""Icons, stylesheets and desktop files, found through importlib.resources."""
