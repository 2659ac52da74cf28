"""Publishing for the transparency portal: datasets, data dictionary and data package."""
