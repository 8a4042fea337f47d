"""API plumbing shared by every app: the error handler and the schema view."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


def exception_handler(exc, context):
    """Domain errors become 400/409 with the field and the reason; Django's errors their DRF kin."""
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field:
            body[exc.field] = [exc.message]
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404 | PermissionDenied):
        return drf_exception_handler(exc, context)
    return drf_exception_handler(exc, context)
