"""The PDF front end."""
