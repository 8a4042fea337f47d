from django.apps import AppConfig


class RegulatorConfig(AppConfig):
    name = "regulator"
    verbose_name = "Regulator (shared)"

    def ready(self):
        from .context_processors import register_navigation
        from .roles import Role

        register_navigation("Dashboard", "dashboard", (Role.EXECUTIVE, Role.ADMINISTRATOR))
        register_navigation("Sent messages", "sent-messages", (Role.ADMINISTRATOR,))
        register_navigation("API tokens", "security-api-tokens", (Role.ADMINISTRATOR,))
        register_navigation("Locked sign-ins", "security-locked-out", (Role.ADMINISTRATOR,))
        from . import outbox  # noqa: F401  (connects the worker's "task done" signal)
        from .security import signals

        signals.connect_role_changes()

        from .timers import connect_hooks

        connect_hooks()
