from django.apps import AppConfig


class FitnessToPractiseConfig(AppConfig):
    name = "fitness_to_practise"
    verbose_name = "Fitness to practise"

    def ready(self):
        from regulator.context_processors import register_navigation
        from regulator.roles import Role

        register_navigation("Raise a concern", "fitness_to_practise:concern-raise", None)
        register_navigation(
            "FTP cases",
            "fitness_to_practise:cases",
            (Role.FTP_CASE_HANDLER, Role.CASE_EXAMINER, Role.ADJUDICATIONS_OFFICER),
        )
        register_navigation("Pre-triage", "fitness_to_practise:concerns", (Role.FTP_CASE_HANDLER,))
        register_navigation("My FTP letters", "fitness_to_practise:letters", (Role.REGISTRANT,))
