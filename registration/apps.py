from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = "Registration and the register"

    def ready(self):
        from regulator.context_processors import register_navigation
        from regulator.roles import Role

        register_navigation("Your account", "account:home", (Role.REGISTRANT,))
        register_navigation("Applications", "registration-work:queue", (Role.REGISTRATION_OFFICER,))
        register_navigation("Renewal window", "registration-work:renewal_window", (Role.REGISTRATION_OFFICER,))
