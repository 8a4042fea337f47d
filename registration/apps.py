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
        register_navigation("Appeals", "registration-work:appeals", (Role.REGISTRATION_OFFICER,))
        register_navigation("Misuse of title", "registration-work:misuse_of_title", (Role.REGISTRATION_OFFICER,))
        register_navigation("Calls and emails", "registration-work:contact", (Role.REGISTRATION_OFFICER,))
