"""The one exception hierarchy. Each error carries a stable code and an HTTP status,
mapped to a JSON body once in service/api/app.py: {"error": {"code", "message"}}."""

from __future__ import annotations


class DossierError(Exception):
    code = "error"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(DossierError):
    code = "bad_request"
    http_status = 400


class NotFound(DossierError):
    code = "not_found"
    http_status = 404


class Conflict(DossierError):
    code = "conflict"
    http_status = 409


# ---- uploaded PDFs


class InvalidPdf(DossierError):
    """Not a PDF by content, corrupt, or unreadable."""

    code = "invalid_pdf"
    http_status = 415


class EncryptedPdf(DossierError):
    code = "encrypted_pdf"
    http_status = 422


class EmptyPdf(DossierError):
    code = "empty_pdf"
    http_status = 422


class NoTextLayer(DossierError):
    code = "no_text_layer"
    http_status = 422


class TooLarge(DossierError):
    code = "too_large"
    http_status = 413


class TooManyPages(DossierError):
    code = "too_many_pages"
    http_status = 422


class ParseTimeout(DossierError):
    code = "parse_timeout"
    http_status = 422


# ---- lookup


class InvalidQuery(DossierError):
    code = "invalid_query"
    http_status = 422


# ---- environment


class ModelUnavailable(DossierError):
    code = "model_unavailable"
    http_status = 503


class LlmError(DossierError):
    code = "llm_error"
    http_status = 502


# ---- reviews


class InvalidProfile(DossierError):
    """The `profile` field of an upload is not a JSON object of known product-profile fields."""

    code = "invalid_profile"
    http_status = 422
