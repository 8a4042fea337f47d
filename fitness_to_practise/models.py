"""Fitness to practise: models are added with the work of its issue."""
