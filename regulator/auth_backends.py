from django.contrib.auth.backends import ModelBackend

from .models import User


class EmailOrUsernameBackend(ModelBackend):
    """Registrants sign in with their email address, staff with their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = User.objects.filter(email__iexact=username).first()
            if user and user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
