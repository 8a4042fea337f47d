"""Fitness to practise pages."""

app_name = "fitness_to_practise"
urlpatterns: list = []
