from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """The history interchange format (shared/interchange.md): read, check and write it in one
    place, above the four apps, through each app's own bulk writers and exporters."""

    name = "interchange"
    verbose_name = "History import and export"

    def ready(self):
        from regulator.context_processors import register_navigation
        from regulator.roles import Role

        register_navigation("Import history", "interchange:imports", (Role.ADMINISTRATOR,))
