"""Education qa: models are added with the work of its issue."""
