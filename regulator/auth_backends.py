from django.contrib.auth.backends import ModelBackend

from .models import User

# Longer than any real username or email: refused before a query or a hash (a NUL byte too).
MAX_USERNAME_LENGTH = 254


class EmailOrUsernameBackend(ModelBackend):
    """Registrants sign in with their email address, staff with their username.

    An unknown account costs the same password hash as a known one, so the answer's timing does not
    say whether the account exists (ModelBackend does this for usernames; the email path does too)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if len(username) > MAX_USERNAME_LENGTH or "\x00" in username or "\x00" in password:
            User().set_password(password[:256])  # the same work as a real check
            return None
        if "@" in username:
            user = User.objects.filter(email__iexact=username).first()
            if user is None:
                User().set_password(password)
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
