from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints and information governance"

    def ready(self):
        from regulator.context_processors import register_navigation
        from regulator.roles import Role

        register_navigation("Complaints", "complaints:complaints", (Role.COMPLAINTS_OFFICER,))
        register_navigation("Information requests", "complaints:requests", (Role.COMPLAINTS_OFFICER,))
