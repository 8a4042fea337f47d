from django.apps import AppConfig


class RegulatorConfig(AppConfig):
    name = "regulator"
    verbose_name = "Regulator (shared)"

    def ready(self):
        from .context_processors import register_navigation
        from .roles import Role

        register_navigation("Dashboard", "dashboard", (Role.EXECUTIVE, Role.ADMINISTRATOR))
