from django.apps import AppConfig


class EducationQaConfig(AppConfig):
    name = "education_qa"
    verbose_name = "Education qa"
