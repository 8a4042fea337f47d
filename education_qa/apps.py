from django.apps import AppConfig


class EducationQaConfig(AppConfig):
    name = "education_qa"
    verbose_name = "Education quality assurance"

    def ready(self):
        from regulator.context_processors import register_navigation
        from regulator.roles import Role

        register_navigation("Education QA", "education:courses", (Role.EDUCATION_QA_OFFICER,))
        register_navigation("Monitoring returns", "provider:returns", (Role.EDUCATION_PROVIDER,))
