from django.apps import AppConfig


class FitnessToPractiseConfig(AppConfig):
    name = "fitness_to_practise"
    verbose_name = "Fitness to practise"
