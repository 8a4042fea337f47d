"""Fitness to practise API, under /api/v1/."""

urlpatterns: list = []
