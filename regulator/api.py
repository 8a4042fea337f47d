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


# The answers every operation can give besides success, per the rule on bad input (style.md, rule 5).
_ERROR_BODY = {"$ref": "#/components/schemas/ErrorResponse"}
_ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` says why; a 400 also names each field at fault with its reasons.",
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
    "additionalProperties": True,
}
_ERROR_REASONS = {
    "400": "The input breaks a rule: the body names the field and the reason.",
    "403": "The caller is not signed in or holds no role that allows this.",
    "404": "No such record, or none the caller may see (also a page number past the last page).",
    "409": "The record is not in a state that allows this change, or it changed since the caller read it.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: list the 400/403/404/409 answers each operation can give.

    Views raise these through DRF and regulator.errors; without this the schema promised only success,
    so clients (and schemathesis) could not tell a documented refusal from a fault.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["ErrorResponse"] = _ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = operation.get("parameters", [])
            codes = []
            if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
                codes.append("400")
            if operation.get("security", [{}]) != [{}]:
                codes.append("403")
            secured_write = method != "get" and operation.get("security", [{}]) != [{}]
            # A write can also name a record in its body that the caller may not see (e.g. an appeal's decision).
            if "{" in path or any(p.get("name") == "page" for p in parameters) or secured_write:
                codes.append("404")
            if secured_write:
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {"description": _ERROR_REASONS[code], "content": {"application/json": {"schema": _ERROR_BODY}}},
                )
    return result
